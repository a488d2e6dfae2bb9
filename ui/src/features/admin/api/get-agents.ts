// GET /api/v1/agents: agents of the admin's units, revoked ones included, with last seen.
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';
import { agentSchema, type Agent } from '../types/admin.ts';

const agentsResponseSchema = z.object({ items: z.array(agentSchema) });

export async function getAgents(signal?: AbortSignal): Promise<Agent[]> {
  return (await apiRequest('/agents', { schema: agentsResponseSchema, signal })).items;
}
