// How a histogram's range is cut into buckets, the same in every store: the range is
// the filter's bounds, an open bound closed by the matching alerts (the earliest
// last_seen, but at least an hour back; the latest, or now when later); the bucket is the smallest "nice"
// interval (10 s … 30 days) giving no more buckets than asked; a bound the data chose
// is rounded down to a whole bucket so bars start on readable times.
import { MAX_HISTOGRAM_BUCKETS, MIN_HISTOGRAM_BUCKETS, type AlertHistogram } from '../ports/alert-histogram.ts';
import type { Severity } from '../schemas/alert.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
export const NICE_INTERVALS_MS = [
  10 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  30 * DAY,
] as const;
/** The shortest range drawn when the lower bound comes from the data (or nothing matches). */
const MIN_OPEN_SPAN_MS = HOUR;

export interface HistogramPlan {
  fromMs: number;
  toMs: number;
  bucketMs: number;
}

/**
 * `from`/`to`: the filter's bounds (UTC ISO, normalized); `earliest`/`latest`: the
 * matching alerts' last_seen extremes, read only when a bound is open (null: none match).
 */
export function histogramPlan(
  bounds: { from?: string; to?: string },
  data: { earliest: string | null; latest: string | null },
  buckets: number,
  now: number,
): HistogramPlan {
  const wanted = Math.max(MIN_HISTOGRAM_BUCKETS, Math.min(MAX_HISTOGRAM_BUCKETS, Math.floor(buckets) || MIN_HISTOGRAM_BUCKETS));
  const latest = data.latest === null ? null : Date.parse(data.latest) + 1;
  const toMs = bounds.to !== undefined ? Date.parse(bounds.to) : Math.max(now, latest ?? now);
  const givenFrom = bounds.from !== undefined ? Date.parse(bounds.from) : null;
  // Alerts of the last minutes drawn over an hour, not stretched into a few wide bars.
  const roughFrom = givenFrom ?? Math.min(toMs - MIN_OPEN_SPAN_MS, data.earliest === null ? toMs : Date.parse(data.earliest));
  const span = Math.max(1, toMs - roughFrom);
  const bucketMs = NICE_INTERVALS_MS.find((ms) => span / ms <= wanted) ?? Math.ceil(span / wanted);
  const fromMs = givenFrom ?? Math.floor(roughFrom / bucketMs) * bucketMs;
  return { fromMs, toMs: Math.max(toMs, fromMs + 1), bucketMs };
}

/** Rows of (bucket index, severity, count) as the answer's buckets, oldest first. */
export function histogramAnswer(plan: HistogramPlan, rows: Iterable<{ bucket: number; severity: Severity; n: number }>): AlertHistogram {
  const byBucket = new Map<number, Partial<Record<Severity, number>>>();
  let total = 0;
  for (const { bucket, severity, n } of rows) {
    const counts = byBucket.get(bucket) ?? {};
    counts[severity] = (counts[severity] ?? 0) + n;
    byBucket.set(bucket, counts);
    total += n;
  }
  return {
    from: new Date(plan.fromMs).toISOString(),
    to: new Date(plan.toMs).toISOString(),
    bucketMs: plan.bucketMs,
    buckets: [...byBucket.entries()]
      .sort(([a], [b]) => a - b)
      .map(([bucket, bySeverity]) => ({ start: new Date(plan.fromMs + bucket * plan.bucketMs).toISOString(), bySeverity })),
    total,
  };
}
