// GET /api/v1/stats: counts over what the caller may see.
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';

export const statsSchema = z.object({
  events: z.number().nonnegative(),
  alerts: z.number().nonnegative(),
  alertsByStatus: z.record(z.string(), z.number()),
  alertsBySeverity: z.record(z.string(), z.number()),
  topRules: z.array(z.object({ rule: z.string(), title: z.string(), count: z.number() })).default([]),
  topHosts: z.array(z.object({ host: z.string(), unit: z.string(), count: z.number() })).default([]),
});
export type Stats = z.infer<typeof statsSchema>;

export function getStats(signal?: AbortSignal): Promise<Stats> {
  return apiRequest('/stats', { schema: statsSchema, signal });
}
