// POST /api/v1/users: a new person (409 when the name exists; 403 for a grant wider than the admin's own).
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';
import { managedUserSchema, type ManagedUser, type Role, type UserUnits } from '../types/admin.ts';

export interface NewUser {
  username: string;
  password: string;
  role: Role;
  units: UserUnits;
}

const createUserResponseSchema = z.object({ user: managedUserSchema });

export async function createUser(user: NewUser): Promise<ManagedUser> {
  return (await apiRequest('/users', { method: 'POST', body: user, schema: createUserResponseSchema })).user;
}
