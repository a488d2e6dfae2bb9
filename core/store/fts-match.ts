// FTS5 query text for an event search. Free-text terms must match; field terms add a
// necessary condition too: a value can only equal `PC-42` if the event's text holds the
// words "pc 42" in a row, so the index narrows the candidates before the exact check on
// the document, which alone would read every event in the range. User text only ever
// appears inside FTS5 strings, so operators in the input (AND, NOT, NEAR, -, ^, column
// filters) are just words.
import type { FieldTerm, ParsedEventQuery } from '../query/event-query.ts';
import { UNINDEXED_FIELDS } from './event-text.ts';

/**
 * The characters the unicode61 tokenizer keeps in tokens (its default categories
 * "L* N* Co"); everything else separates words.
 */
const TOKEN_CHAR = /[\p{L}\p{N}\p{Co}]/u;
const LEADING_TOKEN_CHARS = /^[\p{L}\p{N}\p{Co}]+/u;

/** Free-text terms alone, or null when none has a word in it. */
export function textMatchExpression(query: ParsedEventQuery): string | null {
  return joinPhrases(query.text.flatMap(textPhrase));
}

/** Free-text terms plus what field terms imply, or null when there is nothing to ask the index. */
export function eventMatchExpression(query: ParsedEventQuery): string | null {
  return joinPhrases([...query.text.flatMap(textPhrase), ...query.fields.flatMap(fieldPhrases)]);
}

/**
 * A word or phrase; a trailing `*` asks for a prefix match. A term without a single
 * word character (`--`) cannot be found by a word index and is left out rather than
 * matching nothing, as FTS5 would do for an empty phrase on its own.
 */
function textPhrase(term: string): string[] {
  const prefix = term.endsWith('*');
  const body = term.replace(/\*+$/, '');
  if (!TOKEN_CHAR.test(body)) return [];
  return [phrase(body, prefix)];
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

/** Juxtaposed phrases are ANDed by FTS5. */
function joinPhrases(phrases: string[]): string | null {
  return phrases.length === 0 ? null : phrases.join(' ');
}
