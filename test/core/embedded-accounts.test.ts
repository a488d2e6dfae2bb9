// The embedded Accounts adapter: the port's conformance suite, plus what only SQLite
// shows: secrets never stored in clear, an audit table that refuses UPDATE and DELETE,
// an older accounts.db read in place, password hashes bounded in number, and first-start
// bootstrap done once.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEmbeddedAccounts } from '../../core/accounts/embedded-accounts.ts';
import { bootstrapAccounts } from '../../core/accounts/bootstrap.ts';
import { createPasswordHasher } from '../../core/accounts/password-hasher.ts';
import type { Accounts } from '../../core/accounts/accounts.ts';
import { makeTempDir } from '../support/start-vigil.ts';
import { runAccountsConformance } from './accounts-conformance.ts';

runAccountsConformance('embedded (SQLite)', {
  async create() {
    const dataDir = makeTempDir('vigil-accounts-conf-');
    const accounts = openEmbeddedAccounts({ dataDir });
    return {
      accounts,
      async cleanup() {
        await accounts.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
});

describe('embedded accounts', () => {
  let dataDir: string;
  let accounts: Accounts;
  beforeEach(async () => {
    dataDir = makeTempDir('vigil-accounts-');
    accounts = openEmbeddedAccounts({ dataDir });
    await accounts.createUnit({ id: 'so-y-te', name: 'Sở Y tế' });
  });
  afterEach(async () => {
    await accounts.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const rawTable = (table: string) => {
    const raw = new Database(path.join(dataDir, 'accounts.db'), { readonly: true });
    try {
      return JSON.stringify(raw.prepare(`SELECT * FROM ${table}`).all());
    } finally {
      raw.close();
    }
  };

  it('never stores an agent key, a rotated key, a password or a session token in clear', async () => {
    const { key, agent } = await accounts.createAgent('so-y-te', 'AV server');
    const rotated = await accounts.rotateAgent(agent.id);
    await accounts.createUser({ username: 'officer', role: 'viewer', units: ['so-y-te'] }, 'a-good-password');
    const token = await accounts.createSession('officer', 60_000);
    expect(rawTable('agents')).not.toContain(key);
    expect(rawTable('agents')).not.toContain(rotated.key);
    expect(rawTable('users')).not.toContain('a-good-password');
    expect(rawTable('sessions')).not.toContain(token);
  });

  it('refuses to change or delete an audit entry, even from SQL', async () => {
    await accounts.appendAudit({ actor: 'admin', source: '127.0.0.1', action: 'unit.create', target: 'so-y-te', units: ['so-y-te'], before: null, after: { id: 'so-y-te' } });
    const raw = new Database(path.join(dataDir, 'accounts.db'));
    try {
      expect(() => raw.prepare("UPDATE audit SET actor = 'someone-else'").run()).toThrow(/append-only/);
      expect(() => raw.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    } finally {
      raw.close();
    }
    expect((await accounts.listAudit({ limit: 10 })).items).toMatchObject([{ actor: 'admin' }]);
  });

  it('opens an accounts.db of the previous release in place: users, agents and keys keep working', async () => {
    await accounts.close();
    fs.rmSync(path.join(dataDir, 'accounts.db'));
    const old = new Database(path.join(dataDir, 'accounts.db'));
    old.exec(`
      CREATE TABLE units (id TEXT PRIMARY KEY, name TEXT NOT NULL);
      CREATE TABLE users (username TEXT PRIMARY KEY, role TEXT NOT NULL, units TEXT NOT NULL, password_hash TEXT NOT NULL);
      CREATE TABLE agents (id TEXT PRIMARY KEY, name TEXT NOT NULL, unit_id TEXT NOT NULL REFERENCES units(id),
        key_hash TEXT NOT NULL UNIQUE, created TEXT NOT NULL, revoked TEXT);
      CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, username TEXT NOT NULL, expires INTEGER NOT NULL);
      INSERT INTO units VALUES ('so-y-te', 'Sở Y tế');
      INSERT INTO users VALUES ('legacy', 'viewer', '[]', 'scrypt$AAAA$AAAA');
      INSERT INTO agents VALUES ('agent-1', 'old agent', 'so-y-te',
        '${'5'.repeat(64)}', '2025-01-01T00:00:00.000Z', NULL);
    `);
    old.close();
    accounts = openEmbeddedAccounts({ dataDir });
    expect(await accounts.getUser('legacy')).toEqual({ username: 'legacy', role: 'viewer', units: [], disabled: false });
    expect(await accounts.getAgent('agent-1')).toMatchObject({ name: 'old agent', rotated: null, lastSeen: null, revoked: null });
  });

  it('computes at most `concurrency` password hashes at once; the others queue and all complete', async () => {
    const hasher = createPasswordHasher({ concurrency: 2 });
    const limited = openEmbeddedAccounts({ dataDir: makeTempDir('vigil-accounts-hash-'), hasher });
    try {
      await limited.createUnit({ id: 'u', name: 'U' });
      await limited.createUser({ username: 'officer', role: 'viewer', units: ['u'] }, 'a-good-password');
      const logins = Array.from({ length: 12 }, (_, i) => limited.checkPassword('officer', i % 2 ? 'a-good-password' : 'wrong-password'));
      // Checked while the logins are in flight: 2 computing, 10 waiting their turn.
      expect(hasher.stats()).toMatchObject({ active: 2, queued: 10 });
      const answers = await Promise.all(logins);
      expect(answers.filter((user) => user !== null)).toHaveLength(6);
      expect(hasher.stats()).toEqual({ active: 0, queued: 0, peakActive: 2 });
    } finally {
      await limited.close();
    }
  });

  it('bootstraps admin, unit and key once, printing generated secrets only the first time', async () => {
    const first = await bootstrapAccounts(accounts, {});
    expect(first.generatedAdminPassword).toMatch(/.{12,}/);
    expect(first.generatedAgentKey).toMatch(/^vgl_/);
    expect(await accounts.checkPassword('admin', first.generatedAdminPassword!)).not.toBeNull();
    const second = await bootstrapAccounts(accounts, {});
    expect(second.generatedAdminPassword).toBeUndefined();
    expect(second.generatedAgentKey).toBeUndefined();
    expect(await accounts.checkPassword('admin', first.generatedAdminPassword!)).not.toBeNull();
  });

  it('creates a configured agent key once and keeps it across starts', async () => {
    const options = { bootstrapUnit: 'so-y-te', bootstrapAgentKey: 'configured-key-0123456789abcdef', adminPassword: 'admin-password' };
    await bootstrapAccounts(accounts, options);
    await bootstrapAccounts(accounts, options);
    expect((await accounts.listAgents()).filter((a) => a.unit.id === 'so-y-te')).toHaveLength(1);
    expect((await accounts.authenticateAgent(options.bootstrapAgentKey))?.unit.id).toBe('so-y-te');
  });
});
