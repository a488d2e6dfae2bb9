// The alert workbench's API through the real routes: paging with no cap to the last
// alert, sorting and filtering from the query string, group counts, open-alert
// counters, and bulk triage (each alert's history, the audit log and the alerts topic
// get one entry per alert) scoped by the caller's units.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../core/accounts/accounts.ts';
import { TOPICS } from '../../core/ports/bus.ts';
import type { AlertGroups, Page } from '../../core/ports/store.ts';
import type { Alert, Severity } from '../../core/schemas/alert.ts';
import { makeAlert, startApiHarness, type ApiHarness } from './api-harness.ts';

const BASE_MS = Date.parse('2026-11-01T00:00:00.000Z');
const levels: Severity[] = ['low', 'medium', 'high', 'critical'];

/** 1,200 alerts of unit-a and 60 of unit-b, one a minute; every 7th unit-a one resolved. */
function world(): Alert[] {
  const alerts: Alert[] = [];
  for (let i = 0; i < 1260; i++) {
    const unit = i < 1200 ? 'unit-a' : 'unit-b';
    const seen = new Date(BASE_MS + i * 60_000).toISOString();
    const severity = levels[i % levels.length]!;
    alerts.push(
      makeAlert(`al-${String(i).padStart(4, '0')}`, unit, {
        rule: { id: `rule-${i % 3}`, title: ['Mimikatz run', 'Macro downloader', 'Network scan'][i % 3]!, level: severity, tags: [], kind: 'match' },
        severity,
        status: unit === 'unit-a' && i % 7 === 0 ? 'resolved' : 'new',
        assignee: i % 5 === 0 ? 'lan' : null,
        host: { name: `pc-${i % 10}` },
        last_seen: seen,
        updated: seen,
      }),
    );
  }
  return alerts;
}

