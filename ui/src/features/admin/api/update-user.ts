// PATCH /api/v1/users/:username: role, units or disabled; any change ends the user's sessions.
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';
import { managedUserSchema, type ManagedUser, type Role, type UserUnits } from '../types/admin.ts';

export interface UserPatch {
  role?: Role;
  units?: UserUnits;
  disabled?: boolean;
}

const updateUserResponseSchema = z.object({ user: managedUserSchema });

export async function updateUser(username: string, patch: UserPatch): Promise<ManagedUser> {
  return (
    await apiRequest(`/users/${encodeURIComponent(username)}`, { method: 'PATCH', body: patch, schema: updateUserResponseSchema })
  ).user;
}
