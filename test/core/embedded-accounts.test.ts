// Accounts: agent keys are bound to a unit, kept hashed and revocable; passwords and
// sessions behave as a person signing in expects; first start bootstraps once.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEmbeddedAccounts } from '../../core/accounts/embedded-accounts.ts';
import { bootstrapAccounts } from '../../core/accounts/bootstrap.ts';
import type { Accounts } from '../../core/accounts/accounts.ts';
import { makeTempDir } from '../support/start-vigil.ts';

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

  it('binds an agent key to its unit and never stores the key itself', async () => {
    const { key, agent } = await accounts.createAgent('so-y-te', 'AV server');
    expect((await accounts.authenticateAgent(key))?.unit).toEqual({ id: 'so-y-te', name: 'Sở Y tế' });
    const raw = new Database(path.join(dataDir, 'accounts.db'), { readonly: true });
    const rows = JSON.stringify(raw.prepare('SELECT * FROM agents').all());
    raw.close();
    expect(rows).not.toContain(key);
    expect(await accounts.revokeAgent(agent.id)).toBe(true);
    expect(await accounts.authenticateAgent(key)).toBeNull();
  });

  it('refuses an agent for a unit that does not exist', async () => {
    await expect(accounts.createAgent('no-such-unit', 'x')).rejects.toThrow(/unknown unit/);
  });

  it('checks passwords and gives the same answer for a wrong password and an unknown user', async () => {
    await accounts.putUser({ username: 'analyst1', role: 'analyst', units: 'all' }, 'a-good-password');
    expect((await accounts.checkPassword('analyst1', 'a-good-password'))?.role).toBe('analyst');
    expect(await accounts.checkPassword('analyst1', 'wrong')).toBeNull();
    expect(await accounts.checkPassword('nobody', 'wrong')).toBeNull();
  });

  it('ends sessions on sign-out and on expiry', async () => {
    await accounts.putUser({ username: 'it-officer', role: 'viewer', units: ['so-y-te'] }, 'a-good-password');
    const token = await accounts.createSession('it-officer', 60_000);
    expect(await accounts.getSession(token)).toEqual({ username: 'it-officer', role: 'viewer', units: ['so-y-te'] });
    await accounts.deleteSession(token);
    expect(await accounts.getSession(token)).toBeNull();
    const short = await accounts.createSession('it-officer', 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await accounts.getSession(short)).toBeNull();
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
