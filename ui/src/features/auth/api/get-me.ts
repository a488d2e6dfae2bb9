// GET /api/v1/auth/session: who the session cookie belongs to; null when nobody is
// signed in. That endpoint answers 200 {signedIn:false} rather than 401, so loading the
// console signed out logs no failed request in the browser console.
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';
import { userSchema, type User } from '../types/user.ts';

const sessionSchema = z.discriminatedUnion('signedIn', [
  z.object({ signedIn: z.literal(true), user: userSchema }),
  z.object({ signedIn: z.literal(false) }),
]);

export async function getMe(signal?: AbortSignal): Promise<User | null> {
  const res = await apiRequest('/auth/session', { schema: sessionSchema, signal, notifyUnauthorized: false });
  return res.signedIn ? res.user : null;
}
