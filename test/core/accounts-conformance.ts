// The Accounts conformance suite: what the API can count on from any Accounts adapter
// (embedded SQLite; the search store's adapter), run unchanged against each. It asserts
// only what core/accounts/accounts.ts promises: nothing replaced silently, secrets
// refused at once when rotated or revoked, sessions that end on every change that must
// end them, and an append-only, filterable, scoped audit log.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Accounts, AuditEntry, NewAuditEntry } from '../../core/accounts/accounts.ts';
import { BadInputError, ConflictError, NotFoundError } from '../../core/errors.ts';
import { ALL_UNITS, type Scope } from '../../core/ports/scope.ts';

export interface AccountsConformanceOptions {
  /** A fresh, empty Accounts; `cleanup` closes it and removes what it created. */
  create: () => Promise<{ accounts: Accounts; cleanup: () => Promise<void> }>;
  /** Why this adapter cannot run here; the suite is then skipped, loudly. */
  skip?: string;
}

const PASSWORD = 'a-good-password';
const HOUR_MS = 3600_000;

function units(...ids: string[]): Scope {
  return { kind: 'units', units: ids };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function auditEntry(overrides: Partial<NewAuditEntry> = {}): NewAuditEntry {
  return {
    actor: 'admin',
    source: '10.0.0.7',
    action: 'user.create',
    target: 'someone',
    units: [],
    before: null,
    after: null,
    ...overrides,
  };
}

export function runAccountsConformance(name: string, options: AccountsConformanceOptions): void {
  if (options.skip) {
    console.warn(`\n!!! Accounts conformance suite for ${name} is SKIPPED: ${options.skip}\n`);
    describe.skip(`Accounts conformance: ${name} (skipped: ${options.skip})`, () => {
      it('is skipped', () => undefined);
    });
    return;
  }

  describe(`Accounts conformance: ${name}`, () => {
    let accounts: Accounts;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ accounts, cleanup } = await options.create());
      await accounts.createUnit({ id: 'unit-a', name: 'Sở Y tế' });
      await accounts.createUnit({ id: 'unit-b', name: 'Sở Tài chính' });
    });
    afterEach(async () => {
      await cleanup();
    });

    describe('units', () => {
      it('creates, gets, lists (all or scoped) and renames a unit', async () => {
        expect(await accounts.getUnit('unit-a')).toEqual({ id: 'unit-a', name: 'Sở Y tế' });
        expect(await accounts.getUnit('unit-z')).toBeNull();
        const all = await accounts.listUnits();
        expect(all.map((u) => u.id).sort()).toEqual(['unit-a', 'unit-b']);
        expect(await accounts.listUnits(ALL_UNITS)).toHaveLength(2);
        expect(await accounts.listUnits(units('unit-b'))).toEqual([{ id: 'unit-b', name: 'Sở Tài chính' }]);

        const renamed = await accounts.renameUnit('unit-a', 'Sở Y tế tỉnh');
        expect(renamed).toEqual({ before: { id: 'unit-a', name: 'Sở Y tế' }, after: { id: 'unit-a', name: 'Sở Y tế tỉnh' } });
        expect(await accounts.getUnit('unit-a')).toEqual({ id: 'unit-a', name: 'Sở Y tế tỉnh' });
      });

      it('refuses to create a unit that exists, keeping its name, and to rename an unknown one', async () => {
        await expect(accounts.createUnit({ id: 'unit-a', name: 'Impostor' })).rejects.toBeInstanceOf(ConflictError);
        expect(await accounts.getUnit('unit-a')).toEqual({ id: 'unit-a', name: 'Sở Y tế' });
        await expect(accounts.renameUnit('unit-z', 'x')).rejects.toBeInstanceOf(NotFoundError);
      });
    });

    describe('users', () => {
      it('creates a user who can sign in; the same answer for a wrong password and an unknown user', async () => {
        const created = await accounts.createUser({ username: 'officer', role: 'viewer', units: ['unit-a'] }, PASSWORD);
        expect(created).toEqual({ username: 'officer', role: 'viewer', units: ['unit-a'], disabled: false });
        expect(await accounts.getUser('officer')).toEqual(created);
        expect(await accounts.getUser('nobody')).toBeNull();
        expect(await accounts.checkPassword('officer', PASSWORD)).toEqual(created);
        expect(await accounts.checkPassword('officer', 'wrong-password')).toBeNull();
        expect(await accounts.checkPassword('nobody', PASSWORD)).toBeNull();
      });

      it('never replaces an existing user: a second create is a conflict and the first password still works', async () => {
        await accounts.createUser({ username: 'officer', role: 'viewer', units: ['unit-a'] }, PASSWORD);
        await expect(accounts.createUser({ username: 'officer', role: 'admin', units: 'all' }, 'attacker-password')).rejects.toBeInstanceOf(
          ConflictError,
        );
        expect(await accounts.getUser('officer')).toMatchObject({ role: 'viewer', units: ['unit-a'] });
        expect(await accounts.checkPassword('officer', PASSWORD)).not.toBeNull();
        expect(await accounts.checkPassword('officer', 'attacker-password')).toBeNull();
      });

      it('refuses a user of a unit that does not exist', async () => {
        await expect(accounts.createUser({ username: 'x', role: 'viewer', units: ['unit-z'] }, PASSWORD)).rejects.toBeInstanceOf(BadInputError);
        expect(await accounts.getUser('x')).toBeNull();
        await accounts.createUser({ username: 'y', role: 'viewer', units: ['unit-a'] }, PASSWORD);
        await expect(accounts.updateUser('y', { units: ['unit-z'] })).rejects.toBeInstanceOf(BadInputError);
        expect(await accounts.getUser('y')).toMatchObject({ units: ['unit-a'] });
      });

      it('lists every user, or for a unit scope only the users wholly within it', async () => {
        await accounts.createUser({ username: 'soc', role: 'admin', units: 'all' }, PASSWORD);
        await accounts.createUser({ username: 'a-only', role: 'viewer', units: ['unit-a'] }, PASSWORD);
        await accounts.createUser({ username: 'a-and-b', role: 'analyst', units: ['unit-a', 'unit-b'] }, PASSWORD);
        await accounts.createUser({ username: 'b-only', role: 'admin', units: ['unit-b'] }, PASSWORD);
        const names = async (scope?: Scope) => (await accounts.listUsers(scope)).map((u) => u.username).sort();
        expect(await names()).toEqual(['a-and-b', 'a-only', 'b-only', 'soc']);
        expect(await names(ALL_UNITS)).toEqual(['a-and-b', 'a-only', 'b-only', 'soc']);
        expect(await names(units('unit-a'))).toEqual(['a-only']);
        expect(await names(units('unit-a', 'unit-b'))).toEqual(['a-and-b', 'a-only', 'b-only']);
      });

      it('updates role and units, answering before and after; unknown users are not found', async () => {
        await accounts.createUser({ username: 'officer', role: 'viewer', units: ['unit-a'] }, PASSWORD);
        const change = await accounts.updateUser('officer', { role: 'analyst', units: ['unit-a', 'unit-b'] });
        expect(change.before).toEqual({ username: 'officer', role: 'viewer', units: ['unit-a'], disabled: false });
        expect(change.after).toEqual({ username: 'officer', role: 'analyst', units: ['unit-a', 'unit-b'], disabled: false });
        expect(await accounts.getUser('officer')).toEqual(change.after);
        await expect(accounts.updateUser('nobody', { role: 'admin' })).rejects.toBeInstanceOf(NotFoundError);
      });

      it('a disabled user cannot sign in until enabled again', async () => {
        await accounts.createUser({ username: 'officer', role: 'viewer', units: ['unit-a'] }, PASSWORD);
        const { after } = await accounts.updateUser('officer', { disabled: true });
        expect(after.disabled).toBe(true);
        expect(await accounts.checkPassword('officer', PASSWORD)).toBeNull();
        await accounts.updateUser('officer', { disabled: false });
        expect(await accounts.checkPassword('officer', PASSWORD)).toMatchObject({ username: 'officer', disabled: false });
      });

      it('deletes a user: gone, cannot sign in, and the name can be created afresh', async () => {
        await accounts.createUser({ username: 'officer', role: 'viewer', units: ['unit-a'] }, PASSWORD);
        expect(await accounts.deleteUser('officer')).toMatchObject({ username: 'officer' });
        expect(await accounts.getUser('officer')).toBeNull();
        expect(await accounts.checkPassword('officer', PASSWORD)).toBeNull();
        await expect(accounts.deleteUser('officer')).rejects.toBeInstanceOf(NotFoundError);
        await accounts.createUser({ username: 'officer', role: 'viewer', units: ['unit-b'] }, 'another-password');
        expect(await accounts.checkPassword('officer', PASSWORD)).toBeNull();
      });

      it("an admin's reset sets a new password; unknown users are not found", async () => {
        await accounts.createUser({ username: 'officer', role: 'viewer', units: ['unit-a'] }, PASSWORD);
        await accounts.setPassword('officer', 'reset-password');
        expect(await accounts.checkPassword('officer', PASSWORD)).toBeNull();
        expect(await accounts.checkPassword('officer', 'reset-password')).not.toBeNull();
        await expect(accounts.setPassword('nobody', 'reset-password')).rejects.toBeInstanceOf(NotFoundError);
      });

      it("a user's own change needs the old password", async () => {
        await accounts.createUser({ username: 'officer', role: 'viewer', units: ['unit-a'] }, PASSWORD);
        expect(await accounts.changePassword('officer', 'wrong-password', 'new-password')).toBe(false);
        expect(await accounts.checkPassword('officer', PASSWORD)).not.toBeNull();
        expect(await accounts.changePassword('officer', PASSWORD, 'new-password')).toBe(true);
        expect(await accounts.checkPassword('officer', PASSWORD)).toBeNull();
        expect(await accounts.checkPassword('officer', 'new-password')).not.toBeNull();
        expect(await accounts.changePassword('nobody', PASSWORD, 'new-password')).toBe(false);
      });
    });

    describe('sessions', () => {
      beforeEach(async () => {
        await accounts.createUser({ username: 'officer', role: 'viewer', units: ['unit-a'] }, PASSWORD);
        await accounts.createUser({ username: 'other', role: 'analyst', units: 'all' }, PASSWORD);
      });

      it('resolves a session to its user until it is deleted', async () => {
        const token = await accounts.createSession('officer', HOUR_MS);
        expect(await accounts.getSession(token)).toEqual({ username: 'officer', role: 'viewer', units: ['unit-a'], disabled: false });
        expect(await accounts.getSession(`${token}x`)).toBeNull();
        await accounts.deleteSession(token);
        expect(await accounts.getSession(token)).toBeNull();
      });

      it('ends a session when it expires', async () => {
        const token = await accounts.createSession('officer', 1);
        // Expiry has no signal to wait for: a few ms past a 1 ms lifetime.
        await sleep(10);
        expect(await accounts.getSession(token)).toBeNull();
      });

      it("signing out everywhere ends every session of that user and nobody else's", async () => {
        const [one, two, others] = [
          await accounts.createSession('officer', HOUR_MS),
          await accounts.createSession('officer', HOUR_MS),
          await accounts.createSession('other', HOUR_MS),
        ];
        await accounts.deleteUserSessions('officer');
        expect(await accounts.getSession(one)).toBeNull();
        expect(await accounts.getSession(two)).toBeNull();
        expect(await accounts.getSession(others)).not.toBeNull();
      });

      const endingChanges: Array<[string, (a: Accounts) => Promise<unknown>]> = [
        ['disabled', (a) => a.updateUser('officer', { disabled: true })],
        ['deleted', (a) => a.deleteUser('officer')],
        ['given a new role', (a) => a.updateUser('officer', { role: 'analyst' })],
        ['given new units', (a) => a.updateUser('officer', { units: ['unit-a', 'unit-b'] })],
        ["reset by an admin", (a) => a.setPassword('officer', 'reset-password')],
        ['changing their own password', (a) => a.changePassword('officer', PASSWORD, 'new-password')],
      ];
      for (const [what, change] of endingChanges) {
        it(`ends every session of a user ${what}, and nobody else's`, async () => {
          const mine = [await accounts.createSession('officer', HOUR_MS), await accounts.createSession('officer', HOUR_MS)];
          const others = await accounts.createSession('other', HOUR_MS);
          await change(accounts);
          for (const token of mine) expect(await accounts.getSession(token)).toBeNull();
          expect(await accounts.getSession(others)).not.toBeNull();
        });
      }

      it('keeps sessions through a change that changes nothing they depend on', async () => {
        const token = await accounts.createSession('officer', HOUR_MS);
        await accounts.updateUser('officer', { role: 'viewer', units: ['unit-a'], disabled: false });
        await accounts.renameUnit('unit-a', 'Renamed');
        expect(await accounts.getSession(token)).toMatchObject({ username: 'officer' });
        expect(await accounts.changePassword('officer', 'wrong-password', 'new-password')).toBe(false);
        expect(await accounts.getSession(token)).toMatchObject({ username: 'officer' });
      });

      it('a user enabled again must sign in again: the old session stays ended', async () => {
        const token = await accounts.createSession('officer', HOUR_MS);
        await accounts.updateUser('officer', { disabled: true });
        await accounts.updateUser('officer', { disabled: false });
        expect(await accounts.getSession(token)).toBeNull();
      });
    });

    describe('agents', () => {
      it('enrols an agent for its unit with a key shown once, and knows when it was last seen', async () => {
        const { agent, key } = await accounts.createAgent('unit-a', 'AV server');
        expect(key.length).toBeGreaterThanOrEqual(24);
        expect(agent).toMatchObject({ name: 'AV server', unit: { id: 'unit-a', name: 'Sở Y tế' }, revoked: null, rotated: null, lastSeen: null });
        const other = await accounts.createAgent('unit-a', 'AV server 2');
        expect(other.key).not.toBe(key);
        expect(other.agent.id).not.toBe(agent.id);

        const before = Date.now();
        const seen = await accounts.authenticateAgent(key);
        expect(seen).toMatchObject({ id: agent.id, unit: { id: 'unit-a' } });
        const stored = await accounts.getAgent(agent.id);
        expect(stored?.lastSeen).not.toBeNull();
        expect(Date.parse(stored!.lastSeen!)).toBeGreaterThanOrEqual(before - 1000);
        expect(await accounts.authenticateAgent('vgl_not-a-key-of-anyone-0123456789')).toBeNull();
      });

      it('takes an explicit key when given one (bootstrap)', async () => {
        const { key } = await accounts.createAgent('unit-b', 'bootstrap', 'configured-key-0123456789abcdef');
        expect(key).toBe('configured-key-0123456789abcdef');
        expect((await accounts.authenticateAgent(key))?.unit.id).toBe('unit-b');
      });

      it('refuses an agent for a unit that does not exist', async () => {
        await expect(accounts.createAgent('unit-z', 'x')).rejects.toBeInstanceOf(NotFoundError);
      });

      it('lists every agent, or those of the units a scope allows', async () => {
        await accounts.createAgent('unit-a', 'a1');
        await accounts.createAgent('unit-b', 'b1');
        expect((await accounts.listAgents()).map((a) => a.name).sort()).toEqual(['a1', 'b1']);
        expect((await accounts.listAgents(ALL_UNITS)).map((a) => a.name).sort()).toEqual(['a1', 'b1']);
        expect((await accounts.listAgents(units('unit-b'))).map((a) => a.name)).toEqual(['b1']);
      });

      it('rotating gives a new key and refuses the old one at once', async () => {
        const { agent, key } = await accounts.createAgent('unit-a', 'AV server');
        await accounts.authenticateAgent(key);
        const rotated = await accounts.rotateAgent(agent.id);
        expect(rotated.key).not.toBe(key);
        expect(rotated.agent).toMatchObject({ id: agent.id, unit: { id: 'unit-a' }, revoked: null });
        expect(rotated.agent.rotated).not.toBeNull();
        expect(await accounts.authenticateAgent(key)).toBeNull();
        expect((await accounts.authenticateAgent(rotated.key))?.id).toBe(agent.id);
        await expect(accounts.rotateAgent('no-such-agent')).rejects.toBeInstanceOf(NotFoundError);
      });

      it('revoking refuses the key at once, keeps the agent listed as revoked, and cannot be undone by rotation', async () => {
        const { agent, key } = await accounts.createAgent('unit-a', 'AV server');
        await accounts.authenticateAgent(key);
        const revoked = await accounts.revokeAgent(agent.id);
        expect(revoked?.id).toBe(agent.id);
        expect(revoked?.revoked).not.toBeNull();
        expect(await accounts.authenticateAgent(key)).toBeNull();
        expect(await accounts.revokeAgent(agent.id)).toBeNull();
        expect(await accounts.revokeAgent('no-such-agent')).toBeNull();
        await expect(accounts.rotateAgent(agent.id)).rejects.toBeInstanceOf(NotFoundError);
        expect((await accounts.listAgents()).find((a) => a.id === agent.id)?.revoked).not.toBeNull();
      });

      it('keeps an agent\'s default input format, which its key then carries, until it is cleared', async () => {
        const { agent, key } = await accounts.createAgent('unit-a', 'IDS sensor');
        expect(agent.format).toBeUndefined();
        expect(await accounts.setAgentFormat(agent.id, 'suricata')).toMatchObject({ id: agent.id, format: 'suricata', unit: { id: 'unit-a' } });
        expect((await accounts.authenticateAgent(key))?.format).toBe('suricata');
        expect((await accounts.getAgent(agent.id))?.format).toBe('suricata');
        expect((await accounts.listAgents()).find((a) => a.id === agent.id)?.format).toBe('suricata');
        // A new key for the same agent keeps its format.
        const rotated = await accounts.rotateAgent(agent.id);
        expect((await accounts.authenticateAgent(rotated.key))?.format).toBe('suricata');
        const cleared = await accounts.setAgentFormat(agent.id, null);
        expect(cleared.format).toBeUndefined();
        expect((await accounts.authenticateAgent(rotated.key))?.format).toBeUndefined();
        await expect(accounts.setAgentFormat('no-such-agent', 'suricata')).rejects.toBeInstanceOf(NotFoundError);
      });
    });

    describe('audit log', () => {
      it('keeps what was appended, with an id and the time it was recorded', async () => {
        const before = Date.now();
        const stored = await accounts.appendAudit(
          auditEntry({ action: 'user.update', target: 'officer', units: ['unit-a'], before: { role: 'viewer' }, after: { role: 'analyst', units: ['unit-a'] } }),
        );
        expect(stored.id).toEqual(expect.any(String));
        expect(Date.parse(stored.time)).toBeGreaterThanOrEqual(before - 1000);
        const page = await accounts.listAudit({ limit: 10 });
        expect(page).toEqual({ items: [stored], next: null });
        expect(page.items[0]).toMatchObject({
          actor: 'admin',
          source: '10.0.0.7',
          action: 'user.update',
          target: 'officer',
          units: ['unit-a'],
          before: { role: 'viewer' },
          after: { role: 'analyst', units: ['unit-a'] },
        });
      });

      it('answers newest first, filtered by actor, action, unit and time', async () => {
        const first = await accounts.appendAudit(auditEntry({ actor: 'admin', action: 'unit.create', target: 'unit-a', units: ['unit-a'] }));
        await sleep(5);
        const second = await accounts.appendAudit(auditEntry({ actor: 'b-admin', action: 'agent.enrol', target: 'agent-1', units: ['unit-b'] }));
        await sleep(5);
        const third = await accounts.appendAudit(auditEntry({ actor: 'admin', action: 'auth.login', target: 'admin', units: [] }));
        const ids = (entries: AuditEntry[]) => entries.map((e) => e.id);

        expect(ids((await accounts.listAudit({ limit: 10 })).items)).toEqual([third.id, second.id, first.id]);
        expect(ids((await accounts.listAudit({ limit: 10, actor: 'admin' })).items)).toEqual([third.id, first.id]);
        expect(ids((await accounts.listAudit({ limit: 10, action: 'agent.enrol' })).items)).toEqual([second.id]);
        expect(ids((await accounts.listAudit({ limit: 10, unit: 'unit-a' })).items)).toEqual([first.id]);
        expect(ids((await accounts.listAudit({ limit: 10, from: second.time })).items)).toEqual([third.id, second.id]);
        expect(ids((await accounts.listAudit({ limit: 10, to: second.time })).items)).toEqual([second.id, first.id]);
        expect(ids((await accounts.listAudit({ limit: 10, from: second.time, to: second.time })).items)).toEqual([second.id]);
      });

      it('shows a unit scope only entries wholly about its units; SOC-wide entries stay SOC-only', async () => {
        const aOnly = await accounts.appendAudit(auditEntry({ target: 'a', units: ['unit-a'] }));
        const both = await accounts.appendAudit(auditEntry({ target: 'ab', units: ['unit-a', 'unit-b'] }));
        const soc = await accounts.appendAudit(auditEntry({ target: 'soc', units: [] }));
        const ids = async (scope: Scope) => (await accounts.listAudit({ limit: 10 }, scope)).items.map((e) => e.id);
        expect(await ids(ALL_UNITS)).toEqual([soc.id, both.id, aOnly.id]);
        expect(await ids(units('unit-a'))).toEqual([aOnly.id]);
        expect(await ids(units('unit-b'))).toEqual([]);
        expect(await ids(units('unit-a', 'unit-b'))).toEqual([both.id, aOnly.id]);
        expect((await accounts.listAudit({ limit: 10, unit: 'unit-b' }, units('unit-b'))).items).toEqual([]);
      });

      it('pages through every entry once, in order, with the cursor it answers', async () => {
        const appended: AuditEntry[] = [];
        for (let i = 0; i < 7; i += 1) appended.push(await accounts.appendAudit(auditEntry({ target: `t${i}` })));
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await accounts.listAudit({ limit: 3, ...(cursor ? { cursor } : {}) });
          expect(page.items.length).toBeLessThanOrEqual(3);
          seen.push(...page.items.map((e) => e.target));
          cursor = page.next ?? undefined;
          pages += 1;
        } while (cursor && pages < 10);
        expect(seen).toEqual(appended.map((e) => e.target).reverse());
        expect(pages).toBe(3);
      });

      it('refuses a cursor it did not issue', async () => {
        await expect(accounts.listAudit({ limit: 3, cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(BadInputError);
      });

    });
  });
}
