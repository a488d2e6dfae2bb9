// Issue 9, defect 2: a unit-scoped admin was a global admin. Each request below is one an
// officer of unit-b made against unit-a on the old main; each is now refused, nothing of
// unit-a changes, and the same admin still runs its own unit. Every change is in the
// audit log with the client's address, and a unit admin reads only its own unit's part.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent, AuditEntry, User } from '../../core/accounts/accounts.ts';
import { PASSWORD, startApiHarness, type ApiHarness } from './api-harness.ts';

describe('a unit-scoped admin administers only its units', () => {
  let api: ApiHarness;
  let bAdmin: string;
  let socAdmin: string;
  let unitAAgent: { agent: Agent; key: string };

  beforeAll(async () => {
    api = await startApiHarness();
    socAdmin = await api.userWithSession({ username: 'soc-admin', role: 'admin', units: 'all' });
    bAdmin = await api.userWithSession({ username: 'b-admin', role: 'admin', units: ['unit-b'] });
    await api.accounts.createUser({ username: 'a-officer', role: 'viewer', units: ['unit-a'] }, PASSWORD);
    await api.accounts.createUser({ username: 'b-officer', role: 'viewer', units: ['unit-b'] }, PASSWORD);
    unitAAgent = await api.accounts.createAgent('unit-a', 'unit-a AV server');
    await api.accounts.createAgent('unit-b', 'unit-b AV server');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('lists only its own unit, agents and users', async () => {
    const units = (await api.request('GET', '/api/v1/units', { cookie: bAdmin })).json() as { items: Array<{ id: string }> };
    expect(units.items.map((u) => u.id)).toEqual(['unit-b']);
    const agents = (await api.request('GET', '/api/v1/agents', { cookie: bAdmin })).json() as { items: Agent[] };
    expect(agents.items.map((a) => a.unit.id)).toEqual(['unit-b']);
    const users = (await api.request('GET', '/api/v1/users', { cookie: bAdmin })).json() as { items: User[] };
    expect(users.items.map((u) => u.username).sort()).toEqual(['b-admin', 'b-officer']);
    // A filter naming another unit answers nothing rather than that unit's agents.
    const filtered = (await api.request('GET', '/api/v1/agents?unit=unit-a', { cookie: bAdmin })).json() as { items: Agent[] };
    expect(filtered.items).toEqual([]);
  });

  it("cannot mint an agent key for another unit", async () => {
    const res = await api.request('POST', '/api/v1/agents', { cookie: bAdmin, body: { unit: 'unit-a', name: 'planted' } });
    expect(res.statusCode).toBe(403);
    expect(res.body).not.toContain('vgl_');
    expect((await api.accounts.listAgents({ kind: 'units', units: ['unit-a'] })).map((a) => a.name)).toEqual(['unit-a AV server']);
  });

  it("cannot create a SOC-wide user or one of another unit, nor create units", async () => {
    for (const units of ['all', ['unit-a'], ['unit-a', 'unit-b']] as const) {
      const res = await api.request('POST', '/api/v1/users', {
        cookie: bAdmin,
        body: { username: `planted-${String(units)}`.replace(/[^A-Za-z0-9-]/g, '-'), password: PASSWORD, role: 'admin', units },
      });
      expect(res.statusCode, JSON.stringify(units)).toBe(403);
    }
    expect((await api.accounts.listUsers()).filter((u) => u.username.startsWith('planted'))).toEqual([]);
    const unit = await api.request('POST', '/api/v1/units', { cookie: bAdmin, body: { id: 'unit-c', name: 'Planted' } });
    expect(unit.statusCode).toBe(403);
    expect(await api.accounts.getUnit('unit-c')).toBeNull();
  });

  it("cannot take over another unit's user: no replace by POST, no reset, no change, no delete", async () => {
    const replace = await api.request('POST', '/api/v1/users', {
      cookie: bAdmin,
      body: { username: 'a-officer', password: 'attacker-password', role: 'viewer', units: ['unit-b'] },
    });
    expect(replace.statusCode).toBe(409);
    const reset = await api.request('POST', '/api/v1/users/a-officer/password', { cookie: bAdmin, body: { password: 'attacker-password' } });
    expect(reset.statusCode).toBe(404);
    const patch = await api.request('PATCH', '/api/v1/users/a-officer', { cookie: bAdmin, body: { units: ['unit-b'] } });
    expect(patch.statusCode).toBe(404);
    const remove = await api.request('DELETE', '/api/v1/users/a-officer', { cookie: bAdmin });
    expect(remove.statusCode).toBe(404);
    expect(await api.accounts.checkPassword('a-officer', PASSWORD)).toMatchObject({ units: ['unit-a'] });
    expect(await api.accounts.checkPassword('a-officer', 'attacker-password')).toBeNull();
  });

  it("cannot rename another unit, nor rotate or revoke its agents", async () => {
    expect((await api.request('PATCH', '/api/v1/units/unit-a', { cookie: bAdmin, body: { name: 'Renamed' } })).statusCode).toBe(404);
    expect((await api.accounts.getUnit('unit-a'))?.name).toBe('Sở Y tế');
    const rotate = await api.request('POST', `/api/v1/agents/${unitAAgent.agent.id}/rotate`, { cookie: bAdmin });
    expect(rotate.statusCode).toBe(404);
    expect(rotate.body).not.toContain('vgl_');
    expect((await api.request('DELETE', `/api/v1/agents/${unitAAgent.agent.id}`, { cookie: bAdmin })).statusCode).toBe(404);
    expect((await api.accounts.authenticateAgent(unitAAgent.key))?.id).toBe(unitAAgent.agent.id);
  });

  it("cannot widen its own unit's users or itself", async () => {
    expect((await api.request('PATCH', '/api/v1/users/b-officer', { cookie: bAdmin, body: { units: ['unit-a', 'unit-b'] } })).statusCode).toBe(403);
    expect((await api.request('PATCH', '/api/v1/users/b-officer', { cookie: bAdmin, body: { units: 'all' } })).statusCode).toBe(403);
    expect((await api.request('PATCH', '/api/v1/users/b-admin', { cookie: bAdmin, body: { units: 'all' } })).statusCode).toBe(403);
    expect(await api.accounts.getUser('b-officer')).toMatchObject({ units: ['unit-b'] });
    expect(await api.accounts.getUser('b-admin')).toMatchObject({ units: ['unit-b'] });
  });

  it('runs its own unit: renames it, enrols, rotates and revokes agents, manages its users', async () => {
    const rename = await api.request('PATCH', '/api/v1/units/unit-b', { cookie: bAdmin, body: { name: 'Sở Tài chính tỉnh' } });
    expect(rename.statusCode, rename.body).toBe(200);
    expect(rename.json()).toEqual({ unit: { id: 'unit-b', name: 'Sở Tài chính tỉnh' } });

    const enrol = await api.request('POST', '/api/v1/agents', { cookie: bAdmin, body: { unit: 'unit-b', name: 'firewall' } });
    expect(enrol.statusCode, enrol.body).toBe(201);
    const { agent, key } = enrol.json() as { agent: Agent; key: string };
    expect(agent.unit.id).toBe('unit-b');
    const rotate = await api.request('POST', `/api/v1/agents/${agent.id}/rotate`, { cookie: bAdmin });
    expect(rotate.statusCode, rotate.body).toBe(200);
    const rotated = rotate.json() as { agent: Agent; key: string };
    expect(await api.accounts.authenticateAgent(key)).toBeNull();
    expect((await api.request('DELETE', `/api/v1/agents/${agent.id}`, { cookie: bAdmin })).statusCode).toBe(204);
    expect(await api.accounts.authenticateAgent(rotated.key)).toBeNull();

    const create = await api.request('POST', '/api/v1/users', {
      cookie: bAdmin,
      body: { username: 'b-analyst', password: PASSWORD, role: 'analyst', units: ['unit-b'] },
    });
    expect(create.statusCode, create.body).toBe(201);
    expect(create.json()).toEqual({ user: { username: 'b-analyst', role: 'analyst', units: ['unit-b'], disabled: false } });
    const again = await api.request('POST', '/api/v1/users', {
      cookie: bAdmin,
      body: { username: 'b-analyst', password: 'another-password', role: 'admin', units: ['unit-b'] },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'conflict' } });
    const disable = await api.request('PATCH', '/api/v1/users/b-analyst', { cookie: bAdmin, body: { disabled: true } });
    expect(disable.json()).toMatchObject({ user: { disabled: true } });
    expect((await api.request('POST', '/api/v1/users/b-analyst/password', { cookie: bAdmin, body: { password: 'reset-password' } })).statusCode).toBe(204);
    expect((await api.request('DELETE', '/api/v1/users/b-analyst', { cookie: bAdmin })).statusCode).toBe(204);
    expect(await api.accounts.getUser('b-analyst')).toBeNull();
  });

  it('writes every change to the audit log with who, from where and before/after; a unit admin reads only its unit', async () => {
    await api.request('PATCH', '/api/v1/units/unit-a', { cookie: socAdmin, body: { name: 'Sở Y tế tỉnh' }, remoteAddress: '10.1.2.3' });
    const soc = (await api.request('GET', '/api/v1/audit?action=unit.rename', { cookie: socAdmin })).json() as { items: AuditEntry[] };
    expect(soc.items.map((e) => [e.actor, e.target])).toEqual([
      ['soc-admin', 'unit-a'],
      ['b-admin', 'unit-b'],
    ]);
    expect(soc.items[0]).toMatchObject({ source: '10.1.2.3', before: { name: 'Sở Y tế' }, after: { name: 'Sở Y tế tỉnh' }, units: ['unit-a'] });

    const mine = (await api.request('GET', '/api/v1/audit?limit=500', { cookie: bAdmin })).json() as { items: AuditEntry[] };
    expect(mine.items.length).toBeGreaterThan(0);
    for (const entry of mine.items) expect(entry.units).toEqual(['unit-b']);
    expect(mine.items.map((e) => e.action)).toEqual(
      expect.arrayContaining(['unit.rename', 'agent.enrol', 'agent.rotate', 'agent.revoke', 'user.create', 'user.update', 'user.password_reset', 'user.delete']),
    );
    const secrets = JSON.stringify(mine.items);
    expect(secrets).not.toContain(PASSWORD);
    expect(secrets).not.toContain('reset-password');
    expect(secrets).not.toContain('vgl_');

    const foreign = (await api.request('GET', '/api/v1/audit?unit=unit-a', { cookie: bAdmin })).json() as { items: AuditEntry[] };
    expect(foreign.items).toEqual([]);
  });

  it("sets its own agents' default input format, never another unit's, and refuses a name that cannot be a format", async () => {
    const foreign = await api.request('PATCH', `/api/v1/agents/${unitAAgent.agent.id}`, { cookie: bAdmin, body: { format: 'suricata' } });
    expect(foreign.statusCode).toBe(404);
    expect((await api.accounts.getAgent(unitAAgent.agent.id))?.format).toBeUndefined();

    const own = await api.accounts.createAgent('unit-b', 'unit-b IDS sensor');
    const set = await api.request('PATCH', `/api/v1/agents/${own.agent.id}`, { cookie: bAdmin, body: { format: 'suricata' } });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ agent: { id: own.agent.id, format: 'suricata' } });
    const listed = (await api.request('GET', '/api/v1/agents', { cookie: bAdmin })).json() as { items: Agent[] };
    expect(listed.items.find((agent) => agent.id === own.agent.id)?.format).toBe('suricata');
    expect(JSON.stringify(listed)).not.toContain(own.key);

    const bad = await api.request('PATCH', `/api/v1/agents/${own.agent.id}`, { cookie: bAdmin, body: { format: 'Suricata EVE!' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/format/);

    const cleared = await api.request('PATCH', `/api/v1/agents/${own.agent.id}`, { cookie: bAdmin, body: { format: null } });
    expect(cleared.statusCode).toBe(200);
    expect((await api.accounts.getAgent(own.agent.id))?.format).toBeUndefined();
    const audit = (await api.request('GET', '/api/v1/audit?action=agent.format', { cookie: bAdmin })).json() as { items: AuditEntry[] };
    expect(audit.items.map((entry) => [entry.target, (entry.after as { format: string | null }).format])).toEqual([
      [own.agent.id, null],
      [own.agent.id, 'suricata'],
    ]);
  });
});
