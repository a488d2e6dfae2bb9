// Turns a parsed event query (a tree: core/query/query-tree.ts) into SQLite conditions
// over the embedded `events` table: field terms and ranges through json_each on the
// stored document (so an array field such as event.category matches when any element
// does), free text through the FTS5 index, AND / OR / NOT as SQL's. The index also
// narrows the whole search when the query implies words (fts-match.ts). Paths and
// values are bound parameters; only validated field names reach a path.
import { conjuncts, type FieldTerm, type ParsedEventQuery, type QueryNode, type RangeTerm } from '../query/query-tree.ts';
import { rangeKeyOf } from '../query/range-key.ts';
import { necessaryMatch, textPhrase } from './fts-match.ts';
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

/** Name of the SQL function the store registers to compute range keys (core/query/range-key.ts). */
export const RANGE_KEY_FUNCTION = 'vigil_range_key';

/** The range key function as SQLite calls it: json_each hands over numbers and text alike. */
export function sqlRangeKey(value: unknown): string | null {
  return rangeKeyOf(value);
}

/** `countMatches` counts index matches, stopping past `limit`. */
export function chooseIndexUse(query: ParsedEventQuery, countMatches: (match: string, limit: number) => number): IndexUse {
  const match = necessaryMatch(query.root);
  if (match === null) return { kind: 'none' };
  if (countMatches(match, INDEX_FIRST_MAX_MATCHES) <= INDEX_FIRST_MAX_MATCHES) return { kind: 'first', match };
  // Still worth filtering on when free text is ANDed at the top (it has no cheaper
  // check); otherwise the terms are cheaper checked on the documents the time walk visits.
  return conjuncts(query.root).some(isWordTerm) ? { kind: 'filter', match } : { kind: 'none' };
}

export function addEventQueryConditions(where: SqlConditions, query: ParsedEventQuery, index: IndexUse): void {
  // The index condition goes first: it is checked per row before parsing any document.
  // In 'filter' the unary + keeps SQLite from driving by rowid, so it walks the time index.
  if (index.kind === 'first') where.add('events.rowid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)', index.match);
  if (index.kind === 'filter') where.add('+events.rowid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)', index.match);
  for (const node of conjuncts(query.root)) {
    // Free text ANDed at the top is exactly a phrase of the index condition already.
    if (index.kind !== 'none' && node.kind === 'text') continue;
    const condition = nodeCondition(node);
    where.add(condition.sql, ...condition.params);
  }
}

interface Condition {
  sql: string;
  params: unknown[];
}

const TRUE: Condition = { sql: '1', params: [] };

function nodeCondition(node: QueryNode): Condition {
  switch (node.kind) {
    case 'text': {
      const phrase = textPhrase(node.text);
      if (phrase === null) return TRUE;
      return { sql: 'events.rowid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)', params: [phrase] };
    }
    case 'field':
      return fieldCondition(node);
    case 'range':
      return rangeCondition(node);
    case 'not': {
      const inner = nodeCondition(node.child);
      return { sql: `NOT (${inner.sql})`, params: inner.params };
    }
    case 'and':
    case 'or': {
      const parts = node.children.map(nodeCondition);
      return {
        sql: parts.map((p) => `(${p.sql})`).join(node.kind === 'and' ? ' AND ' : ' OR '),
        params: parts.flatMap((p) => p.params),
      };
    }
  }
}

function isWordTerm(node: QueryNode): boolean {
  return node.kind === 'text' && textPhrase(node.text) !== null;
}

function fieldCondition(term: FieldTerm): Condition {
  // json_each on a scalar yields that one value, on an array each element: one shape
  // serves both. Booleans come back as 1/0, so compare them by their JSON spelling.
  const value = `${FOLD_FUNCTION}(iif(j.type IN ('true', 'false'), j.type, j.value))`;
  const operator = term.hasWildcard ? 'GLOB' : '=';
  const pattern = term.hasWildcard ? globPattern(term.pattern) : foldCase(term.pattern);
  return {
    sql: `EXISTS (SELECT 1 FROM json_each(events.doc, ?) AS j WHERE j.type NOT IN ('object', 'array') AND ${value} ${operator} ?)`,
    params: [jsonPath(term.field), pattern],
  };
}

function rangeCondition(term: RangeTerm): Condition {
  // Keys of one kind sort as their values do, and start with the kind's letter, so a
  // value of another kind (or none: text, booleans) falls outside the bounds.
  const key = `${RANGE_KEY_FUNCTION}(j.value)`;
  const lower = term.lower.inclusive ? '>=' : '>';
  const upper = term.upper.inclusive ? '<=' : '<';
  return {
    sql: `EXISTS (SELECT 1 FROM json_each(events.doc, ?) AS j WHERE j.type IN ('integer', 'real', 'text') AND ${key} ${lower} ? AND ${key} ${upper} ?)`,
    params: [jsonPath(term.field), term.lower.key, term.upper.key],
  };
}

/** `host.name` → `$."host"."name"`. Names are validated by the parser, and quoting each key keeps `@` and `-` literal. */
export function jsonPath(field: string): string {
  return '$' + field.split('.').map((key) => `."${key}"`).join('');
}

/** User `*` becomes GLOB's `*`; GLOB's other metacharacters in the input are made literal. */
export function globPattern(pattern: string): string {
  return foldCase(pattern).replace(/[?[]/g, (c) => `[${c}]`);
}
