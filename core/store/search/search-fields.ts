// What the query language searches, computed per event when it is written and indexed
// under SEARCH_FIELD (left out of the stored _source, so events read back as written).
// `terms` holds one `path=value` keyword per scalar value, case-folded the way the
// embedded store folds (JavaScript's toLowerCase, all of Unicode), so `field:value`
// and `*` wildcards work the same on any field, mapped or not, numbers and booleans by
// their text, arrays by any element, with no per-field type to know at query time.
// Beside them, `path#key` for each value that reads as a number, a time or an IP address:
// its range key (core/query/range-key.ts), whose byte order is the value's order, so a
// keyword range over `terms` answers `destination.port >= 1024` on any field too.
// `text` is the embedded store's full-text document (event-text.ts), so free text
// finds the same words in the same fields on every adapter.
import { FIELD_NAME } from '../../query/event-query.ts';
import { rangeKeyOf } from '../../query/range-key.ts';
import type { SecurityEvent } from '../../schemas/event.ts';
import { foldCase } from '../event-query-sql.ts';
import { eventSearchText } from '../event-text.ts';

/** Top-level field holding the search-only values; an underscore keeps it out of ECS's way. */
export const SEARCH_FIELD = '_vigil';
/** Between a path and its value in a term; field names (FIELD_NAME) cannot contain it. */
export const TERM_SEPARATOR = '=';
/** Between a path and a range key; field names cannot contain it either. */
export const RANGE_TERM_SEPARATOR = '#';

export interface EventSearchFields {
  /** The document id, again, as a sortable keyword: the tie-breaker of newest-first paging. */
  key: string;
  terms: string[];
  text: string;
}

export function eventSearchFields(event: SecurityEvent, key: string): EventSearchFields {
  const terms = new Set<string>();
  collectTerms(event, '', terms);
  return { key, terms: [...terms], text: eventSearchText(event) };
}

/** The term a `field:value` query looks for; `value` is folded here. */
export function fieldTerm(field: string, value: string): string {
  return `${field}${TERM_SEPARATOR}${foldCase(value)}`;
}

/** The term holding a range key of `field` (or a bound: the key of a query value). */
export function fieldRangeTerm(field: string, key: string): string {
  return `${field}${RANGE_TERM_SEPARATOR}${key}`;
}

/**
 * Scalars reached through objects, and scalar elements of an array at a path, as the
 * embedded store's json_each reads them; nulls, and objects or arrays inside arrays,
 * match nothing there and are left out here. Keys a query could not name (a `.` or a
 * character outside FIELD_NAME) are skipped.
 */
function collectTerms(value: unknown, path: string, terms: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) addScalar(item, path, terms);
    return;
  }
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const key in record) {
      const childPath = childPathOf(path, key);
      if (childPath !== null) collectTerms(record[key], childPath, terms);
    }
    return;
  }
  if (path !== '') addScalar(value, path, terms);
}

/**
 * The path of `key` under `path`, or null when a query could not name it. Remembered:
 * events repeat the same few hundred paths, and detect computes this for every value
 * of every event it writes (a profile showed the concatenation and the FIELD_NAME test
 * among its top costs). Bounded, since agents may send made-up names.
 */
function childPathOf(path: string, key: string): string | null {
  let children = knownPaths.get(path);
  if (children === undefined) {
    if (knownPaths.size >= KNOWN_PATHS_MAX) knownPaths.clear();
    children = new Map();
    knownPaths.set(path, children);
  }
  let childPath = children.get(key);
  if (childPath === undefined) {
    const joined = path === '' ? key : `${path}.${key}`;
    childPath = key.includes('.') || !FIELD_NAME.test(joined) ? null : joined;
    if (children.size < KNOWN_PATHS_MAX) children.set(key, childPath);
  }
  return childPath;
}

const KNOWN_PATHS_MAX = 10_000;
const knownPaths = new Map<string, Map<string, string | null>>();

function addScalar(value: unknown, path: string, terms: Set<string>): void {
  const text = scalarText(value);
  if (text === null) return;
  terms.add(fieldTerm(path, text));
  if (typeof value === 'boolean') return;
  const key = rangeKeyOf(value);
  if (key !== null) terms.add(fieldRangeTerm(path, key));
}

function scalarText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}
