// The embedded Accounts adapter: SQLite in <dataDir>/accounts.db. Secrets are stored
// hashed (see secrets.ts); the plain agent key and session token leave this file once.
// The audit table refuses UPDATE and DELETE by trigger, so append-only holds even for
// code that reaches the database directly.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { BadInputError, ConflictError, NotFoundError } from '../errors.ts';
import type { Scope } from '../ports/scope.ts';
import type { Accounts, Agent, AuditEntry, AuditPage, AuditQuery, NewAuditEntry, Unit, User, UserPatch, UserUnits } from './accounts.ts';
import { roleSchema } from './accounts.ts';
import { createPasswordHasher, type PasswordHasher } from './password-hasher.ts';
import { newSecret, sha256Hex } from './secrets.ts';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS units (id TEXT PRIMARY KEY, name TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS users (
    username TEXT PRIMARY KEY, role TEXT NOT NULL, units TEXT NOT NULL, password_hash TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS agents (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, unit_id TEXT NOT NULL REFERENCES units(id),
    key_hash TEXT NOT NULL UNIQUE, created TEXT NOT NULL, revoked TEXT);
  CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY, username TEXT NOT NULL, expires INTEGER NOT NULL);
  CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions (username);
  CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, time TEXT NOT NULL,
    actor TEXT NOT NULL, source TEXT, action TEXT NOT NULL, target TEXT NOT NULL,
    units TEXT NOT NULL, before TEXT, after TEXT);
  CREATE INDEX IF NOT EXISTS audit_by_actor ON audit (actor, seq);
  CREATE INDEX IF NOT EXISTS audit_by_action ON audit (action, seq);
  CREATE INDEX IF NOT EXISTS audit_by_time ON audit (time);
  CREATE TABLE IF NOT EXISTS audit_units (unit TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (unit, seq)) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS audit_units_by_seq ON audit_units (seq, unit);
  CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
