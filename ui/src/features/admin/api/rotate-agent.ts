// POST /api/v1/agents/:id/rotate: a new key, shown this once; the old key is refused from now on.
import { apiRequest } from '../../../lib/api-client.ts';
import { agentKeySchema, type AgentKey } from '../types/admin.ts';

export async function rotateAgent(id: string): Promise<AgentKey> {
  return apiRequest(`/agents/${encodeURIComponent(id)}/rotate`, { method: 'POST', schema: agentKeySchema });
}
