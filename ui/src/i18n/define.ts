// The shape every feature's messages take: `{ en, vi }`, the Vietnamese tree with
// exactly the English keys (the compiler refuses a missing or extra key), so a feature
// cannot ship half-translated.
export interface MessageTree {
  readonly [key: string]: string | MessageTree;
}

/** Widens string literals so `vi` must match the keys of `en`, not its English text. */
export type Shape<T> = { readonly [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

export interface FeatureMessages<T extends MessageTree = MessageTree> {
  readonly en: T;
  readonly vi: Shape<T>;
}

export function defineMessages<const T extends MessageTree>(messages: { en: T; vi: Shape<T> }): FeatureMessages<T> {
  return messages;
}