describe('the alert workbench API', () => {
  let api: ApiHarness;
  let soc: string;
  let lan: string;
  let officerA: string;
  let viewer: string;
  const alerts = world();

  beforeAll(async () => {
    api = await startApiHarness();
    soc = await api.userWithSession({ username: 'soc-analyst', role: 'analyst', units: 'all' });
    lan = await api.userWithSession({ username: 'lan', role: 'analyst', units: 'all' });
    officerA = await api.userWithSession({ username: 'officer-a', role: 'analyst', units: ['unit-a'] });
    viewer = await api.userWithSession({ username: 'viewer', role: 'viewer', units: 'all' });
    for (let i = 0; i < alerts.length; i += 500) await api.store.writeAlerts(alerts.slice(i, i + 500));
    await api.store.refresh();
  });
  afterAll(async () => {
    await api?.close();
  });

  const get = async <T>(cookie: string, url: string): Promise<T> => {
    const res = await api.request('GET', url, { cookie });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as T;
  };

  it('pages with no cap: every alert, newest first, exactly once, to the last', async () => {
    const ids: string[] = [];
    let url = '/api/v1/alerts?limit=1000';
    let pages = 0;
    for (;;) {
      const page = await get<Page<Alert>>(soc, url);
      pages += 1;
      if (pages === 1) expect(page.total).toBe(1260);
      ids.push(...page.items.map((a) => a.id));
      if (page.next === null) break;
      url = `/api/v1/alerts?limit=1000&cursor=${page.next}`;
    }
    expect(pages).toBe(2);
    expect(ids).toHaveLength(1260);
    expect(new Set(ids).size).toBe(1260);
    expect(ids[0]).toBe('al-1259');
    expect(ids.at(-1)).toBe('al-0000');
  });

  it('sorts by any column from ?sort=, descending with a leading -, and refuses what it cannot sort by', async () => {
    const bySeverity = await get<Page<Alert>>(soc, '/api/v1/alerts?sort=-severity&limit=300');
    expect(bySeverity.items.every((a) => a.severity === 'critical')).toBe(true);
    expect(bySeverity.items[0]?.id).toBe('al-1259'); // ties newest first
    const second = await get<Page<Alert>>(soc, `/api/v1/alerts?sort=-severity&limit=300&cursor=${bySeverity.next}`);
    expect(second.items.slice(0, 5).map((a) => a.severity)).toEqual(['critical', 'critical', 'critical', 'critical', 'critical']);
    expect(second.items.at(-1)?.severity).toBe('high');
    const oldest = await get<Page<Alert>>(soc, '/api/v1/alerts?sort=time&limit=2');
    expect(oldest.items.map((a) => a.id)).toEqual(['al-0000', 'al-0001']);
    expect((await api.request('GET', '/api/v1/alerts?sort=colour', { cookie: soc })).statusCode).toBe(400);
    // A token of one order is refused under another, rather than skipping alerts.
    expect((await api.request('GET', `/api/v1/alerts?sort=count&cursor=${bySeverity.next}`, { cookie: soc })).statusCode).toBe(400);
  });

  it('filters by text, unit, rule, assignee (me, none, anyone) and time', async () => {
    const mimikatz = await get<Page<Alert>>(soc, '/api/v1/alerts?q=mimiKATZ&limit=1000');
    expect(mimikatz.total).toBe(420);
    expect(mimikatz.items.every((a) => a.rule.title === 'Mimikatz run')).toBe(true);
    expect((await get<Page<Alert>>(soc, '/api/v1/alerts?q=pc-3&limit=1')).total).toBe(126);
    expect((await get<Page<Alert>>(soc, '/api/v1/alerts?unit=unit-b&limit=1')).total).toBe(60);
    const mine = await get<Page<Alert>>(lan, '/api/v1/alerts?assignee=me&limit=1000');
    expect(mine.total).toBe(252);
    expect(mine.items.every((a) => a.assignee === 'lan')).toBe(true);
    expect((await get<Page<Alert>>(soc, '/api/v1/alerts?assignee=me&limit=1')).total).toBe(0);
    expect((await get<Page<Alert>>(soc, '/api/v1/alerts?assignee=none&limit=1')).total).toBe(1008);
    const from = new Date(BASE_MS + 1250 * 60_000).toISOString();
    expect((await get<Page<Alert>>(soc, `/api/v1/alerts?from=${encodeURIComponent(from)}&limit=100`)).items).toHaveLength(10);
  });

  it('counts groups by rule, host and unit; open counters leave resolved and false positives out', async () => {
    const byRule = await get<AlertGroups>(soc, '/api/v1/alerts/groups?by=rule');
    expect(byRule.total).toBe(1260);
    expect(byRule.groups.map((g) => [g.key, g.label, g.count])).toEqual([
      ['rule-0', 'Mimikatz run', 420],
      ['rule-1', 'Macro downloader', 420],
      ['rule-2', 'Network scan', 420],
    ]);
    const byUnitForOfficer = await get<AlertGroups>(officerA, '/api/v1/alerts/groups?by=unit');
    expect(byUnitForOfficer.groups.map((g) => g.key)).toEqual(['unit-a']);
    const hosts = await get<AlertGroups>(soc, '/api/v1/alerts/groups?by=host&rule=rule-0');
    expect(hosts.groups.reduce((sum, g) => sum + g.count, 0)).toBe(420);

    const open = await get<AlertGroups>(soc, '/api/v1/alerts/groups?by=severity&status=new,acknowledged,in_progress');
    const all = await get<AlertGroups>(soc, '/api/v1/alerts/groups?by=severity');
    const resolved = alerts.filter((a) => a.status === 'resolved');
    expect(open.total).toBe(1260 - resolved.length);
    const count = (groups: AlertGroups, key: string) => groups.groups.find((g) => g.key === key)?.count ?? 0;
    expect(count(open, 'critical')).toBe(count(all, 'critical') - resolved.filter((a) => a.severity === 'critical').length);
    expect((await api.request('GET', '/api/v1/alerts/groups?by=colour', { cookie: soc })).statusCode).toBe(400);
  });

  it('bulk-triages 50 alerts: each changed, in its history, audited and published once', async () => {
    const ids = alerts.slice(100, 150).map((a) => a.id);
    const end = await api.bus.endPositions(TOPICS.alerts);
    const res = await api.request('POST', '/api/v1/alerts/triage', {
      cookie: soc,
      body: { ids, status: 'false_positive', assignee: 'minh', note: 'backup job, not malware' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const answer = res.json() as { updated: Alert[]; failed: unknown[] };
    expect(answer.failed).toEqual([]);
    expect(answer.updated.map((a) => a.id)).toEqual(ids);
    for (const id of ids) {
      const stored = await api.store.getAlert(id, { kind: 'all' });
      expect(stored).toMatchObject({ status: 'false_positive', assignee: 'minh', notes: [{ author: 'soc-analyst', text: 'backup job, not malware' }] });
      expect(stored?.history.map((h) => [h.actor, h.field, h.to])).toEqual([
        ['soc-analyst', 'status', 'false_positive'],
        ['soc-analyst', 'assignee', 'minh'],
        ['soc-analyst', 'note', 'backup job, not malware'],
      ]);
    }
    const audit = await api.accounts.listAudit({ action: 'alert.update', limit: 1000 });
    const audited = (audit.items as AuditEntry[]).filter((e) => ids.includes(e.target));
    expect(audited).toHaveLength(50);
    expect(audited[0]).toMatchObject({ actor: 'soc-analyst', units: ['unit-a'], after: { status: 'false_positive', assignee: 'minh' } });
    const published = await api.bus.readAfter(TOPICS.alerts, end, 1000);
    expect(published.map((r) => (JSON.parse(r.value.toString()) as Alert).id)).toEqual(ids);
  });

  it("never lets a unit's officer touch another unit's alert: refused one by one, left unchanged", async () => {
    const own = alerts.slice(200, 203).map((a) => a.id);
    const other = alerts.slice(1200, 1203).map((a) => a.id);
    const res = await api.request('POST', '/api/v1/alerts/triage', {
      cookie: officerA,
      body: { ids: [...own, ...other], status: 'resolved', note: 'cleaned' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const answer = res.json() as { updated: Alert[]; failed: { id: string; code: string }[] };
    expect(answer.updated.map((a) => a.id)).toEqual(own);
    expect(answer.failed).toEqual(other.map((id) => expect.objectContaining({ id, code: 'not_found' })));
    for (const id of other) {
      expect(await api.store.getAlert(id, { kind: 'all' })).toMatchObject({ status: 'new', notes: [], history: [] });
    }
  });

  it('refuses bulk triage to viewers, empty or oversized id lists and empty changes', async () => {
    const body = { ids: ['al-0001'], status: 'resolved' };
    expect((await api.request('POST', '/api/v1/alerts/triage', { cookie: viewer, body })).statusCode).toBe(403);
    expect((await api.request('POST', '/api/v1/alerts/triage', { cookie: soc, body: { ids: [], status: 'resolved' } })).statusCode).toBe(400);
    const tooMany = Array.from({ length: 501 }, (_, i) => `x-${i}`);
    expect((await api.request('POST', '/api/v1/alerts/triage', { cookie: soc, body: { ids: tooMany, status: 'resolved' } })).statusCode).toBe(400);
    expect((await api.request('POST', '/api/v1/alerts/triage', { cookie: soc, body: { ids: ['al-0001'] } })).statusCode).toBe(400);
    expect(await api.store.getAlert('al-0001', { kind: 'all' })).toMatchObject({ status: 'new', history: [] });
  });
});

describe("an alert's detail", () => {
  let api: ApiHarness;
  let soc: string;
  beforeAll(async () => {
    api = await startApiHarness();
    soc = await api.userWithSession({ username: 'soc', role: 'viewer', units: 'all' });
  });
  afterAll(async () => {
    await api?.close();
  });

  it("carries the rule's description, false positives and references from its Sigma file", async () => {
    // The ransomware family rule of rules/antivirus/ransomware-signature.yml.
    await api.store.writeAlerts([
      makeAlert('ransom-1', 'unit-a', { rule: { id: 'de9790ad-81a1-40a0-bb76-05acef20b5f8', title: 'Ransomware Family Detected', level: 'critical', tags: [], kind: 'match' } }),
      makeAlert('unknown-rule', 'unit-a'),
    ]);
    const res = await api.request('GET', '/api/v1/alerts/ransom-1', { cookie: soc });
    expect(res.statusCode, res.body).toBe(200);
    const info = (res.json() as { rule_info: { description: string; falsepositives: string[]; file: string; tags: string[] } }).rule_info;
    expect(info.description).toMatch(/ransomware family/i);
    expect(info.file).toBe('antivirus/ransomware-signature.yml');
    expect(info.tags).toContain('attack.t1486');
    expect(Array.isArray(info.falsepositives)).toBe(true);
    const unknown = await api.request('GET', '/api/v1/alerts/unknown-rule', { cookie: soc });
    expect((unknown.json() as { rule_info: unknown }).rule_info).toBeNull();
  });
});
