// POST /api/v1/auth/password: the signed-in person's own change. The server ends every
// session of theirs and signs this browser in again; a wrong current password is 400.
import { apiRequest } from '../../../lib/api-client.ts';
import { userResponseSchema, type User } from '../types/user.ts';

export async function changePassword(oldPassword: string, newPassword: string): Promise<User> {
  return (await apiRequest('/auth/password', { method: 'POST', body: { oldPassword, newPassword }, schema: userResponseSchema })).user;
}
