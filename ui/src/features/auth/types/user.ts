// The signed-in person as the server describes them: role and unit scope.
import { z } from 'zod';

export const userSchema = z.object({
  username: z.string().min(1),
  role: z.enum(['admin', 'analyst', 'viewer']),
  units: z.union([z.literal('all'), z.array(z.string())]),
});
export type User = z.infer<typeof userSchema>;

export const userResponseSchema = z.object({ user: userSchema });
