// The values a detection item compares with, as Sigma defines them: strings with `*`
// and `?` wildcards (escaped with a backslash), `null`, and the typed values modifiers
// turn them into (regular expressions, CIDR ranges, numeric comparisons, `exists`,
// field references, and expansions that stand for any of several values). Parsed once
// at compile time so matching never re-reads the rule's text.
import type { IpRange } from './modifiers/cidr.ts';

/** `*`: any run of characters, possibly empty. */
export const ANY_CHARS = Object.freeze({ wildcard: 'any' as const });
/** `?`: exactly one character. */
export const ONE_CHAR = Object.freeze({ wildcard: 'one' as const });
export type Wildcard = typeof ANY_CHARS | typeof ONE_CHAR;

/** Literal text (never empty) or a wildcard. */
export type StringPart = string | Wildcard;

/** A YAML scalar as the rule wrote it. */
export type WrittenScalar = string | number | bigint | boolean;

export interface SigmaString {
  readonly kind: 'string';
  readonly parts: readonly StringPart[];
  /**
   * The scalar as written in the rule, kept only while no modifier has changed the
   * value: modifiers that need the rule's own text (`re`, `cidr`, `expand`) or its
   * type (`lt`, `exists`) read it, and its absence means they came too late in a chain.
   */
  readonly written?: WrittenScalar;
  /** Set by utf16le/utf16be/utf16/wide: each character of the literal parts is one byte. */
  readonly encoded?: 'utf16le' | 'utf16be' | 'utf16';
}

/** `field: null`: the field is absent or null. */
export interface SigmaNull {
  readonly kind: 'null';
}

/** `re`: a regular expression, checked at compile time; `flags` from i/m/s. */
export interface SigmaRegex {
  readonly kind: 'regex';
  readonly source: string;
  readonly flags: string;
}

/** `cidr`: an IPv4 or IPv6 network, parsed once into a numeric range. */
export interface SigmaCidr {
  readonly kind: 'cidr';
  readonly text: string;
  readonly range: IpRange;
}

export type CompareOperator = 'eq' | 'lt' | 'lte' | 'gt' | 'gte';

/** `lt`/`lte`/`gt`/`gte`, and `eq` for a time part (`hour: 3`): the field as a number. */
export interface SigmaCompare {
  readonly kind: 'compare';
  readonly operator: CompareOperator;
  readonly number: number;
}

/** `exists: true/false`: whether the field is present, whatever its value. */
export interface SigmaExists {
  readonly kind: 'exists';
  readonly exists: boolean;
}

/** `fieldref`: equal to the value of another field of the same event. */
export interface SigmaFieldRef {
  readonly kind: 'fieldref';
  readonly field: string;
}

/**
 * One written value that stands for several (windash variants, base64offset shifts,
 * expanded placeholders): any of them matches. Kept as one value so `all` still
 * means "every written value", not "every variant".
 */
export interface SigmaExpansion {
  readonly kind: 'expansion';
  readonly values: readonly SigmaString[];
}

export type SigmaValue =
  | SigmaString
  | SigmaNull
  | SigmaRegex
  | SigmaCidr
  | SigmaCompare
  | SigmaExists
  | SigmaFieldRef
  | SigmaExpansion;

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
  const parts = normalise([...(where.before ? [ANY_CHARS] : []), ...value.parts, ...(where.after ? [ANY_CHARS] : [])]);
  // The text is no longer as written, but an encoding still describes its bytes.
  return value.encoded === undefined ? parts : { ...parts, encoded: value.encoded };
}

/** Adjacent `*` are one `*`; adjacent literals are one literal. */
export function normalise(parts: readonly StringPart[]): SigmaString {
  const out: StringPart[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if (part === '') continue;
    if (part === ANY_CHARS && last === ANY_CHARS) continue;
    if (typeof part === 'string' && typeof last === 'string') out[out.length - 1] = last + part;
    else out.push(part);
  }
  return { kind: 'string', parts: out };
}
