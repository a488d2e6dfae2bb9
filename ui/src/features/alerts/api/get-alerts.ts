// GET /api/v1/alerts: one page of alerts the caller may see, most recent last_seen first.
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';
import { alertSchema, type AlertFilters } from '../types/alert.ts';

export const alertPageSchema = z.object({
  items: z.array(alertSchema),
  total: z.number().int().nonnegative(),
  totalIsExact: z.boolean(),
  next: z.string().nullable(),
});
export type AlertPage = z.infer<typeof alertPageSchema>;

export interface GetAlertsInput extends AlertFilters {
  limit: number;
  cursor?: string | null;
  rule?: string;
  host?: string;
  from?: string;
  to?: string;
}

export function getAlerts(input: GetAlertsInput, signal?: AbortSignal): Promise<AlertPage> {
  return apiRequest('/alerts', {
    query: {
      status: input.statuses,
      severity: input.severities,
      rule: input.rule,
      host: input.host,
      from: input.from,
      to: input.to,
      limit: input.limit,
      cursor: input.cursor,
    },
    schema: alertPageSchema,
    signal,
  });
}
