// The dashboard's alert trend from the embedded (SQLite) store: alerts by last_seen in
// [from, to), counted per bucket and severity in SQL, and per unit with the triage sums
// of their histories (only alerts that have one are read), in the caller's scope.
import type { AlertTrend, AlertTrendQuery } from '../ports/alert-trend.ts';
import type { Scope } from '../ports/scope.ts';
import type { HistoryEntry, Severity } from '../schemas/alert.ts';
import { SqlConditions } from './sql-conditions.ts';
import type { StatementCache } from './statement-cache.ts';
import { addTriageSample } from './triage-times.ts';
import { foldUnitTriage, trendBounds, unitTriageEntry, type UnitTriage } from './trend-buckets.ts';

/** last_seen as epoch milliseconds (julianday keeps the milliseconds of the stored text). */
const SEEN_MS = `CAST(round((julianday(last_seen) - 2440587.5) * 86400000.0) AS INTEGER)`;

export function alertTrendSql(statements: StatementCache, query: AlertTrendQuery, scope: Scope): AlertTrend {
  const bounds = trendBounds(query);
  const alerts = new SqlConditions();
  if (!alerts.addScope(scope, 'org')) return { buckets: [], units: [] };
  alerts.add('last_seen >= ?', bounds.from).add('last_seen < ?', bounds.to);

  const rows = statements
    .get(`SELECT (${SEEN_MS} - CAST(? AS INTEGER)) / CAST(? AS INTEGER) AS bucket, severity, count(*) AS n FROM alerts ${alerts.sql} GROUP BY bucket, severity ORDER BY bucket`)
    .all(bounds.fromMs, bounds.bucketMs, ...alerts.params) as { bucket: number; severity: Severity; n: number }[];
  const buckets: AlertTrend['buckets'] = [];
  for (const { bucket, severity, n } of rows) {
    const start = new Date(bounds.fromMs + Math.max(0, bucket) * bounds.bucketMs).toISOString();
    let last = buckets.at(-1);
    if (last === undefined || last.start !== start) {
      last = { start, bySeverity: {} };
      buckets.push(last);
    }
    last.bySeverity[severity] = (last.bySeverity[severity] ?? 0) + n;
  }

  const units: UnitTriage = new Map();
  const counts = statements.get(`SELECT org, count(*) AS n FROM alerts ${alerts.sql} GROUP BY org`).all(...alerts.params) as { org: string; n: number }[];
  for (const { org, n } of counts) unitTriageEntry(units, org).alerts = n;
  const triaged = alerts.copy().add(`json_array_length(doc, '$.history') > 0`);
  const histories = statements
    .get(`SELECT org, severity, json_extract(doc, '$.first_seen') AS firstSeen, json_extract(doc, '$.history') AS history FROM alerts ${triaged.sql}`)
    .all(...triaged.params) as { org: string; severity: Severity; firstSeen: string; history: string }[];
  for (const row of histories) {
    addTriageSample(unitTriageEntry(units, row.org).bySeverity, {
      severity: row.severity,
      firstSeen: row.firstSeen,
      history: JSON.parse(row.history) as HistoryEntry[],
    });
  }
  return { buckets, units: foldUnitTriage(units) };
}
