// POST /api/v1/auth/logout: ends the session (204).
import { apiRequest } from '../../../lib/api-client.ts';

export async function logout(): Promise<void> {
  await apiRequest('/auth/logout', { method: 'POST', notifyUnauthorized: false });
}
