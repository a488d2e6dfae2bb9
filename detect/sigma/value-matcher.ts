// Compiles a Sigma string into a test on one lowercased event value. Comparison is
// case-insensitive (Sigma's default), so both sides are lowercased: the rule's side
// once, here; the event's side once per value, by the caller (under `cased`, neither
// side is). Common shapes become plain string operations. Inner wildcards use a glob
// matcher rather than a regular expression: event text is attacker-controlled and can
// be a megabyte long, and a backtracking `.*a.*b` is quadratic on it, where this
// matcher stays O(text × pattern).
import { ANY_CHARS, type ONE_CHAR, type SigmaString } from './sigma-value.ts';

export type StringTest = (lowered: string) => boolean;

export function compileStringTest(value: SigmaString, cased = false): StringTest {
  const parts = value.parts.map((part) => (typeof part === 'string' && !cased ? part.toLowerCase() : part));
  const [first, second, third] = parts;
  switch (parts.length) {
    case 0:
      return (text) => text === '';
    case 1:
      if (typeof first === 'string') return (text) => text === first;
      if (first === ANY_CHARS) return () => true;
      break;
    case 2:
      if (typeof first === 'string' && second === ANY_CHARS) return (text) => text.startsWith(first);
      if (first === ANY_CHARS && typeof second === 'string') return (text) => text.endsWith(second);
      break;
    case 3:
      if (first === ANY_CHARS && typeof second === 'string' && third === ANY_CHARS) {
        return (text) => text.includes(second);
      }
      break;
  }
  return compileGlob(parts);
}

/** The literal text when the value is plain (no wildcards), for set lookups. */
export function exactText(value: SigmaString, cased = false): string | undefined {
  if (value.parts.length === 0) return '';
  const [only] = value.parts;
  if (value.parts.length !== 1 || typeof only !== 'string') return undefined;
  return cased ? only : only.toLowerCase();
}

/** Literal text and `?`, between two `*`. */
type Segment = readonly (string | typeof ONE_CHAR)[];

/**
 * The pattern is split at its `*` into segments. The first must match at the start,
 * the last at the end, and each one between at its leftmost place after the previous:
 * a segment consumes a length fixed by its start, so the leftmost place leaves the most
 * text for the rest and no backtracking is ever needed.
 */
function compileGlob(parts: readonly (string | typeof ANY_CHARS | typeof ONE_CHAR)[]): StringTest {
  const segments: (string | typeof ONE_CHAR)[][] = [[]];
  for (const part of parts) {
    if (typeof part === 'string' || part.wildcard === 'one') segments[segments.length - 1]?.push(part);
    else segments.push([]);
  }
  const head = segments[0] as Segment;
  if (segments.length === 1) return (text) => matchAt(text, 0, head) === text.length;
  const middle = segments.slice(1, -1);
  const tail = segments[segments.length - 1] as Segment;
  const tailLiteral = tail.reduce((sum, part) => sum + (typeof part === 'string' ? part.length : 0), 0);
  const tailWildcards = tail.length - tail.filter((part) => typeof part === 'string').length;

  return (text) => {
    let position = matchAt(text, 0, head);
    if (position < 0) return false;
    for (const segment of middle) {
      position = findFrom(text, position, segment);
      if (position < 0) return false;
    }
    // The tail ends at the end of the text; a `?` may be one or two UTF-16 units, so
    // its start lies in a small window.
    const latest = text.length - tailLiteral - tailWildcards;
    for (let start = Math.max(position, latest - tailWildcards); start <= latest; start += 1) {
      if (matchAt(text, start, tail) === text.length) return true;
    }
    return false;
  };
}

/** Where the segment ends when it starts at `start`, or -1 if it does not match there. */
function matchAt(text: string, start: number, segment: Segment): number {
  let position = start;
  for (const part of segment) {
    if (typeof part === 'string') {
      if (!text.startsWith(part, position)) return -1;
      position += part.length;
    } else {
      if (position >= text.length) return -1;
      position += codePointLength(text, position);
    }
  }
  return position;
}

/** The end of the leftmost match of the segment at or after `from`, or -1. */
function findFrom(text: string, from: number, segment: Segment): number {
  const [lead] = segment;
  for (let start = from; start <= text.length; start += 1) {
    if (typeof lead === 'string') {
      start = text.indexOf(lead, start);
      if (start < 0) return -1;
    }
    const end = matchAt(text, start, segment);
    if (end >= 0) return end;
  }
  return -1;
}

/** `?` is one character as a person sees it: a surrogate pair counts once. */
function codePointLength(text: string, position: number): number {
  const code = text.charCodeAt(position);
  if (code >= 0xd800 && code <= 0xdbff && position + 1 < text.length) {
    const next = text.charCodeAt(position + 1);
    if (next >= 0xdc00 && next <= 0xdfff) return 2;
  }
  return 1;
}
