// The alert workbench's histogram from the embedded (SQLite) store: the list's filter
// (embedded-alert-query.ts's conditions, so the bars count exactly what the list
// shows), bounds from the data when open, then one GROUP BY bucket and severity.
import type { AlertHistogram, AlertHistogramQuery } from '../ports/alert-histogram.ts';
import type { Scope } from '../ports/scope.ts';
import type { Severity } from '../schemas/alert.ts';
import { histogramAnswer, histogramPlan } from './alert-histogram-plan.ts';
import { alertConditions } from './embedded-alert-query.ts';
import { normalizeRange } from './search-bounds.ts';
import { SqlConditions } from './sql-conditions.ts';
import type { StatementCache } from './statement-cache.ts';

/** last_seen as epoch milliseconds (julianday keeps the milliseconds of the stored text). */
const SEEN_MS = `CAST(round((julianday(last_seen) - 2440587.5) * 86400000.0) AS INTEGER)`;

export function alertHistogramSql(statements: StatementCache, query: AlertHistogramQuery, scope: Scope, now = Date.now()): AlertHistogram {
  const bounds = normalizeRange(query);
  const where = new SqlConditions();
  const visible = alertConditions(where, query, scope);
  let data = { earliest: null as string | null, latest: null as string | null };
  if (visible && (bounds.from === undefined || bounds.to === undefined)) {
    data = statements.get(`SELECT min(last_seen) AS earliest, max(last_seen) AS latest FROM alerts ${where.sql}`).get(...where.params) as typeof data;
  }
  const plan = histogramPlan(bounds, data, query.buckets, now);
  if (!visible) return histogramAnswer(plan, []);
  const ranged = where.copy().add('last_seen >= ?', new Date(plan.fromMs).toISOString()).add('last_seen < ?', new Date(plan.toMs).toISOString());
  const rows = statements
    // Bound numbers arrive as REAL: CAST makes the division an integer bucket number.
    .get(`SELECT CAST((${SEEN_MS} - ?) / ? AS INTEGER) AS bucket, severity, count(*) AS n FROM alerts ${ranged.sql} GROUP BY bucket, severity`)
    .all(plan.fromMs, plan.bucketMs, ...ranged.params) as { bucket: number; severity: Severity; n: number }[];
  return histogramAnswer(plan, rows);
}
