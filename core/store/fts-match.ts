// FTS5 query text for an event search. A free-text term is exactly an FTS5 phrase; a
// field term implies one too: a value can only equal `PC-42` if the event's text holds
// the words "pc 42" in a row, so the index narrows the candidates before the exact check
// on the document, which alone would read every event in the range. For a whole query
// tree, `necessaryMatch` is an FTS5 expression every matching event satisfies: ANDs of
// what the terms imply, ORs when every branch implies something, nothing under a NOT.
// User text only ever appears inside FTS5 strings, so FTS5's own operators in the input
// (NEAR, ^, column filters) are just words.
import type { FieldTerm, QueryNode } from '../query/query-tree.ts';
import { UNINDEXED_FIELDS } from './event-text.ts';

/**
 * The characters the unicode61 tokenizer keeps in tokens (its default categories
 * "L* N* Co"); everything else separates words.
 */
const TOKEN_CHAR = /[\p{L}\p{N}\p{Co}]/u;
const LEADING_TOKEN_CHARS = /^[\p{L}\p{N}\p{Co}]+/u;

/**
 * A word or phrase; a trailing `*` asks for a prefix match. A term without a single
 * word character (`--`) cannot be found by a word index and asks for nothing (it
 * matches every event), as FTS5 would drop an empty phrase; null says so.
 */
export function textPhrase(term: string): string | null {
  const prefix = term.endsWith('*');
  const body = term.replace(/\*+$/, '');
  if (!TOKEN_CHAR.test(body)) return null;
  return phrase(body, prefix);
}

/** An FTS5 expression every event matching `node` satisfies, or null when there is none to ask. */
export function necessaryMatch(node: QueryNode | null): string | null {
  if (node === null) return null;
  switch (node.kind) {
    case 'text':
      return textPhrase(node.text);
    case 'field':
      return joinAnd(fieldPhrases(node));
    case 'range':
    case 'not':
      return null;
    case 'and':
      return joinAnd(node.children.map(necessaryMatch).filter((m): m is string => m !== null));
    case 'or': {
      const branches = node.children.map(necessaryMatch);
      if (branches.some((m) => m === null)) return null;
      return branches.map((m) => `(${m})`).join(' OR ');
    }
  }
}

/**
 * The phrases a field term's value implies. Literal runs between wildcards are phrases;
 * a run after a `*` may start in the middle of a word, so its first partial word is
 * dropped, and a run before a `*` may end in one, so its last word becomes a prefix.
 */
function fieldPhrases(term: FieldTerm): string[] {
  if (UNINDEXED_FIELDS.has(term.field)) return [];
  const runs = term.pattern.split('*');
  const phrases: string[] = [];
  runs.forEach((run, index) => {
    const afterStar = index > 0;
    const beforeStar = index < runs.length - 1;
    const whole = afterStar ? run.replace(LEADING_TOKEN_CHARS, '') : run;
    if (TOKEN_CHAR.test(whole)) phrases.push(phrase(whole, beforeStar));
  });
  return phrases;
}

/**
 * Any of these event ids, as exact phrases, or null when one of them has no word in it
 * (such an id cannot be found through the word index; the caller scans instead).
 */
export function eventIdsMatchExpression(ids: readonly string[]): string | null {
  if (ids.some((id) => !TOKEN_CHAR.test(id))) return null;
  return ids.map((id) => phrase(id, false)).join(' OR ');
}

function phrase(text: string, prefix: boolean): string {
  const quoted = `"${text.replaceAll('"', '""')}"`;
  return prefix ? `${quoted} *` : quoted;
}

/** Every part must hold; parenthesised so ORs inside keep their meaning. */
function joinAnd(parts: string[]): string | null {
  if (parts.length === 0) return null;
  if (parts.length === 1) return parts[0]!;
  return parts.map((p) => `(${p})`).join(' AND ');
}
