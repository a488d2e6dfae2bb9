// GET /api/v1/alerts/histogram: the alerts of the list's filter per time bucket and
// severity (the server picks a readable bucket size for about `buckets` bars and
// closes an open range from the data).
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';
import { severitySchema } from '../types/alert.ts';
import { listQueryParams, type AlertListQuery } from '../types/list-query.ts';

export const alertHistogramSchema = z.object({
  from: z.string(),
  to: z.string(),
  bucketMs: z.number().int().positive(),
  buckets: z.array(z.object({ start: z.string(), bySeverity: z.partialRecord(severitySchema, z.number().int().nonnegative()) })),
  total: z.number().int().nonnegative(),
});
export type AlertHistogram = z.infer<typeof alertHistogramSchema>;

/** About this many bars: enough to see a burst, few enough to click one. */
export const HISTOGRAM_BARS = 60;

export function getAlertHistogram(query: AlertListQuery, signal?: AbortSignal): Promise<AlertHistogram> {
  return apiRequest('/alerts/histogram', { query: { ...listQueryParams(query), buckets: HISTOGRAM_BARS }, schema: alertHistogramSchema, signal });
}
