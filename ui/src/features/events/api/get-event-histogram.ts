// GET /api/v1/events/histogram: the current search's matches per time bucket, every
// bucket of the range (zeros included); the server picks a round bucket length for
// about `bars` bars and, with no `from`, shows the week before `to`.
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';

export const eventHistogramSchema = z.object({
  from: z.string(),
  to: z.string(),
  bucketMs: z.number().int().positive(),
  buckets: z.array(z.object({ start: z.string(), count: z.number().int().nonnegative() })),
  total: z.number().int().nonnegative(),
});
export type EventHistogram = z.infer<typeof eventHistogramSchema>;

export const HISTOGRAM_BARS = 60;

export function getEventHistogram(input: { q: string; from?: string; to?: string }, signal?: AbortSignal): Promise<EventHistogram> {
  return apiRequest('/events/histogram', { query: { ...input, bars: HISTOGRAM_BARS }, schema: eventHistogramSchema, signal });
}
