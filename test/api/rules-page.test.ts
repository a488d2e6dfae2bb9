// The Rules page's routes over a small rules folder: every rule with its level, tags,
// file and hits in the caller's scope; switching a rule off and on (SOC-wide analysts
// and admins only, recorded in the audit log, shown with who did it); its YAML; and
// "test this rule" on pasted NDJSON or a JSON array, with line numbers for matches and
// problems, through the production engine, for a detection rule and a correlation.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/start-vigil.ts';
import { makeAlert, startApiHarness, type ApiHarness } from './api-harness.ts';

const ALPHA = `title: Alpha signature
id: alpha
name: alpha_rule
status: test
description: Alpha found.
logsource:
  category: antivirus
detection:
  selection:
    Signature|contains: alpha-sig
  condition: selection
level: high
tags: [attack.execution, attack.t1204]
`;
const BURST = `title: Alpha twice on one PC
id: alpha-twice
correlation:
  type: event_count
  rules: [alpha_rule]
  group-by: [host.name]
  timespan: 10m
  condition:
    gte: 2
level: critical
`;

interface LibraryRule {
  id: string;
  title: string;
  kind: string;
  level: string;
  tags: string[];
  file: string;
  enabled: boolean;
  switchedBy: string | null;
  hits: number;
  alerts: number;
  lastHit: string | null;
}

const av = (signature: string, host = 'PC-1', time = '2026-12-01T08:00:00Z') => ({
  '@timestamp': time,
  event: { category: ['malware'], action: 'detected' },
  host: { name: host },
  rule: { name: signature },
});

