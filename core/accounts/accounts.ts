// The Accounts port: units, people, agent keys and sessions. Kept apart from the event
// Store because it is small, relational and read on every request, whereas the Store
// is built for volume and may be a search cluster.
import { z } from 'zod';

export const roles = ['admin', 'analyst', 'viewer'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

export const unitIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a unit id is lowercase letters, digits, - and _ (at most 64)');

export const unitSchema = z.object({ id: unitIdSchema, name: z.string().trim().min(1).max(200) });
export type Unit = z.infer<typeof unitSchema>;

/** 'all' for the SOC, or the units a unit IT officer may see. */
export const userUnitsSchema = z.union([z.literal('all'), z.array(unitIdSchema)]);
export type UserUnits = z.infer<typeof userUnitsSchema>;

export interface User {
  username: string;
  role: Role;
  units: UserUnits;
}

export interface Agent {
  id: string;
  name: string;
  unit: Unit;
  created: string;
  revoked: string | null;
}

export interface Accounts {
  createUnit(unit: Unit): Promise<Unit>;
  listUnits(): Promise<Unit[]>;
  getUnit(id: string): Promise<Unit | null>;

  /** Creates or replaces the user. */
  putUser(user: User, password: string): Promise<User>;
  getUser(username: string): Promise<User | null>;
  listUsers(): Promise<User[]>;
  /** The user when the password is right, else null (same answer for an unknown user). */
  checkPassword(username: string, password: string): Promise<User | null>;

  /** Creates an agent key for a unit. `key` is returned once and only its hash is kept. */
  createAgent(unitId: string, name: string, key?: string): Promise<{ agent: Agent; key: string }>;
  /** The agent a key belongs to, unless unknown or revoked. */
  authenticateAgent(key: string): Promise<Agent | null>;
  listAgents(): Promise<Agent[]>;
  revokeAgent(id: string): Promise<boolean>;

  createSession(username: string, ttlMs: number): Promise<string>;
  /** The signed-in user for a session token, or null when unknown or expired. */
  getSession(token: string): Promise<User | null>;
  deleteSession(token: string): Promise<void>;

  close(): Promise<void>;
}
