// GET /api/v1/alerts/groups?by=host: a unit's hosts by how many alerts they had over a
// range (every status), largest first.
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';

const groupsSchema = z.object({
  groups: z.array(z.object({ key: z.string().nullable(), label: z.string(), count: z.number() })),
  total: z.number(),
});
export type UnitHosts = z.infer<typeof groupsSchema>;

export function getUnitHosts(unit: string, bounds: { from: string; to: string }, signal?: AbortSignal): Promise<UnitHosts> {
  return apiRequest('/alerts/groups', { query: { by: 'host', unit, ...bounds }, schema: groupsSchema, signal });
}