describe('Rules page API', () => {
  let api: ApiHarness;
  let rulesDir: string;
  let socAnalyst: string;
  let unitAnalyst: string;
  let viewer: string;

  const library = async (cookie: string) => {
    const res = await api.request('GET', '/api/v1/rules/library', { cookie });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { items: LibraryRule[] }).items;
  };
  const switchRule = (cookie: string, id: string, enabled: boolean) => api.request('PATCH', `/api/v1/rules/library/${id}`, { cookie, body: { enabled } });
  const test = (cookie: string, id: string, events: string) => api.request('POST', `/api/v1/rules/library/${id}/test`, { cookie, body: { events } });

  beforeAll(async () => {
    rulesDir = makeTempDir('vigil-rules-page-');
    fs.mkdirSync(path.join(rulesDir, 'antivirus'));
    fs.writeFileSync(path.join(rulesDir, 'antivirus', 'alpha.yml'), `${ALPHA}---\n${BURST}`);
    fs.writeFileSync(path.join(rulesDir, 'antivirus', 'alpha.test.yml'), 'match: []\n');
    api = await startApiHarness({ rulesDir });
    socAnalyst = await api.userWithSession({ username: 'soc-analyst', role: 'analyst', units: 'all' });
    unitAnalyst = await api.userWithSession({ username: 'unit-analyst', role: 'analyst', units: ['unit-a'] });
    viewer = await api.userWithSession({ username: 'soc-viewer', role: 'viewer', units: 'all' });
    const now = Date.now();
    const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
    const alpha = { id: 'alpha', title: 'Alpha signature', level: 'high' as const, tags: [], kind: 'match' as const };
    await api.store.writeAlerts([
      // One alert groups the repeats of a rule on one host: a1 stands for 5 matches.
      makeAlert('a1', 'unit-a', { rule: alpha, last_seen: at(30), first_seen: at(35), count: 5 }),
      makeAlert('a2', 'unit-a', { rule: alpha, last_seen: at(10), first_seen: at(10) }),
      makeAlert('b1', 'unit-b', { rule: alpha, last_seen: at(1), first_seen: at(1), count: 2 }),
      // Older than the hit period: not counted.
      makeAlert('old', 'unit-a', { rule: alpha, last_seen: at(40 * 24 * 60), first_seen: at(40 * 24 * 60) }),
    ]);
    await api.store.refresh();
  });
  afterAll(async () => {
    await api?.close();
    fs.rmSync(rulesDir, { recursive: true, force: true });
  });

  it('lists every rule with level, tags, file, kind and its hits (matches, not alerts) of the last 30 days, in the caller\'s scope', async () => {
    const soc = await library(socAnalyst);
    expect(soc.map((r) => [r.id, r.kind, r.level, r.file, r.enabled])).toEqual([
      ['alpha', 'detection', 'high', path.join('antivirus', 'alpha.yml'), true],
      ['alpha-twice', 'correlation', 'critical', path.join('antivirus', 'alpha.yml'), true],
    ]);
    const alpha = soc.find((r) => r.id === 'alpha')!;
    expect(alpha.tags).toEqual(['attack.execution', 'attack.t1204']);
    expect(alpha).toMatchObject({ hits: 8, alerts: 3 });
    expect(Date.now() - Date.parse(alpha.lastHit!)).toBeLessThan(2 * 60_000);
    expect(soc.find((r) => r.id === 'alpha-twice')).toMatchObject({ hits: 0, alerts: 0, lastHit: null });

    // unit-a only: six matches in two alerts, the newest 10 minutes ago.
    const unit = (await library(unitAnalyst)).find((r) => r.id === 'alpha')!;
    expect(unit).toMatchObject({ hits: 6, alerts: 2 });
    expect(Date.now() - Date.parse(unit.lastHit!)).toBeGreaterThan(9 * 60_000);
  });

  it('refuses viewers, SOC-wide or not', async () => {
    expect((await api.request('GET', '/api/v1/rules/library', { cookie: viewer })).statusCode).toBe(403);
    expect((await api.request('GET', '/api/v1/rules/library/alpha', { cookie: viewer })).statusCode).toBe(403);
    expect((await switchRule(viewer, 'alpha', false)).statusCode).toBe(403);
    expect((await test(viewer, 'alpha', '{}')).statusCode).toBe(403);
  });

  it('shows one rule with its own YAML document', async () => {
    const res = await api.request('GET', '/api/v1/rules/library/alpha-twice', { cookie: socAnalyst });
    expect(res.statusCode).toBe(200);
    const rule = res.json() as { yaml: string; line: number };
    expect(rule.yaml).toBe(BURST.trimEnd());
    expect(rule.line).toBe(ALPHA.split('\n').length + 1);
    expect((await api.request('GET', '/api/v1/rules/library/nope', { cookie: socAnalyst })).statusCode).toBe(404);
  });

  it('switches a rule off and on: SOC-wide only, persisted, audited once per change, shown with who did it', async () => {
    expect((await switchRule(unitAnalyst, 'alpha', false)).statusCode).toBe(403);
    expect((await switchRule(socAnalyst, 'nope', false)).statusCode).toBe(404);
    expect((await switchRule(socAnalyst, 'alpha', 'no' as unknown as boolean)).statusCode).toBe(400);

    const off = await switchRule(socAnalyst, 'alpha', false);
    expect(off.statusCode, off.body).toBe(200);
    // Asking again for the state in force records nothing new.
    expect((await switchRule(socAnalyst, 'alpha', false)).statusCode).toBe(200);
    const shown = (await library(socAnalyst)).find((r) => r.id === 'alpha')!;
    expect(shown).toMatchObject({ enabled: false, switchedBy: 'soc-analyst' });

    const audit = await api.accounts.listAudit({ action: 'rule.switch', limit: 10 });
    expect(audit.items.map((e) => [e.actor, e.target, e.before, e.after, e.units])).toEqual([
      ['soc-analyst', 'alpha', { enabled: true }, { enabled: false }, []],
    ]);
    // SOC-wide: a unit-scoped admin's audit view does not show it.
    const unitAdmin = await api.userWithSession({ username: 'unit-admin', role: 'admin', units: ['unit-a'] });
    const seen = await api.request('GET', '/api/v1/audit?action=rule.switch', { cookie: unitAdmin });
    expect((seen.json() as { items: unknown[] }).items).toEqual([]);

    expect((await switchRule(socAnalyst, 'alpha', true)).statusCode).toBe(200);
    expect((await library(socAnalyst)).find((r) => r.id === 'alpha')).toMatchObject({ enabled: true });
    expect((await api.accounts.listAudit({ action: 'rule.switch', limit: 10 })).items.map((e) => e.after)).toEqual([{ enabled: true }, { enabled: false }]);
  });

  it('tests a detection rule on pasted NDJSON: which lines matched, why the others did not, and unreadable lines', async () => {
    const text = [
      JSON.stringify(av('Trojan.alpha-sig.A')),
      '',
      JSON.stringify(av('Trojan.Other')),
      '{"event": {"category": ["malware"]},}',
      JSON.stringify({ event: { category: ['network'] }, rule: { name: 'alpha-sig' } }),
      '[1]',
    ].join('\n');
    const res = await test(socAnalyst, 'alpha', text);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { kind: string; events: unknown[]; problems: unknown[] };
    expect(body.kind).toBe('detection');
    expect(body.events).toEqual([
      { line: 1, matched: true },
      { line: 3, matched: false, reason: 'detection' },
      { line: 5, matched: false, reason: 'logsource' },
    ]);
    expect(body.problems).toEqual([
      { line: 4, column: 37, message: expect.stringMatching(/^not JSON: /) },
      { line: 6, message: 'an event is a JSON object ({…})' },
    ]);
  });

  it('tests on a pasted JSON array, each event named by the line it starts on', async () => {
    const text = `[\n  ${JSON.stringify(av('no'))},\n  ${JSON.stringify(av('x alpha-sig'), null, 2).replace(/\n/g, '\n  ')}\n]`;
    const body = (await test(unitAnalyst, 'alpha', text)).json() as { events: unknown[]; problems: unknown[] };
    expect(body.events).toEqual([
      { line: 2, matched: false, reason: 'detection' },
      { line: 3, matched: true },
    ]);
    expect(body.problems).toEqual([]);

    const broken = (await test(unitAnalyst, 'alpha', '[\n  {"a": 1},\n  {"b" 2}\n]')).json() as { events: unknown[]; problems: unknown[] };
    expect(broken.events).toEqual([]);
    expect(broken.problems).toEqual([{ line: 3, column: 8, message: expect.stringMatching(/^not JSON: /) }]);
  });

  it('tests a correlation: the events its rules matched and the firings, with their lines', async () => {
    const text = [
      av('alpha-sig', 'PC-1', '2026-12-01T08:00:00Z'),
      av('alpha-sig', 'PC-2', '2026-12-01T08:01:00Z'),
      av('other', 'PC-1', '2026-12-01T08:02:00Z'),
      av('alpha-sig', 'PC-1', '2026-12-01T08:03:00Z'),
    ]
      .map((event) => JSON.stringify(event))
      .join('\n');
    const res = await test(socAnalyst, 'alpha-twice', text);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { kind: string; events: { line: number; matched: boolean }[]; firings: unknown[] };
    expect(body.kind).toBe('correlation');
    expect(body.events.map((e) => [e.line, e.matched])).toEqual([
      [1, true],
      [2, true],
      [3, false],
      [4, true],
    ]);
    expect(body.firings).toEqual([{ group: { 'host.name': 'PC-1' }, time: '2026-12-01T08:03:00.000Z', count: 2, lines: [1, 4] }]);
  });
});
