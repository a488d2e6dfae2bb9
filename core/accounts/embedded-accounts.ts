// The embedded Accounts adapter: SQLite in <dataDir>/accounts.db. Secrets are stored
// hashed (see secrets.ts); the plain agent key and session token leave this file once.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { BadInputError, NotFoundError } from '../errors.ts';
import type { Accounts, Agent, Unit, User } from './accounts.ts';
import { roleSchema, userUnitsSchema } from './accounts.ts';
import { hashPassword, newSecret, sha256Hex, verifyPassword } from './secrets.ts';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS units (id TEXT PRIMARY KEY, name TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS users (
    username TEXT PRIMARY KEY, role TEXT NOT NULL, units TEXT NOT NULL, password_hash TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS agents (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, unit_id TEXT NOT NULL REFERENCES units(id),
    key_hash TEXT NOT NULL UNIQUE, created TEXT NOT NULL, revoked TEXT);
  CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY, username TEXT NOT NULL, expires INTEGER NOT NULL);
`;

interface UserRow {
  username: string;
  role: string;
  units: string;
  password_hash: string;
}
interface AgentRow {
  id: string;
  name: string;
  unit_id: string;
  unit_name: string;
  created: string;
  revoked: string | null;
}

// A fixed hash to compare against for unknown users, so a login for a missing user
// costs the same scrypt time as one with a wrong password.
const DUMMY_HASH = 'scrypt$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export function openEmbeddedAccounts(options: { dataDir: string }): Accounts {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const db = new Database(path.join(options.dataDir, 'accounts.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.exec(SCHEMA);

  const toUser = (row: UserRow): User => ({
    username: row.username,
    role: roleSchema.parse(row.role),
    units: userUnitsSchema.parse(JSON.parse(row.units)),
  });
  const toAgent = (row: AgentRow): Agent => ({
    id: row.id,
    name: row.name,
    unit: { id: row.unit_id, name: row.unit_name },
    created: row.created,
    revoked: row.revoked,
  });
  const agentSelect = `SELECT a.id, a.name, a.unit_id, u.name AS unit_name, a.created, a.revoked
                       FROM agents a JOIN units u ON u.id = a.unit_id`;
  const statements = {
    insertUnit: db.prepare('INSERT INTO units (id, name) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name'),
    listUnits: db.prepare('SELECT id, name FROM units ORDER BY id'),
    getUnit: db.prepare('SELECT id, name FROM units WHERE id = ?'),
    putUser: db.prepare(`INSERT INTO users (username, role, units, password_hash) VALUES (?, ?, ?, ?)
                         ON CONFLICT(username) DO UPDATE SET role = excluded.role, units = excluded.units,
                         password_hash = excluded.password_hash`),
    getUser: db.prepare('SELECT * FROM users WHERE username = ?'),
    listUsers: db.prepare('SELECT * FROM users ORDER BY username'),
    insertAgent: db.prepare('INSERT INTO agents (id, name, unit_id, key_hash, created) VALUES (?, ?, ?, ?, ?)'),
    agentByKey: db.prepare(`${agentSelect} WHERE a.key_hash = ? AND a.revoked IS NULL`),
    agentById: db.prepare(`${agentSelect} WHERE a.id = ?`),
    listAgents: db.prepare(`${agentSelect} ORDER BY a.created`),
    revokeAgent: db.prepare('UPDATE agents SET revoked = ? WHERE id = ? AND revoked IS NULL'),
    insertSession: db.prepare('INSERT INTO sessions (token_hash, username, expires) VALUES (?, ?, ?)'),
    getSession: db.prepare(`SELECT u.* FROM sessions s JOIN users u ON u.username = s.username
                            WHERE s.token_hash = ? AND s.expires > ?`),
    deleteSession: db.prepare('DELETE FROM sessions WHERE token_hash = ?'),
    deleteExpiredSessions: db.prepare('DELETE FROM sessions WHERE expires <= ?'),
  };

  return {
    async createUnit(unit: Unit) {
      statements.insertUnit.run(unit.id, unit.name);
      return unit;
    },
    async listUnits() {
      return statements.listUnits.all() as Unit[];
    },
    async getUnit(id) {
      return (statements.getUnit.get(id) as Unit | undefined) ?? null;
    },

    async putUser(user, password) {
      if (user.units !== 'all') {
        const missing = user.units.filter((id) => statements.getUnit.get(id) === undefined);
        if (missing.length > 0) throw new BadInputError(`unknown unit(s): ${missing.join(', ')}`, 'accounts');
      }
      statements.putUser.run(user.username, user.role, JSON.stringify(user.units), await hashPassword(password));
      return user;
    },
    async getUser(username) {
      const row = statements.getUser.get(username) as UserRow | undefined;
      return row ? toUser(row) : null;
    },
    async listUsers() {
      return (statements.listUsers.all() as UserRow[]).map(toUser);
    },
    async checkPassword(username, password) {
      const row = statements.getUser.get(username) as UserRow | undefined;
      const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
      return ok && row ? toUser(row) : null;
    },

    async createAgent(unitId, name, key = newSecret('vgl_')) {
      if (statements.getUnit.get(unitId) === undefined) throw new NotFoundError(`unknown unit "${unitId}"`, 'accounts');
      const id = randomUUID();
      statements.insertAgent.run(id, name, unitId, sha256Hex(key), new Date().toISOString());
      return { agent: toAgent(statements.agentById.get(id) as AgentRow), key };
    },
    async authenticateAgent(key) {
      const row = statements.agentByKey.get(sha256Hex(key)) as AgentRow | undefined;
      return row ? toAgent(row) : null;
    },
    async listAgents() {
      return (statements.listAgents.all() as AgentRow[]).map(toAgent);
    },
    async revokeAgent(id) {
      return statements.revokeAgent.run(new Date().toISOString(), id).changes > 0;
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

    async close() {
      db.close();
    },
  };
}
