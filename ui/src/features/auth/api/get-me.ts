// GET /api/v1/auth/me: who the session cookie belongs to; null when there is no session.
import { ApiError, apiRequest } from '../../../lib/api-client.ts';
import { userResponseSchema, type User } from '../types/user.ts';

export async function getMe(signal?: AbortSignal): Promise<User | null> {
  try {
    const res = await apiRequest('/auth/me', { schema: userResponseSchema, signal, notifyUnauthorized: false });
    return res.user;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}
