// DELETE /api/v1/users/:username: removes the person and ends their sessions (204).
import { apiRequest } from '../../../lib/api-client.ts';

export async function deleteUser(username: string): Promise<void> {
  await apiRequest(`/users/${encodeURIComponent(username)}`, { method: 'DELETE' });
}
