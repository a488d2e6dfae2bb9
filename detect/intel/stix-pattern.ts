// The part of the STIX 2.1 patterning language an indicator list can represent: one or
// more observation expressions `[...]` joined by OR, each a comparison or an OR of
// comparisons `object-path = 'value'` (also `IN ('a', 'b')`, and `ISSUBSET` for an IP
// prefix) on an address, domain, URL or file hash. Anything else — AND, FOLLOWEDBY,
// qualifiers (WITHIN, REPEATS), other operators or object paths — narrows what the
// pattern means, so matching its comparisons alone would raise false alerts: the
// whole pattern is refused, and counted by the caller.
import type { IndicatorKind } from './indicator.ts';

export interface PatternTerm {
  kind: IndicatorKind;
  value: string;
}

const PATHS: Readonly<Record<string, IndicatorKind>> = {
  'ipv4-addr:value': 'ip',
  'ipv6-addr:value': 'ip',
  'domain-name:value': 'domain',
  'url:value': 'url',
  'file:hashes.md5': 'md5',
  "file:hashes.'md5'": 'md5',
  "file:hashes.'sha-1'": 'sha1',
  'file:hashes.sha1': 'sha1',
  "file:hashes.'sha1'": 'sha1',
  "file:hashes.'sha-256'": 'sha256',
  'file:hashes.sha256': 'sha256',
  "file:hashes.'sha256'": 'sha256',
};

type Token = { type: 'open' | 'close' | 'lparen' | 'rparen' | 'comma' } | { type: 'word'; text: string } | { type: 'string'; text: string };

/** The pattern's terms, or undefined when it says something a list of values cannot (see above). */
export function patternTerms(pattern: string): PatternTerm[] | undefined {
  const tokens = tokenize(pattern);
  if (tokens === undefined) return undefined;
  const terms: PatternTerm[] = [];
  let i = 0;
  const word = (text: string) => {
    const token = tokens[i];
    return token?.type === 'word' && token.text.toUpperCase() === text;
  };
  const comparison = (): boolean => {
    const path = tokens[i];
    if (path?.type !== 'word') return false;
    const kind = PATHS[path.text.toLowerCase()];
    if (kind === undefined) return false;
    i += 1;
    if (tokens[i]?.type === 'word' && ((tokens[i] as { text: string }).text === '=' || word('ISSUBSET'))) {
      if (word('ISSUBSET') && kind !== 'ip') return false;
      i += 1;
      const value = tokens[i];
      if (value?.type !== 'string') return false;
      terms.push({ kind, value: value.text });
      i += 1;
      return true;
    }
    if (word('IN')) {
      i += 1;
      if (tokens[i]?.type !== 'lparen') return false;
      i += 1;
      for (;;) {
        const value = tokens[i];
        if (value?.type !== 'string') return false;
        terms.push({ kind, value: value.text });
        i += 1;
        if (tokens[i]?.type === 'comma') {
          i += 1;
          continue;
        }
        if (tokens[i]?.type !== 'rparen') return false;
        i += 1;
        return true;
      }
    }
    return false;
  };
  const observation = (): boolean => {
    if (tokens[i]?.type !== 'open') return false;
    i += 1;
    if (!comparison()) return false;
    while (word('OR')) {
      i += 1;
      if (!comparison()) return false;
    }
    if (tokens[i]?.type !== 'close') return false;
    i += 1;
    return true;
  };
  if (!observation()) return undefined;
  while (word('OR')) {
    i += 1;
    if (!observation()) return undefined;
  }
  return i === tokens.length && terms.length > 0 ? terms : undefined;
}

function tokenize(pattern: string): Token[] | undefined {
  const tokens: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const char = pattern[i]!;
    if (/\s/.test(char)) {
      i += 1;
    } else if (char === '[' || char === ']' || char === '(' || char === ')' || char === ',') {
      tokens.push({ type: ({ '[': 'open', ']': 'close', '(': 'lparen', ')': 'rparen', ',': 'comma' } as const)[char] });
      i += 1;
    } else if (char === "'") {
      let text = '';
      i += 1;
      for (;;) {
        if (i >= pattern.length) return undefined;
        const c = pattern[i]!;
        if (c === '\\' && i + 1 < pattern.length) {
          text += pattern[i + 1];
          i += 2;
        } else if (c === "'") {
          i += 1;
          break;
        } else {
          text += c;
          i += 1;
        }
      }
      tokens.push({ type: 'string', text });
    } else if (/[=!<>]/.test(char)) {
      let text = '';
      while (i < pattern.length && /[=!<>]/.test(pattern[i]!)) text += pattern[i++];
      tokens.push({ type: 'word', text });
    } else {
      // An object path (with quoted keys such as hashes.'SHA-256') or a keyword.
      let text = '';
      while (i < pattern.length && !/[\s[\](),=!<>]/.test(pattern[i]!)) {
        if (pattern[i] === "'" && pattern[i - 1] !== '.') break;
        if (pattern[i] === "'") {
          const close = pattern.indexOf("'", i + 1);
          if (close < 0) return undefined;
          text += pattern.slice(i, close + 1);
          i = close + 1;
        } else {
          text += pattern[i];
          i += 1;
        }
      }
      tokens.push({ type: 'word', text });
    }
  }
  return tokens;
}
