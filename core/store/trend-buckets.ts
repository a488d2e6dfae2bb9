// What both Store adapters do around an alert trend (core/ports/alert-trend.ts): check
// the asked range and bucket length, and fold per-unit triage samples into the answer's
// order, so the embedded and search stores agree by construction.
import { BadInputError } from '../errors.ts';
import { MAX_TREND_BUCKETS, MIN_TREND_BUCKET_MS, type AlertTrend, type AlertTrendQuery } from '../ports/alert-trend.ts';
import type { TriageTimes } from '../ports/report-figures.ts';
import type { Severity } from '../schemas/alert.ts';
import { toUtcIso } from './search-bounds.ts';
import { emptyTriageTimes } from './triage-times.ts';

export interface TrendBounds {
  from: string;
  to: string;
  fromMs: number;
  bucketMs: number;
}

export function trendBounds(query: AlertTrendQuery): TrendBounds {
  const from = toUtcIso(query.from, 'from');
  const to = toUtcIso(query.to, 'to');
  const fromMs = Date.parse(from);
  const toMs = Date.parse(to);
  if (toMs <= fromMs) throw new BadInputError('to must be after from', 'store', { param: 'to' });
  const bucketMs = Math.trunc(query.bucketMs);
  if (!Number.isFinite(bucketMs) || bucketMs < MIN_TREND_BUCKET_MS) {
    throw new BadInputError(`bucketMs: at least ${MIN_TREND_BUCKET_MS}`, 'store', { param: 'bucketMs' });
  }
  if ((toMs - fromMs) / bucketMs > MAX_TREND_BUCKETS) {
    throw new BadInputError(`at most ${MAX_TREND_BUCKETS} buckets: use a longer bucket for this range`, 'store', { param: 'bucketMs' });
  }
  return { from, to, fromMs, bucketMs };
}

/** Per unit: alerts counted, and triage samples added per severity (addTriageSample's shape). */
export type UnitTriage = Map<string, { alerts: number; bySeverity: Partial<Record<Severity, TriageTimes>> }>;

export function unitTriageEntry(units: UnitTriage, unit: string): { alerts: number; bySeverity: Partial<Record<Severity, TriageTimes>> } {
  let entry = units.get(unit);
  if (entry === undefined) {
    entry = { alerts: 0, bySeverity: {} };
    units.set(unit, entry);
  }
  return entry;
}

export function foldUnitTriage(units: UnitTriage): AlertTrend['units'] {
  const answer: AlertTrend['units'] = [];
  for (const [unit, entry] of units) {
    const times = emptyTriageTimes();
    times.alerts = entry.alerts;
    for (const t of Object.values(entry.bySeverity)) {
      times.acknowledged += t.acknowledged;
      times.acknowledgeMsTotal += t.acknowledgeMsTotal;
      times.resolved += t.resolved;
      times.resolveMsTotal += t.resolveMsTotal;
    }
    answer.push({ unit, times });
  }
  return answer.sort((a, b) => b.times.alerts - a.times.alerts || (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0));
}
