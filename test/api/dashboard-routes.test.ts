// GET /api/v1/dashboard and /dashboard/agents through the real API over the embedded
// store: every panel's figures over the asked range, one unit's dashboard, and a unit
// IT officer who sees only their unit (another unit's dashboard is 404, as if absent).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, HistoryEntry } from '../../core/schemas/alert.ts';
import type { SecurityEvent } from '../../core/schemas/event.ts';
import { makeAlert, startApiHarness, type ApiHarness } from './api-harness.ts';

const MIN = 60_000;
const FROM = '2026-12-01T00:00:00.000Z';
const TO = '2026-12-02T00:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(FROM) + minutes * MIN).toISOString();

function av(id: string, unit: string, minutes: number, host: string, threat: string, action: string): SecurityEvent {
  return {
    '@timestamp': at(minutes),
    event: { id, ingested: at(minutes), module: 'antivirus', category: ['malware'], action },
    organization: { id: unit, name: unit },
    host: { name: host },
    rule: { name: threat },
  } as SecurityEvent;
}

function alert(id: string, unit: string, minutes: number, overrides: Partial<Alert> = {}, history: [number, string][] = []): Alert {
  const seen = at(minutes);
  const entries: HistoryEntry[] = history.map(([after, to]) => ({ at: at(minutes + after), actor: 'an', field: 'status', from: 'new', to }));
  return makeAlert(id, unit, { first_seen: seen, last_seen: seen, created: seen, updated: seen, history: entries, ...overrides });
}

