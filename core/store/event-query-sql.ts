// Turns a parsed event query into SQLite conditions over the embedded `events` table:
// field terms through json_each on the stored document (so an array field such as
// event.category matches when any element does) and the FTS5 index for free text and
// for narrowing field terms. Paths and values are bound parameters; only validated
// field names reach a path.
import type { FieldTerm, ParsedEventQuery } from '../query/event-query.ts';
import { eventMatchExpression, textMatchExpression } from './fts-match.ts';
import type { SqlConditions } from './sql-conditions.ts';

/** Name of the SQL function the store registers to fold case like JavaScript does. */
export const FOLD_FUNCTION = 'vigil_fold';

/**
 * Case folding for matches. SQLite's own lower() and NOCASE fold only ASCII, which
 * would make `user.name:"nguyễn văn a"` miss "NGUYỄN VĂN A"; JavaScript folds all of Unicode.
 */
export function foldCase(value: string): string {
  return value.toLowerCase();
}

/** Index matches up to which it pays to start from the index rather than from time order. */
export const INDEX_FIRST_MAX_MATCHES = 20_000;

/**
 * How a search uses the full-text index, decided per search because SQLite cannot
 * know how many rows a MATCH returns. Few matches: start from them (a hash or host
 * name among millions of events takes milliseconds). Many (a word in every event):
 * walk newest-first and keep the rows in the match set, which stops once the page is
 * full, instead of fetching and sorting every match; field terms then need no index.
 */
export type IndexUse = { kind: 'none' } | { kind: 'first' | 'filter'; match: string };

/** `countMatches` counts index matches, stopping past `limit`. */
export function chooseIndexUse(query: ParsedEventQuery, countMatches: (match: string, limit: number) => number): IndexUse {
  const match = eventMatchExpression(query);
  if (match === null) return { kind: 'none' };
  if (countMatches(match, INDEX_FIRST_MAX_MATCHES) <= INDEX_FIRST_MAX_MATCHES) return { kind: 'first', match };
  // Still worth filtering on when there is free text (it has no other check); field
  // terms alone are then cheaper checked on the documents the time walk visits.
  return textMatchExpression(query) === null ? { kind: 'none' } : { kind: 'filter', match };
}

export function addEventQueryConditions(where: SqlConditions, query: ParsedEventQuery, index: IndexUse): void {
  // The index condition goes first: it is checked per row before parsing any document.
  // In 'filter' the unary + keeps SQLite from driving by rowid, so it walks the time index.
  if (index.kind === 'first') where.add('events.rowid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)', index.match);
  if (index.kind === 'filter') where.add('+events.rowid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)', index.match);
  for (const term of query.fields) addFieldCondition(where, term);
}

function addFieldCondition(where: SqlConditions, term: FieldTerm): void {
  // json_each on a scalar yields that one value, on an array each element: one shape
  // serves both. Booleans come back as 1/0, so compare them by their JSON spelling.
  const value = `${FOLD_FUNCTION}(iif(j.type IN ('true', 'false'), j.type, j.value))`;
  const operator = term.hasWildcard ? 'GLOB' : '=';
  const pattern = term.hasWildcard ? globPattern(term.pattern) : foldCase(term.pattern);
  where.add(
    `EXISTS (SELECT 1 FROM json_each(events.doc, ?) AS j WHERE j.type NOT IN ('object', 'array') AND ${value} ${operator} ?)`,
    jsonPath(term.field),
    pattern,
  );
}

/** `host.name` → `$."host"."name"`. Names are validated by the parser, and quoting each key keeps `@` and `-` literal. */
export function jsonPath(field: string): string {
  return '$' + field.split('.').map((key) => `."${key}"`).join('');
}

/** User `*` becomes GLOB's `*`; GLOB's other metacharacters in the input are made literal. */
export function globPattern(pattern: string): string {
  return foldCase(pattern).replace(/[?[]/g, (c) => `[${c}]`);
}
