// POST /api/v1/agents: enrols an agent for a unit; the answer holds its key, shown this once.
import { apiRequest } from '../../../lib/api-client.ts';
import { agentKeySchema, type AgentKey } from '../types/admin.ts';

export async function enrolAgent(unit: string, name: string): Promise<AgentKey> {
  return apiRequest('/agents', { method: 'POST', body: { unit, name }, schema: agentKeySchema });
}
