// What the Events view's histogram needs from the Store: how many events matching a
// search (the same `q` as searchEvents) fall in each equal time bucket of [from, to),
// in the caller's scope. Buckets start at `from`, then from + bucketMs, ...; only
// buckets with events are answered, so a sparse range costs nothing to send.
export interface EventHistogramQuery {
  /** The event search language (core/query/event-query.ts); empty: every event. */
  q?: string;
  /** Inclusive, ISO 8601. */
  from: string;
  /** Exclusive, ISO 8601. */
  to: string;
  /** Bucket length in ms, at least MIN_EVENT_BUCKET_MS. */
  bucketMs: number;
}

export interface EventHistogram {
  /** Buckets with events, oldest first; start is the bucket's first instant, UTC ISO. */
  buckets: { start: string; count: number }[];
}

export const MIN_EVENT_BUCKET_MS = 1000;
/** Most buckets one histogram answers; a smaller bucket for a longer range is refused. */
export const MAX_EVENT_BUCKETS = 1000;
