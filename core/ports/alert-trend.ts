// What the console's dashboard needs from the Store beyond the report's figures: alerts
// over [from, to) cut into equal time buckets by severity (the stacked chart), and the
// triage sums per unit (mean time to acknowledge and to resolve, per unit). Sums, not
// means, so the rule for a mean lives once, with whoever reads them.
import type { Severity } from '../schemas/alert.ts';
import type { TriageTimes } from './report-figures.ts';

export interface AlertTrendQuery {
  /** Inclusive, ISO 8601. */
  from: string;
  /** Exclusive, ISO 8601. */
  to: string;
  /** Bucket length in ms (at least a minute); buckets start at from, from + bucketMs, ... */
  bucketMs: number;
}

export interface AlertTrend {
  /** Buckets with alerts (by last_seen), oldest first; start is the bucket's first instant, ISO. */
  buckets: { start: string; bySeverity: Partial<Record<Severity, number>> }[];
  /**
   * Per unit with alerts in the range: the triage sums of those alerts (triage-times.ts's
   * rule), largest `alerts` first, ties by unit id. `*` (alerts spanning units) is a unit here.
   */
  units: { unit: string; times: TriageTimes }[];
}

export const MIN_TREND_BUCKET_MS = 60_000;
/** Most buckets one trend answers; a smaller bucket for a longer range is refused. */
export const MAX_TREND_BUCKETS = 1000;
