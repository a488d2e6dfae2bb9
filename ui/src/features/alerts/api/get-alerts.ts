// GET /api/v1/alerts: one keyset page of the alerts the caller may see, in the list
// query's filter and sort; `next` leads to the following page, to the very last.
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';
import { alertSchema } from '../types/alert.ts';
import { listQueryParams, type AlertListQuery } from '../types/list-query.ts';

export const alertPageSchema = z.object({
  items: z.array(alertSchema),
  total: z.number().int().nonnegative(),
  totalIsExact: z.boolean(),
  next: z.string().nullable(),
});
export type AlertPage = z.infer<typeof alertPageSchema>;

export function getAlerts(query: AlertListQuery, page: { limit: number; cursor?: string | null }, signal?: AbortSignal): Promise<AlertPage> {
  const { field, direction } = query.sort;
  return apiRequest('/alerts', {
    query: {
      ...listQueryParams(query),
      sort: `${direction === 'desc' ? '-' : ''}${field}`,
      limit: page.limit,
      cursor: page.cursor ?? undefined,
    },
    schema: alertPageSchema,
    signal,
  });
}