describe('GET /api/v1/dashboard', () => {
  let api: ApiHarness;
  let soc: string;
  let officer: string;

  beforeAll(async () => {
    api = await startApiHarness();
    soc = await api.userWithSession({ username: 'soc', role: 'analyst', units: 'all' });
    officer = await api.userWithSession({ username: 'officer', role: 'viewer', units: ['unit-a'] });
    await api.store.writeEvents([
      av('e1', 'unit-a', 10, 'pc-1', 'Trojan:Win32/Emotet', 'quarantined'),
      av('e2', 'unit-a', 20, 'pc-1', 'Trojan:Win32/Emotet', 'quarantined'),
      av('e3', 'unit-a', 30, 'pc-2', 'Trojan:Win32/Emotet', 'blocked'),
      av('e4', 'unit-a', 40, 'pc-2', 'Worm:Win32/Ramnit', 'quarantine_failed'),
      av('e5', 'unit-b', 50, 'kt-1', 'Backdoor:OtherUnit', 'cleaned'),
      av('e-before', 'unit-a', -30, 'pc-1', 'Trojan:Win32/Emotet', 'quarantined'),
    ]);
    await api.store.writeAlerts([
      alert('a1', 'unit-a', 60, { severity: 'critical', host: { name: 'pc-1' } }, [[10, 'acknowledged'], [70, 'resolved']]),
      alert('a2', 'unit-a', 90, { severity: 'high', host: { name: 'pc-1' } }, [[30, 'in_progress']]),
      alert('a3', 'unit-a', 600, { severity: 'medium', host: { name: 'pc-2' } }),
      alert('b1', 'unit-b', 120, { severity: 'critical', host: { name: 'kt-1' } }, [[5, 'acknowledged']]),
      alert('a-outside', 'unit-a', 24 * 60 + 5, { severity: 'low' }),
    ]);
    await api.store.refresh();
    await api.accounts.createAgent('unit-a', 'pc-1 agent', 'key-of-pc-1-agent-0123456789');
    await api.accounts.authenticateAgent('key-of-pc-1-agent-0123456789');
    await api.accounts.createAgent('unit-a', 'pc-2 agent');
    await api.accounts.createAgent('unit-b', 'kt-1 agent');
  });
  afterAll(async () => {
    await api.close();
  });

  const get = async (query: string, cookie: string) => api.request('GET', `/api/v1/dashboard?${query}`, { cookie });

  it('answers every panel over the range, for a SOC-wide analyst', async () => {
    const res = await get(`from=${FROM}&to=${TO}`, soc);
    expect(res.statusCode).toBe(200);
    const d = res.json();
    expect(d.bucketMs).toBe(30 * MIN);
    expect(d.alerts).toBe(4);
    expect(d.events).toBe(5);
    expect(d.overTime).toEqual([
      { start: at(60), bySeverity: { critical: 1 } },
      { start: at(90), bySeverity: { high: 1 } },
      { start: at(120), bySeverity: { critical: 1 } },
      { start: at(600), bySeverity: { medium: 1 } },
    ]);
    expect(d.topHosts[0]).toEqual({ host: 'pc-1', unit: 'unit-a', count: 2 });
    expect(d.topUnits).toEqual([
      { unit: 'unit-a', name: 'Sở Y tế', count: 3 },
      { unit: 'unit-b', name: 'Sở Tài chính', count: 1 },
    ]);
    expect(d.topRules).toEqual([{ rule: 'av-detection', title: 'Malware detected', count: 4 }]);
    expect(d.topThreats[0]).toEqual({ name: 'Trojan:Win32/Emotet', count: 3, hosts: 2 });
    const infections = Object.fromEntries(d.infections.map((i: { outcome: string; count: number }) => [i.outcome, i.count]));
    expect(infections).toEqual({ blocked: 1, quarantined: 2, cleaned: 1, deleted: 0, failed: 1, other: 0 });
    expect(d.infections.find((i: { outcome: string }) => i.outcome === 'failed').action).toBe('quarantine_failed');
    expect(d.agents).toMatchObject({ online: 1, silent: 2 });
    // unit-a: a1 acknowledged after 10 min, resolved after 70; a2 after 30: MTTA 20 min, MTTR 70 min.
    expect(d.triage).toEqual([
      { unit: 'unit-a', name: 'Sở Y tế', alerts: 3, acknowledged: 2, resolved: 1, mttaMs: 20 * MIN, mttrMs: 70 * MIN },
      { unit: 'unit-b', name: 'Sở Tài chính', alerts: 1, acknowledged: 1, resolved: 0, mttaMs: 5 * MIN, mttrMs: null },
    ]);
  });

  it('gives a unit IT officer their unit only, and 404 for another unit', async () => {
    const mine = (await get(`from=${FROM}&to=${TO}`, officer)).json();
    expect(mine.alerts).toBe(3);
    expect(mine.topUnits.map((u: { unit: string }) => u.unit)).toEqual(['unit-a']);
    expect(mine.topThreats.map((t: { name: string }) => t.name)).not.toContain('Backdoor:OtherUnit');
    expect(mine.triage.map((t: { unit: string }) => t.unit)).toEqual(['unit-a']);
    expect(mine.agents).toMatchObject({ online: 1, silent: 1 });
    expect((await get(`unit=unit-b&from=${FROM}&to=${TO}`, officer)).statusCode).toBe(404);
    const agents = await api.request('GET', '/api/v1/dashboard/agents?unit=unit-b', { cookie: officer });
    expect(agents.statusCode).toBe(404);
  });

  it('answers one unit’s dashboard when asked by a SOC-wide user', async () => {
    const res = await get(`unit=unit-b&from=${FROM}&to=${TO}`, soc);
    expect(res.json()).toMatchObject({ unit: { id: 'unit-b', name: 'Sở Tài chính' }, alerts: 1, events: 1 });
  });

  it('lists agents with when each was last seen', async () => {
    const res = await api.request('GET', '/api/v1/dashboard/agents?unit=unit-a', { cookie: officer });
    const items = res.json().items as { name: string; lastSeen: string | null; silent: boolean }[];
    expect(items.map((a) => [a.name, a.silent])).toEqual([
      ['pc-1 agent', false],
      ['pc-2 agent', true],
    ]);
    expect(items[0]?.lastSeen).not.toBeNull();
  });

  it('refuses a range that is backwards or not a time, naming it', async () => {
    expect((await get(`from=${TO}&to=${FROM}`, soc)).statusCode).toBe(400);
    const bad = await get('from=yesterday', soc);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('from');
  });
});
