// GET /api/v1/dashboard: every dashboard panel over a time range, for what the user may
// see (the server scopes it), or one unit of it.
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';

const count = z.number().int().nonnegative();
const bySeverity = z.record(z.string(), count);

export const dashboardSchema = z.object({
  unit: z.object({ id: z.string(), name: z.string() }).nullable(),
  from: z.string(),
  to: z.string(),
  bucketMs: z.number().int().positive(),
  events: count,
  alerts: count,
  alertsBySeverity: bySeverity,
  overTime: z.array(z.object({ start: z.string(), bySeverity })),
  topRules: z.array(z.object({ rule: z.string(), title: z.string(), count })),
  topHosts: z.array(z.object({ host: z.string(), unit: z.string(), count })),
  topUnits: z.array(z.object({ unit: z.string(), name: z.string(), count })),
  topThreats: z.array(z.object({ name: z.string(), count, hosts: count })),
  infections: z.array(z.object({ outcome: z.string(), count, action: z.string().nullable() })),
  agents: z.object({
    online: count,
    silent: count,
    silentAfterMs: z.number().nonnegative(),
    silentList: z.array(z.object({ id: z.string(), name: z.string(), unit: z.string(), lastSeen: z.string().nullable() })),
  }),
  triage: z.array(
    z.object({
      unit: z.string(),
      name: z.string(),
      alerts: count,
      acknowledged: count,
      resolved: count,
      mttaMs: z.number().nonnegative().nullable(),
      mttrMs: z.number().nonnegative().nullable(),
    }),
  ),
});
export type Dashboard = z.infer<typeof dashboardSchema>;

export interface DashboardRequest {
  from: string;
  to: string;
  unit: string | null;
}

export function getDashboard(request: DashboardRequest, signal?: AbortSignal): Promise<Dashboard> {
  return apiRequest('/dashboard', { query: { from: request.from, to: request.to, unit: request.unit }, schema: dashboardSchema, signal });
}