`;

/** Columns added after the first release; added in place to an older accounts.db. */
const ADDED_COLUMNS: Array<{ table: string; column: string; definition: string }> = [
  { table: 'users', column: 'disabled', definition: 'INTEGER NOT NULL DEFAULT 0' },
  { table: 'agents', column: 'rotated', definition: 'TEXT' },
  { table: 'agents', column: 'last_seen', definition: 'TEXT' },
  { table: 'agents', column: 'format', definition: 'TEXT' },
];

/** How often an agent's last-seen time is written at most: ingest authenticates on every post. */
const LAST_SEEN_EVERY_MS = 60_000;

interface UserRow {
  username: string;
  role: string;
  units: string;
  password_hash: string;
  disabled: number;
}
interface AgentRow {
  id: string;
  name: string;
  unit_id: string;
  unit_name: string;
  created: string;
  rotated: string | null;
  revoked: string | null;
  last_seen: string | null;
  format: string | null;
}
interface AuditRow {
  seq: number;
  id: string;
  time: string;
  actor: string;
  source: string | null;
  action: string;
  target: string;
  units: string;
  before: string | null;
  after: string | null;
}

// Units as stored; lenient, so a row written by an older release still reads.
const storedUnitsSchema = z.union([z.literal('all'), z.array(z.string())]);

// A fixed hash to compare against for unknown users, so a login for a missing user
// costs the same scrypt time as one with a wrong password.
const DUMMY_HASH = 'scrypt$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export interface EmbeddedAccountsOptions {
  dataDir: string;
  /** Password hashes computed at once (config.security.passwordHashConcurrency); default 2. */
  passwordHashConcurrency?: number;
  /** A hasher to share instead (tests read its queue); overrides passwordHashConcurrency. */
  hasher?: PasswordHasher;
}

export function openEmbeddedAccounts(options: EmbeddedAccountsOptions): Accounts {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const db = new Database(path.join(options.dataDir, 'accounts.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.exec(SCHEMA);
  for (const { table, column, definition } of ADDED_COLUMNS) {
    const columns = db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>;
    if (!columns.some((c) => c.name === column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
  }
  const hasher = options.hasher ?? createPasswordHasher({ concurrency: options.passwordHashConcurrency ?? 2 });
  /** When each agent's last-seen time was last written by this process. */
  const lastSeenWritten = new Map<string, number>();

  const toUser = (row: UserRow): User => ({
    username: row.username,
    role: roleSchema.parse(row.role),
    units: storedUnitsSchema.parse(JSON.parse(row.units)),
    disabled: row.disabled !== 0,
  });
  const toAgent = (row: AgentRow): Agent => ({
    id: row.id,
    name: row.name,
    unit: { id: row.unit_id, name: row.unit_name },
    created: row.created,
    rotated: row.rotated,
    revoked: row.revoked,
    lastSeen: row.last_seen,
    ...(row.format === null ? {} : { format: row.format }),
  });
  const toAuditEntry = (row: AuditRow): AuditEntry => ({
    id: row.id,
    time: row.time,
    actor: row.actor,
    source: row.source,
    action: row.action,
    target: row.target,
    units: JSON.parse(row.units) as string[],
    before: row.before === null ? null : (JSON.parse(row.before) as unknown),
    after: row.after === null ? null : (JSON.parse(row.after) as unknown),
  });
  const agentSelect = `SELECT a.id, a.name, a.unit_id, u.name AS unit_name, a.created, a.rotated, a.revoked, a.last_seen, a.format
                       FROM agents a JOIN units u ON u.id = a.unit_id`;
  const statements = {
    insertUnit: db.prepare('INSERT INTO units (id, name) VALUES (?, ?)'),
    renameUnit: db.prepare('UPDATE units SET name = ? WHERE id = ?'),
    listUnits: db.prepare('SELECT id, name FROM units ORDER BY id'),
    getUnit: db.prepare('SELECT id, name FROM units WHERE id = ?'),
    insertUser: db.prepare('INSERT INTO users (username, role, units, password_hash, disabled) VALUES (?, ?, ?, ?, 0)'),
    updateUser: db.prepare('UPDATE users SET role = ?, units = ?, disabled = ? WHERE username = ?'),
    setPassword: db.prepare('UPDATE users SET password_hash = ? WHERE username = ?'),
    deleteUser: db.prepare('DELETE FROM users WHERE username = ?'),
    getUser: db.prepare('SELECT * FROM users WHERE username = ?'),
    listUsers: db.prepare('SELECT * FROM users ORDER BY username'),
    insertAgent: db.prepare('INSERT INTO agents (id, name, unit_id, key_hash, created) VALUES (?, ?, ?, ?, ?)'),
    agentByKey: db.prepare(`${agentSelect} WHERE a.key_hash = ? AND a.revoked IS NULL`),
    agentById: db.prepare(`${agentSelect} WHERE a.id = ?`),
    listAgents: db.prepare(`${agentSelect} ORDER BY a.created, a.id`),
    rotateAgent: db.prepare('UPDATE agents SET key_hash = ?, rotated = ? WHERE id = ? AND revoked IS NULL'),
    revokeAgent: db.prepare('UPDATE agents SET revoked = ? WHERE id = ? AND revoked IS NULL'),
    touchAgent: db.prepare('UPDATE agents SET last_seen = ? WHERE id = ?'),
    setAgentFormat: db.prepare('UPDATE agents SET format = ? WHERE id = ?'),
    insertSession: db.prepare('INSERT INTO sessions (token_hash, username, expires) VALUES (?, ?, ?)'),
    getSession: db.prepare(`SELECT u.* FROM sessions s JOIN users u ON u.username = s.username
                            WHERE s.token_hash = ? AND s.expires > ? AND u.disabled = 0`),
    deleteSession: db.prepare('DELETE FROM sessions WHERE token_hash = ?'),
    deleteUserSessions: db.prepare('DELETE FROM sessions WHERE username = ?'),
    deleteExpiredSessions: db.prepare('DELETE FROM sessions WHERE expires <= ?'),
    insertAudit: db.prepare(`INSERT INTO audit (id, time, actor, source, action, target, units, before, after)
                             VALUES (@id, @time, @actor, @source, @action, @target, @units, @before, @after)`),
    insertAuditUnit: db.prepare('INSERT OR IGNORE INTO audit_units (unit, seq) VALUES (?, ?)'),
  };

  const requireUserRow = (username: string): UserRow => {
    const row = statements.getUser.get(username) as UserRow | undefined;
    if (!row) throw new NotFoundError(`no user "${username}"`, 'accounts');
    return row;
  };
  const checkUnitsExist = (units: UserUnits) => {
    if (units === 'all') return;
    const missing = units.filter((id) => statements.getUnit.get(id) === undefined);
    if (missing.length > 0) throw new BadInputError(`unknown unit(s): ${missing.join(', ')}`, 'accounts');
  };

  const updateUser = db.transaction((username: string, patch: UserPatch, units: UserUnits | undefined) => {
    const before = toUser(requireUserRow(username));
    const after: User = {
      ...before,
      ...(patch.role !== undefined ? { role: patch.role } : {}),
      ...(units !== undefined ? { units } : {}),
      ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
    };
    statements.updateUser.run(after.role, JSON.stringify(after.units), after.disabled ? 1 : 0, username);
    const scopeChanged = after.role !== before.role || JSON.stringify(after.units) !== JSON.stringify(before.units);
    if (scopeChanged || (after.disabled && !before.disabled)) statements.deleteUserSessions.run(username);
    return { before, after };
  });
  const deleteUser = db.transaction((username: string) => {
    const user = toUser(requireUserRow(username));
    statements.deleteUserSessions.run(username);
    statements.deleteUser.run(username);
    return user;
  });
  const setPasswordHash = db.transaction((username: string, hash: string) => {
    requireUserRow(username);
    statements.setPassword.run(hash, username);
    statements.deleteUserSessions.run(username);
  });
  const appendAudit = db.transaction((entry: AuditEntry) => {
    const info = statements.insertAudit.run({
      ...entry,
      units: JSON.stringify(entry.units),
      before: entry.before === undefined || entry.before === null ? null : JSON.stringify(entry.before),
      after: entry.after === undefined || entry.after === null ? null : JSON.stringify(entry.after),
    });
    for (const unit of entry.units) statements.insertAuditUnit.run(unit, info.lastInsertRowid);
  });

  return {
    async createUnit(unit: Unit) {
      if (statements.getUnit.get(unit.id) !== undefined) throw new ConflictError(`unit "${unit.id}" exists`, 'accounts');
      statements.insertUnit.run(unit.id, unit.name);
      return { id: unit.id, name: unit.name };
    },
    async renameUnit(id, name) {
      const before = statements.getUnit.get(id) as Unit | undefined;
      if (!before) throw new NotFoundError(`no unit "${id}"`, 'accounts');
      statements.renameUnit.run(name, id);
      return { before, after: { id, name } };
    },
    async listUnits(scope?: Scope) {
      const units = statements.listUnits.all() as Unit[];
      return !scope || scope.kind === 'all' ? units : units.filter((unit) => scope.units.includes(unit.id));
    },
    async getUnit(id) {
      return (statements.getUnit.get(id) as Unit | undefined) ?? null;
    },

    async createUser(user, password) {
      if (statements.getUser.get(user.username) !== undefined) throw new ConflictError(`user "${user.username}" exists`, 'accounts');
      checkUnitsExist(user.units);
      const hash = await hasher.hash(password);
      try {
        statements.insertUser.run(user.username, user.role, JSON.stringify(user.units), hash);
      } catch (error) {
        // Created by a concurrent call while this one was hashing.
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
          throw new ConflictError(`user "${user.username}" exists`, 'accounts');
        }
        throw error;
      }
      return { username: user.username, role: user.role, units: user.units, disabled: false };
    },
    async getUser(username) {
      const row = statements.getUser.get(username) as UserRow | undefined;
      return row ? toUser(row) : null;
    },
    async listUsers(scope?: Scope) {
      const users = (statements.listUsers.all() as UserRow[]).map(toUser);
      if (!scope || scope.kind === 'all') return users;
      return users.filter((user) => user.units !== 'all' && user.units.every((unit) => scope.units.includes(unit)));
    },
    async updateUser(username, patch) {
      if (patch.units !== undefined) checkUnitsExist(patch.units);
      return updateUser(username, patch, patch.units);
    },
    async deleteUser(username) {
      return deleteUser(username);
    },
    async setPassword(username, password) {
      requireUserRow(username);
      setPasswordHash(username, await hasher.hash(password));
    },
    async changePassword(username, oldPassword, newPassword) {
      const row = statements.getUser.get(username) as UserRow | undefined;
      const ok = await hasher.verify(oldPassword, row?.password_hash ?? DUMMY_HASH);
      if (!ok || !row) return false;
      setPasswordHash(username, await hasher.hash(newPassword));
      return true;
    },
    async checkPassword(username, password) {
      const row = statements.getUser.get(username) as UserRow | undefined;
      const ok = await hasher.verify(password, row?.password_hash ?? DUMMY_HASH);
      return ok && row && row.disabled === 0 ? toUser(row) : null;
    },

    async createAgent(unitId, name, key = newSecret('vgl_')) {
      if (statements.getUnit.get(unitId) === undefined) throw new NotFoundError(`unknown unit "${unitId}"`, 'accounts');
      const id = randomUUID();
      statements.insertAgent.run(id, name, unitId, sha256Hex(key), new Date().toISOString());
      return { agent: toAgent(statements.agentById.get(id) as AgentRow), key };
    },
    async authenticateAgent(key) {
      const row = statements.agentByKey.get(sha256Hex(key)) as AgentRow | undefined;
      if (!row) return null;
      const now = Date.now();
      if (now - (lastSeenWritten.get(row.id) ?? -Infinity) >= LAST_SEEN_EVERY_MS) {
        lastSeenWritten.set(row.id, now);
        row.last_seen = new Date(now).toISOString();
        statements.touchAgent.run(row.last_seen, row.id);
      }
      return toAgent(row);
    },
    async getAgent(id) {
      const row = statements.agentById.get(id) as AgentRow | undefined;
      return row ? toAgent(row) : null;
    },
    async listAgents(scope?: Scope) {
      const agents = (statements.listAgents.all() as AgentRow[]).map(toAgent);
      return !scope || scope.kind === 'all' ? agents : agents.filter((agent) => scope.units.includes(agent.unit.id));
    },
    async rotateAgent(id) {
      const key = newSecret('vgl_');
      if (statements.rotateAgent.run(sha256Hex(key), new Date().toISOString(), id).changes === 0) {
        throw new NotFoundError(`no active agent ${id}`, 'accounts');
      }
      return { agent: toAgent(statements.agentById.get(id) as AgentRow), key };
    },
    async revokeAgent(id) {
      if (statements.revokeAgent.run(new Date().toISOString(), id).changes === 0) return null;
      lastSeenWritten.delete(id);
      return toAgent(statements.agentById.get(id) as AgentRow);
    },
    async setAgentFormat(id, format) {
      if (statements.setAgentFormat.run(format, id).changes === 0) throw new NotFoundError(`no agent ${id}`, 'accounts');
      return toAgent(statements.agentById.get(id) as AgentRow);
    },

    async createSession(username, ttlMs) {
      const token = newSecret('', 32);
      statements.deleteExpiredSessions.run(Date.now());
      statements.insertSession.run(sha256Hex(token), username, Date.now() + ttlMs);
      return token;
    },
    async getSession(token) {
      const row = statements.getSession.get(sha256Hex(token), Date.now()) as UserRow | undefined;
      return row ? toUser(row) : null;
    },
    async deleteSession(token) {
      statements.deleteSession.run(sha256Hex(token));
    },
    async deleteUserSessions(username) {
      statements.deleteUserSessions.run(username);
    },

    async appendAudit(entry: NewAuditEntry) {
      const stored: AuditEntry = { ...entry, units: [...new Set(entry.units)], id: randomUUID(), time: new Date().toISOString() };
      appendAudit(stored);
      return stored;
    },
    async listAudit(query: AuditQuery, scope?: Scope): Promise<AuditPage> {
      const where: string[] = [];
      const params: unknown[] = [];
      if (query.cursor !== undefined) {
        where.push('a.seq < ?');
        params.push(decodeAuditCursor(query.cursor));
      }
      const filter = (clause: string, value: unknown) => {
        where.push(clause);
        params.push(value);
      };
      if (query.actor !== undefined) filter('a.actor = ?', query.actor);
      if (query.action !== undefined) filter('a.action = ?', query.action);
      if (query.from !== undefined) filter('a.time >= ?', isoTime(query.from, 'from'));
      if (query.to !== undefined) filter('a.time <= ?', isoTime(query.to, 'to'));
      if (query.unit !== undefined) {
        where.push('EXISTS (SELECT 1 FROM audit_units au WHERE au.unit = ? AND au.seq = a.seq)');
        params.push(query.unit);
      }
      if (scope && scope.kind === 'units') {
        // Only entries about the scope's units, and about nothing outside them.
        where.push(`a.units <> '[]' AND NOT EXISTS (SELECT 1 FROM audit_units au WHERE au.seq = a.seq
                    AND au.unit NOT IN (SELECT value FROM json_each(?)))`);
        params.push(JSON.stringify(scope.units));
      }
      const sql = `SELECT a.* FROM audit a ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY a.seq DESC LIMIT ?`;
      const rows = db.prepare(sql).all(...params, query.limit + 1) as AuditRow[];
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return { items: page.map(toAuditEntry), next: rows.length > query.limit && last ? encodeAuditCursor(last.seq) : null };
    },

    async close() {
      db.close();
    },
  };
}

function encodeAuditCursor(seq: number): string {
  return Buffer.from(`a:${seq}`).toString('base64url');
}

function decodeAuditCursor(cursor: string): number {
  const match = /^a:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new BadInputError('cursor is not one this server issued', 'accounts');
  return Number(match[1]);
}

function isoTime(value: string, name: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new BadInputError(`${name} is not a time: ${value}`, 'accounts');
  return new Date(ms).toISOString();
}
