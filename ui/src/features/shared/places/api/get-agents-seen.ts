// GET /api/v1/dashboard/agents: a unit's agents (or every agent the user may see) with
// when each was last seen and whether that makes it silent.
import { z } from 'zod';
import { apiRequest } from '../../../../lib/api-client.ts';

const agentsSchema = z.object({
  silentAfterMs: z.number(),
  items: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      unit: z.object({ id: z.string(), name: z.string() }),
      lastSeen: z.string().nullable(),
      silent: z.boolean(),
    }),
  ),
});
export type AgentsSeen = z.infer<typeof agentsSchema>;
export type AgentSeen = AgentsSeen['items'][number];

export function getAgentsSeen(unit: string | null, signal?: AbortSignal): Promise<AgentsSeen> {
  return apiRequest('/dashboard/agents', { query: { unit }, schema: agentsSchema, signal });
}
