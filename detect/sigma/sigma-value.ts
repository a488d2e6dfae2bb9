// The values a detection item compares with, as Sigma defines them: strings with `*`
// and `?` wildcards (escaped with a backslash) and `null`. Parsed once at compile time
// so matching never re-reads the rule's text.

/** `*`: any run of characters, possibly empty. */
export const ANY_CHARS = Object.freeze({ wildcard: 'any' as const });
/** `?`: exactly one character. */
export const ONE_CHAR = Object.freeze({ wildcard: 'one' as const });
export type Wildcard = typeof ANY_CHARS | typeof ONE_CHAR;

/** Literal text (never empty) or a wildcard. */
export type StringPart = string | Wildcard;

export interface SigmaString {
  readonly kind: 'string';
  readonly parts: readonly StringPart[];
}

/** `field: null`: the field is absent or null. */
export interface SigmaNull {
  readonly kind: 'null';
}

export type SigmaValue = SigmaString | SigmaNull;

export const SIGMA_NULL: SigmaNull = Object.freeze({ kind: 'null' });

/**
 * A rule's string: `*` and `?` are wildcards; a backslash escapes `*`, `?` and itself
 * and is a plain backslash before anything else, so `C:\Windows\*` needs no doubling
 * except before a wildcard (`C:\Windows\\*` is the folder's contents).
 */
export function parseSigmaString(raw: string): SigmaString {
  const parts: StringPart[] = [];
  let literal = '';
  for (let i = 0; i < raw.length; i += 1) {
    const char = raw[i] as string;
    if (char === '\\') {
      const next = raw[i + 1];
      if (next === '*' || next === '?' || next === '\\') {
        literal += next;
        i += 1;
      } else {
        literal += char;
      }
    } else if (char === '*' || char === '?') {
      if (literal !== '') parts.push(literal);
      literal = '';
      parts.push(char === '*' ? ANY_CHARS : ONE_CHAR);
    } else {
      literal += char;
    }
  }
  if (literal !== '') parts.push(literal);
  return normalise(parts);
}

/** Text taken literally: numbers and booleans in a rule, which Sigma compares as strings. */
export function plainSigmaString(text: string): SigmaString {
  return { kind: 'string', parts: text === '' ? [] : [text] };
}

/** The string with `*` added before and/or after, as contains/startswith/endswith do. */
export function surroundWithAnyChars(value: SigmaString, where: { before: boolean; after: boolean }): SigmaString {
  return normalise([...(where.before ? [ANY_CHARS] : []), ...value.parts, ...(where.after ? [ANY_CHARS] : [])]);
}

/** Adjacent `*` are one `*`; adjacent literals are one literal. */
function normalise(parts: readonly StringPart[]): SigmaString {
  const out: StringPart[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if (part === ANY_CHARS && last === ANY_CHARS) continue;
    if (typeof part === 'string' && typeof last === 'string') out[out.length - 1] = last + part;
    else out.push(part);
  }
  return { kind: 'string', parts: out };
}
