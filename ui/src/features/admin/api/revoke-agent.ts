// DELETE /api/v1/agents/:id: revokes the agent's key at once (204).
import { apiRequest } from '../../../lib/api-client.ts';

export async function revokeAgent(id: string): Promise<void> {
  await apiRequest(`/agents/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
