// The typed form of a rule's detection identifiers, between the YAML and the compiled
// closures: what each identifier tests, with modifiers already applied. It knows nothing
// of events, so other backends (a query exporter, an explainer) can read it too.
import type { SigmaValue } from './sigma-value.ts';

/** One field (or, with `field: null`, the whole event as keywords) against values. */
export interface DetectionItem {
  readonly kind: 'item';
  /** A dotted ECS path, or null for a keyword search across every value of the event. */
  readonly field: string | null;
  /** The modifiers as written, in order, kept for messages and explanations. */
  readonly modifiers: readonly string[];
  readonly values: readonly SigmaValue[];
  /** `or` by default (any value matches); the `all` modifier makes it `and`. */
  readonly linking: 'or' | 'and';
  /** `cased`: strings compare case-sensitively (Sigma's default is insensitive). */
  readonly cased?: boolean;
  /** `neq`: the item holds when the values do not match (an absent field included). */
  readonly negated?: boolean;
  /** `minute`...`year`: the field is read as a timestamp and this part of it compared. */
  readonly timePart?: TimePart;
}

export type TimePart = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

/** A map (its items ANDed) or a list of maps (ORed). */
export interface DetectionGroup {
  readonly kind: 'group';
  readonly linking: 'and' | 'or';
  readonly children: readonly DetectionNode[];
}

export type DetectionNode = DetectionItem | DetectionGroup;
