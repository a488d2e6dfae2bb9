// POST /api/v1/users/:username/password: an admin sets a new password; the user's sessions end (204).
import { apiRequest } from '../../../lib/api-client.ts';

export async function resetPassword(username: string, password: string): Promise<void> {
  await apiRequest(`/users/${encodeURIComponent(username)}/password`, { method: 'POST', body: { password } });
}
