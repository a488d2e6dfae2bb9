// The Accounts port: units, people, agent keys, sessions and the audit log. Kept apart
// from the event Store because it is small, relational and read on every request,
// whereas the Store is built for volume and may be a search cluster. Every method is
// async so that an adapter over the network (the search store, a SQL server) fits; one
// conformance suite (test/core/accounts-conformance.ts) holds every adapter to it.
//
// What the port promises beyond storage:
// - Nothing is ever replaced silently: creating a unit or user that exists is a ConflictError.
// - Secrets leave an adapter once: an agent key at enrolment or rotation, a session token
//   at sign-in. Only hashes are kept.
// - A session ends everywhere when it is deleted, expires, or its user is disabled, deleted,
//   gets a new password, or a new role or units: getSession answers null from then on.
// - The audit log is append-only: there is no way to change or remove an entry.
import { z } from 'zod';
import type { Scope } from '../ports/scope.ts';

export const roles = ['admin', 'analyst', 'viewer'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

export const unitIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a unit id is lowercase letters, digits, - and _ (at most 64)');

export const unitNameSchema = z.string().trim().min(1).max(200);
export const unitSchema = z.object({ id: unitIdSchema, name: unitNameSchema });
export type Unit = z.infer<typeof unitSchema>;

/** 'all' for the SOC, or the units a unit IT officer may see (at least one). */
export const userUnitsSchema = z.union([z.literal('all'), z.array(unitIdSchema).min(1, 'name at least one unit, or "all"').max(5000)]);
export type UserUnits = z.infer<typeof userUnitsSchema>;

export const usernameSchema = z.string().regex(/^[A-Za-z0-9._@-]{1,100}$/, 'letters, digits, . _ @ - (at most 100)');
export const passwordSchema = z.string().min(8, 'at least 8 characters').max(1000);

/** Who a person is and what they may see; what a session resolves to. */
export interface User {
  username: string;
  role: Role;
  units: UserUnits;
  /** A disabled user cannot sign in and has no session. */
  disabled: boolean;
}

export type NewUser = Pick<User, 'username' | 'role' | 'units'>;

export interface UserPatch {
  role?: Role;
  units?: UserUnits;
  disabled?: boolean;
}

export interface Agent {
  id: string;
  name: string;
  unit: Unit;
  created: string;
  /** When the key was last replaced (null: the enrolment key). */
  rotated: string | null;
  revoked: string | null;
  /**
   * Last time the agent's key was accepted. Coarse on purpose: recorded at most about
   * once a minute per agent, so ingest does not write on every post.
   */
  lastSeen: string | null;
  /**
   * The input format (`av:eset-protect`, `suricata`, ...) the agent's posts are read in
   * when a post names none; absent: native ECS. Ingest checks it against the formats
   * it knows.
   */
  format?: string;
}

/** A newly made agent key: shown this once, stored only as a hash. */
export interface AgentKey {
  agent: Agent;
  key: string;
}

/** One change or sign-in, as the audit log keeps it. */
export interface AuditEntry {
  id: string;
  /** ISO time the adapter recorded it. */
  time: string;
  /** Username, `agent:<id>`, or `system`; for a failed login, the name that was tried. */
  actor: string;
  /** The client's address, as the server saw it (null when not from a request). */
  source: string | null;
  /** Dotted verb: `auth.login`, `user.create`, `agent.revoke`, `alert.update`, ... */
  action: string;
  /** What was acted on: a username, an agent id, a unit id, an alert id. */
  target: string;
  /**
   * The units the entry concerns. A unit-scoped admin reads an entry only when every one
   * of them is theirs; an empty list (a SOC-wide user, a cross-unit alert) is SOC-only.
   */
  units: string[];
  before: unknown;
  after: unknown;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'time'>;

export interface AuditQuery {
  /** Entries concerning this unit. */
  unit?: string;
  actor?: string;
  action?: string;
  /** ISO times, inclusive. */
  from?: string;
  to?: string;
  limit: number;
  /** The `next` of a previous page. */
  cursor?: string;
}

/** Newest first. */
export interface AuditPage {
  items: AuditEntry[];
  /** Pass as `cursor` for the next (older) page; null at the end. */
  next: string | null;
}

export interface Accounts {
  /** ConflictError when the id exists. */
  createUnit(unit: Unit): Promise<Unit>;
  /** The unit before and after; NotFoundError when unknown. */
  renameUnit(id: string, name: string): Promise<{ before: Unit; after: Unit }>;
  /** Every unit, or those `scope` allows. */
  listUnits(scope?: Scope): Promise<Unit[]>;
  getUnit(id: string): Promise<Unit | null>;

  /** ConflictError when the username exists; BadInputError for an unknown unit. */
  createUser(user: NewUser, password: string): Promise<User>;
  getUser(username: string): Promise<User | null>;
  /** Every user, or with `scope` only the unit-scoped users whose units all lie within it. */
  listUsers(scope?: Scope): Promise<User[]>;
  /** Changes role, units or disabled; ends the user's sessions when any of them changes. NotFoundError when unknown. */
  updateUser(username: string, patch: UserPatch): Promise<{ before: User; after: User }>;
  /** Removes the user and ends their sessions; the removed user, NotFoundError when unknown. */
  deleteUser(username: string): Promise<User>;
  /** An admin's reset: sets the password and ends the user's sessions. NotFoundError when unknown. */
  setPassword(username: string, password: string): Promise<void>;
  /**
   * The user's own change: false (and nothing changed) when `oldPassword` is wrong; on
   * success every session of the user ends (the caller signs the current browser in again).
   */
  changePassword(username: string, oldPassword: string, newPassword: string): Promise<boolean>;
  /** The user when the password is right and the user enabled, else null (same answer for an unknown user). */
  checkPassword(username: string, password: string): Promise<User | null>;

  /** Enrols an agent for a unit. `key` is returned once and only its hash is kept. NotFoundError for an unknown unit. */
  createAgent(unitId: string, name: string, key?: string): Promise<AgentKey>;
  /** The agent a key belongs to, unless unknown or revoked; notes when it was last seen. */
  authenticateAgent(key: string): Promise<Agent | null>;
  getAgent(id: string): Promise<Agent | null>;
  /** Every agent, revoked ones included, or those of the units `scope` allows. */
  listAgents(scope?: Scope): Promise<Agent[]>;
  /** A new key for an active agent; the old one is refused from now on. NotFoundError when unknown or revoked. */
  rotateAgent(id: string): Promise<AgentKey>;
  /** Revokes an active agent's key at once: the revoked agent, or null when unknown or already revoked. */
  revokeAgent(id: string): Promise<Agent | null>;
  /** Sets the agent's default input format, or clears it with null. The agent; NotFoundError when unknown. */
  setAgentFormat(id: string, format: string | null): Promise<Agent>;

  createSession(username: string, ttlMs: number): Promise<string>;
  /** The signed-in user for a session token, or null when unknown, expired, or the user is disabled or gone. */
  getSession(token: string): Promise<User | null>;
  deleteSession(token: string): Promise<void>;
  /** Ends every session of a user (sign out everywhere). */
  deleteUserSessions(username: string): Promise<void>;

  /** Appends to the audit log; the stored entry, with its id and time. */
  appendAudit(entry: NewAuditEntry): Promise<AuditEntry>;
  /**
   * Newest first, filtered by `query`; with a unit `scope`, only entries whose units are
   * non-empty and all within it. An adapter makes an entry readable here as soon as
   * appendAudit resolved.
   */
  listAudit(query: AuditQuery, scope?: Scope): Promise<AuditPage>;

  close(): Promise<void>;
}

/** Whether a user with `units` lies entirely within `scope` (a unit admin may manage them). */
export function unitsWithin(units: UserUnits | readonly string[], scope: Scope): boolean {
  if (scope.kind === 'all') return true;
  if (units === 'all') return false;
  return units.every((unit) => scope.units.includes(unit));
}
