// GET /api/v1/audit through the real API: triage is audited like any other change, about
// the alert's unit (a cross-unit alert is SOC-only); admins filter and page the log; a
// unit admin reads its own unit's entries and nothing else; bad filters are a clear 400.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../core/accounts/accounts.ts';
import { makeAlert, startApiHarness, type ApiHarness } from './api-harness.ts';

interface AuditPage {
  items: AuditEntry[];
  next: string | null;
}

describe('the audit log', () => {
  let api: ApiHarness;
  let socAdmin: string;
  let aAdmin: string;
  let bAdmin: string;
  let aAnalyst: string;

  beforeAll(async () => {
    api = await startApiHarness();
    socAdmin = await api.userWithSession({ username: 'soc-admin', role: 'admin', units: 'all' });
    aAdmin = await api.userWithSession({ username: 'a-admin', role: 'admin', units: ['unit-a'] });
    bAdmin = await api.userWithSession({ username: 'b-admin', role: 'admin', units: ['unit-b'] });
    aAnalyst = await api.userWithSession({ username: 'a-analyst', role: 'analyst', units: ['unit-a'] });
    await api.store.writeAlerts([makeAlert('alert-a', 'unit-a'), makeAlert('alert-cross', '*')]);
    await api.store.refresh();
  });
  afterAll(async () => {
    await api?.close();
  });

  const audit = async (cookie: string, query = '') => {
    const res = await api.request('GET', `/api/v1/audit${query}`, { cookie });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as AuditPage;
  };

  it("records triage with who, from where and before/after, about the alert's unit", async () => {
    const res = await api.request('PATCH', '/api/v1/alerts/alert-a', {
      cookie: aAnalyst,
      body: { status: 'acknowledged', note: 'calling the unit' },
      remoteAddress: '10.20.30.40',
    });
    expect(res.statusCode, res.body).toBe(200);
    const { items } = await audit(aAdmin, '?action=alert.update');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      actor: 'a-analyst',
      source: '10.20.30.40',
      target: 'alert-a',
      units: ['unit-a'],
      before: { status: 'new', assignee: null },
      after: { status: 'acknowledged', assignee: null, note: 'calling the unit' },
    });
    expect((await audit(bAdmin, '?action=alert.update')).items).toEqual([]);
  });

  it('keeps triage of a cross-unit alert for SOC-wide admins', async () => {
    expect((await api.request('PATCH', '/api/v1/alerts/alert-cross', { cookie: socAdmin, body: { status: 'in_progress' } })).statusCode).toBe(200);
    expect((await audit(socAdmin, '?action=alert.update')).items.map((e) => e.target)).toContain('alert-cross');
    expect((await audit(aAdmin, '?action=alert.update')).items.map((e) => e.target)).toEqual(['alert-a']);
  });

  it('pages with the cursor it answers and filters by actor, unit and time', async () => {
    for (let i = 0; i < 5; i += 1) {
      await api.request('PATCH', '/api/v1/units/unit-a', { cookie: aAdmin, body: { name: `Sở Y tế ${i}` } });
    }
    const first = await audit(aAdmin, '?action=unit.rename&limit=2');
    expect(first.items.map((e) => (e.after as { name: string }).name)).toEqual(['Sở Y tế 4', 'Sở Y tế 3']);
    const second = await audit(aAdmin, `?action=unit.rename&limit=2&cursor=${first.next}`);
    expect(second.items.map((e) => (e.after as { name: string }).name)).toEqual(['Sở Y tế 2', 'Sở Y tế 1']);
    const third = await audit(aAdmin, `?action=unit.rename&limit=2&cursor=${second.next}`);
    expect(third).toMatchObject({ items: [{ after: { name: 'Sở Y tế 0' } }], next: null });

    expect((await audit(socAdmin, '?actor=a-analyst')).items.map((e) => e.action)).toEqual(['alert.update']);
    expect((await audit(socAdmin, '?unit=unit-b')).items).toEqual([]);
    const future = new Date(Date.now() + 3600_000).toISOString();
    expect((await audit(socAdmin, `?from=${encodeURIComponent(future)}`)).items).toEqual([]);
  });

  it('answers 400 for a bad filter or a cursor it did not issue, 403 for non-admins', async () => {
    expect((await api.request('GET', '/api/v1/audit?cursor=forged', { cookie: socAdmin })).statusCode).toBe(400);
    expect((await api.request('GET', '/api/v1/audit?from=yesterday', { cookie: socAdmin })).statusCode).toBe(400);
    expect((await api.request('GET', '/api/v1/audit?limit=100000', { cookie: socAdmin })).statusCode).toBe(400);
    expect((await api.request('GET', '/api/v1/audit', { cookie: aAnalyst })).statusCode).toBe(403);
  });
});
