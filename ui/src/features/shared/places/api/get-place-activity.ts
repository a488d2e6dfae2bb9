// A host's or unit's activity over a range, for the chart at the top of its page: GET
// /api/v1/alerts/histogram filtered by host and unit (every status), stacked by
// severity, and GET /api/v1/events/histogram of the place's event search. The server
// picks a round bucket length for about ACTIVITY_BARS bars and applies the user's scope.
import { z } from 'zod';
import { severityOrder } from '../../../../components/ui/severity-badge.tsx';
import { apiRequest } from '../../../../lib/api-client.ts';

/** About this many bars: enough to see a burst, few enough to click one. */
export const ACTIVITY_BARS = 60;

const range = { from: z.string(), to: z.string(), bucketMs: z.number().int().positive(), total: z.number().int().nonnegative() };
const count = z.number().int().nonnegative();

const alertActivitySchema = z.object({
  ...range,
  buckets: z.array(z.object({ start: z.string(), bySeverity: z.partialRecord(z.enum(severityOrder), count) })),
});
export type AlertActivity = z.infer<typeof alertActivitySchema>;

const eventActivitySchema = z.object({ ...range, buckets: z.array(z.object({ start: z.string(), count })) });
export type EventActivity = z.infer<typeof eventActivitySchema>;

export function getAlertActivity(query: { host?: string; unit?: string; from: string; to: string }, signal?: AbortSignal): Promise<AlertActivity> {
  return apiRequest('/alerts/histogram', { query: { ...query, buckets: ACTIVITY_BARS }, schema: alertActivitySchema, signal });
}

export function getEventActivity(query: { q: string; from: string; to: string }, signal?: AbortSignal): Promise<EventActivity> {
  return apiRequest('/events/histogram', { query: { ...query, bars: ACTIVITY_BARS }, schema: eventActivitySchema, signal });
}
