// What every Store adapter does to a search before running it: clamp the page size,
// turn time bounds into UTC ISO text (so instants compare correctly as strings
// whatever offset the caller wrote), and say how far totals are counted exactly.
import { BadInputError } from '../errors.ts';
import type { TimeRange } from '../ports/store.ts';

export const MAX_PAGE_SIZE = 1000;
/** Totals are counted exactly up to here; beyond it `totalIsExact` is false. */
export const TOTAL_COUNT_CAP = 10_000;

export function clampLimit(limit: number): number {
  if (!Number.isFinite(limit)) return MAX_PAGE_SIZE;
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(limit)));
}

/** ISO 8601 with any offset → `YYYY-MM-DDTHH:mm:ss.sssZ`, the form stored and compared. */
export function toUtcIso(value: string, name: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new BadInputError(`${name}: not an ISO 8601 time: "${value}"`, 'store', { param: name });
  return new Date(ms).toISOString();
}

export function normalizeRange(range: TimeRange): TimeRange {
  const out: TimeRange = {};
  if (range.from !== undefined) out.from = toUtcIso(range.from, 'from');
  if (range.to !== undefined) out.to = toUtcIso(range.to, 'to');
  return out;
}
