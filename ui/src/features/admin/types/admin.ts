// Units, agents and people as the administration API describes them (api/admin-routes.ts).
// Every string here may come from a hostile source (a unit admin names an agent): render as text only.
import { z } from 'zod';

export const unitSchema = z.object({ id: z.string().min(1), name: z.string() });
export type Unit = z.infer<typeof unitSchema>;

export const agentSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  unit: unitSchema,
  created: z.string(),
  /** When the key was last replaced; null while the enrolment key is in use. */
  rotated: z.string().nullable(),
  revoked: z.string().nullable(),
  /** Coarse: the server notes it about once a minute per agent. */
  lastSeen: z.string().nullable(),
});
export type Agent = z.infer<typeof agentSchema>;

/** A key the server shows this once (enrolment or rotation); only its hash is kept. */
export const agentKeySchema = z.object({ agent: agentSchema, key: z.string().min(1) });
export type AgentKey = z.infer<typeof agentKeySchema>;

export const roles = ['admin', 'analyst', 'viewer'] as const;
export type Role = (typeof roles)[number];
export const userUnitsSchema = z.union([z.literal('all'), z.array(z.string())]);
export type UserUnits = z.infer<typeof userUnitsSchema>;

export const managedUserSchema = z.object({
  username: z.string().min(1),
  role: z.enum(roles),
  units: userUnitsSchema,
  disabled: z.boolean(),
});
export type ManagedUser = z.infer<typeof managedUserSchema>;
