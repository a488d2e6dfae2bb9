// How alert lists are ordered and paged, shared by every Store adapter: the ranks that
// make severity and status sort by meaning rather than by spelling, and the paging
// token, which names the sort it belongs to so a token from one order is never
// applied to another (that would silently skip or repeat alerts).
import { BadInputError } from '../errors.ts';
import type { AlertSort } from '../ports/store.ts';
import { alertStatuses, severities } from '../schemas/alert.ts';

export const DEFAULT_ALERT_SORT: AlertSort = { field: 'time', direction: 'desc' };

/** informational 0 … critical 4. */
export const SEVERITY_RANK: Readonly<Record<string, number>> = Object.fromEntries(severities.map((s, i) => [s, i]));
/** new 0 … false_positive 4: the order work moves through. */
export const STATUS_RANK: Readonly<Record<string, number>> = Object.fromEntries(alertStatuses.map((s, i) => [s, i]));

/** A sort value as stored in a token: text, a number, or (SQL NULL) nothing. */
export type SortValue = string | number | null;

/** Where the next page starts: the sort values of the last alert of this one. */
export interface AlertPageStart {
  values: SortValue[];
}

export function encodeAlertPageToken(sort: AlertSort, values: SortValue[]): string {
  return Buffer.from(JSON.stringify({ s: `${sort.field}:${sort.direction}`, v: values }), 'utf8').toString('base64url');
}

/** The start of the next page, or BadInputError for a token of another search or sort. */
export function decodeAlertPageToken(token: string, sort: AlertSort, arity: number): AlertPageStart {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const record = typeof decoded === 'object' && decoded !== null ? (decoded as { s?: unknown; v?: unknown }) : null;
  const values = record?.v;
  if (
    record === null ||
    !Array.isArray(values) ||
    values.length !== arity ||
    !values.every((v) => v === null || typeof v === 'string' || typeof v === 'number')
  ) {
    throw new BadInputError('cursor: not a paging token from this search', 'store', { param: 'cursor' });
  }
  if (record.s !== `${sort.field}:${sort.direction}`) {
    throw new BadInputError('cursor: a paging token of another sort order; start again from the first page', 'store', { param: 'cursor' });
  }
  return { values: values as SortValue[] };
}
