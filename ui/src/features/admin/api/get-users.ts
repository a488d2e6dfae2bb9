// GET /api/v1/users: the people this admin manages (a unit admin: those wholly within its units).
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';
import { managedUserSchema, type ManagedUser } from '../types/admin.ts';

const usersResponseSchema = z.object({ items: z.array(managedUserSchema) });

export async function getUsers(signal?: AbortSignal): Promise<ManagedUser[]> {
  return (await apiRequest('/users', { schema: usersResponseSchema, signal })).items;
}
