// GET /api/v1/alerts for a host or a unit page: the few alert fields those pages show,
// newest first. The server applies the user's scope.
import { z } from 'zod';
import { apiRequest } from '../../../../lib/api-client.ts';

export const placeAlertSchema = z.object({
  id: z.string(),
  rule: z.object({ id: z.string(), title: z.string() }),
  severity: z.enum(['informational', 'low', 'medium', 'high', 'critical']),
  status: z.string(),
  organization: z.object({ id: z.string(), name: z.string().optional() }),
  host: z.object({ id: z.string().optional(), name: z.string().optional() }).optional(),
  first_seen: z.string(),
  last_seen: z.string(),
  count: z.number(),
});
export type PlaceAlert = z.infer<typeof placeAlertSchema>;

const pageSchema = z.object({ items: z.array(placeAlertSchema), total: z.number(), totalIsExact: z.boolean().optional() });
export type PlaceAlertPage = z.infer<typeof pageSchema>;

export const OPEN_STATUSES = ['new', 'acknowledged', 'in_progress'];

export interface PlaceAlertQuery {
  host?: string;
  unit?: string;
  status?: string[];
  from?: string;
  to?: string;
  limit: number;
}

export function getPlaceAlerts(query: PlaceAlertQuery, signal?: AbortSignal): Promise<PlaceAlertPage> {
  return apiRequest('/alerts', { query: { ...query, limit: query.limit }, schema: pageSchema, signal });
}
