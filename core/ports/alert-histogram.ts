// The alert workbench's histogram: the alerts a list filter matches, counted per time
// bucket (by last_seen, as the list's time range filters) and severity, so the
// analyst sees when the alerts of the current view happened and can narrow the range.
// The store picks the bucket size from the range (about `buckets` of them, on a nice
// interval) and, when the filter leaves a bound open, takes it from the data.
import type { Severity } from '../schemas/alert.ts';
import type { AlertFilter } from './store.ts';

export interface AlertHistogramQuery extends AlertFilter {
  /** About how many buckets the range is cut into (10 to MAX_HISTOGRAM_BUCKETS). */
  buckets: number;
}

export interface AlertHistogram {
  /** The range drawn: the filter's bounds, else the matching alerts' (to: now at the latest). UTC ISO. */
  from: string;
  to: string;
  bucketMs: number;
  /** Buckets with alerts, oldest first; start is the bucket's first instant, UTC ISO. */
  buckets: { start: string; bySeverity: Partial<Record<Severity, number>> }[];
  /** Alerts counted in all buckets. */
  total: number;
}

export const MIN_HISTOGRAM_BUCKETS = 10;
export const MAX_HISTOGRAM_BUCKETS = 200;
