// GET /api/v1/alerts/:id/notifications: each notification about one alert, oldest first,
// with its attempts; a unit's people see their unit's channels only (server-side).
import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';
import { attemptSchema, deliverySchema } from './deliveries.ts';

const itemsSchema = z.object({ items: z.array(deliverySchema.extend({ attemptLog: z.array(attemptSchema) })) });
export type AlertDelivery = z.infer<typeof itemsSchema>['items'][number];

export const alertNotificationsKey = (alertId: string) => ['notifications', 'alert', alertId] as const;

export function useAlertNotifications(alertId: string) {
  return useQuery({
    queryKey: alertNotificationsKey(alertId),
    queryFn: ({ signal }) => apiRequest(`/alerts/${encodeURIComponent(alertId)}/notifications`, { schema: itemsSchema, signal }),
    retry: false,
    // Deliveries move on their own (retries, a digest): keep the history current while open.
    refetchInterval: (query) => (query.state.data?.items.some((d) => d.state === 'pending') ? 3_000 : 30_000),
  });
}
