// What both Store adapters check before counting an event histogram
// (core/ports/event-histogram.ts): a real range, and a bucket length that neither goes
// below a second nor cuts the range into more than MAX_EVENT_BUCKETS pieces.
import { BadInputError } from '../errors.ts';
import { MAX_EVENT_BUCKETS, MIN_EVENT_BUCKET_MS, type EventHistogramQuery } from '../ports/event-histogram.ts';
import { toUtcIso } from './search-bounds.ts';

export interface HistogramBounds {
  from: string;
  to: string;
  fromMs: number;
  bucketMs: number;
}

export function histogramBounds(query: EventHistogramQuery): HistogramBounds {
  const from = toUtcIso(query.from, 'from');
  const to = toUtcIso(query.to, 'to');
  const fromMs = Date.parse(from);
  if (Date.parse(to) <= fromMs) throw new BadInputError('to: must be after from', 'store', { param: 'to' });
  const bucketMs = Math.trunc(query.bucketMs);
  if (!Number.isFinite(bucketMs) || bucketMs < MIN_EVENT_BUCKET_MS) {
    throw new BadInputError(`bucketMs: at least ${MIN_EVENT_BUCKET_MS}`, 'store', { param: 'bucketMs' });
  }
  if ((Date.parse(to) - fromMs) / bucketMs > MAX_EVENT_BUCKETS) {
    throw new BadInputError(`bucketMs: at most ${MAX_EVENT_BUCKETS} buckets, use a longer bucket for this range`, 'store', { param: 'bucketMs' });
  }
  return { from, to, fromMs, bucketMs };
}
