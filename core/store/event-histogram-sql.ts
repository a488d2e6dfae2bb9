// The Events view's histogram from the embedded (SQLite) store: the events a search
// matches in [from, to), counted per bucket in one GROUP BY over the same conditions
// searchEvents uses (event-query-sql.ts), in the caller's scope.
import type { EventHistogram, EventHistogramQuery } from '../ports/event-histogram.ts';
import type { Scope } from '../ports/scope.ts';
import { parseEventQuery } from '../query/event-query.ts';
import { histogramBounds } from './event-histogram-bounds.ts';
import { addEventQueryConditions, chooseIndexUse } from './event-query-sql.ts';
import { SqlConditions } from './sql-conditions.ts';
import type { StatementCache } from './statement-cache.ts';

/** ts as epoch milliseconds; 'subsec' keeps the stored milliseconds. */
const TS_MS = `CAST(round(unixepoch(events.ts, 'subsec') * 1000) AS INTEGER)`;

export function eventHistogramSql(
  statements: StatementCache,
  query: EventHistogramQuery,
  scope: Scope,
  countMatches: (match: string, limit: number) => number,
): EventHistogram {
  const parsed = parseEventQuery(query.q ?? '');
  const bounds = histogramBounds(query);
  const where = new SqlConditions();
  if (!where.addScope(scope, 'org')) return { buckets: [] };
  where.add('ts >= ?', bounds.from).add('ts < ?', bounds.to);
  addEventQueryConditions(where, parsed, chooseIndexUse(parsed, countMatches));
  const rows = statements
    .get(`SELECT CAST((${TS_MS} - ?) / ? AS INTEGER) AS bucket, count(*) AS n FROM events ${where.sql} GROUP BY bucket ORDER BY bucket`)
    .all(bounds.fromMs, bounds.bucketMs, ...where.params) as { bucket: number; n: number }[];
  return { buckets: rows.map(({ bucket, n }) => ({ start: new Date(bounds.fromMs + bucket * bounds.bucketMs).toISOString(), count: n })) };
}
