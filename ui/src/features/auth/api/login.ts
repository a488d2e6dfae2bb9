// POST /api/v1/auth/login: checks the credentials and sets the HttpOnly session cookie.
import { apiRequest } from '../../../lib/api-client.ts';
import { userResponseSchema, type User } from '../types/user.ts';

export interface LoginInput {
  username: string;
  password: string;
}

export async function login(input: LoginInput, signal?: AbortSignal): Promise<User> {
  const res = await apiRequest('/auth/login', {
    method: 'POST',
    body: input,
    schema: userResponseSchema,
    signal,
    notifyUnauthorized: false,
  });
  return res.user;
}
