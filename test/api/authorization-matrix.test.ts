// The authorization matrix: every REST endpoint of the console × every role (admin,
// analyst, viewer) × SOC-wide and unit-scoped × a target in the user's own unit and in
// another unit, generated from one table of who may do what. An allowed request must
// answer 2xx and take effect (or show the target); a refused one must answer 401/403/404
// or leave the target out, and change nothing. The same for the alert stream: an alert
// of another unit never reaches a unit-scoped socket, live or through resume.
import fs from 'node:fs';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import type { Role } from '../../core/accounts/accounts.ts';
import { readRuleSwitches } from '../../core/accounts/rule-switches.ts';
import { connectStream } from '../e2e/ws-client.ts';
import { PASSWORD, makeAlert, makeEvent, startApiHarness, type ApiHarness } from './api-harness.ts';
import { answerTestSends, deadLetter, sentDelivery } from './notification-fixtures.ts';

type Scope = 'soc' | 'unit';
interface Principal {
  username: string;
  role: Role;
  scope: Scope;
}
const OWN = 'unit-a';
const OTHER = 'unit-b';
/** The shipped EICAR rule: the Rules page routes act on it. */
const SWITCHED_RULE = 'df894cb3-e9cb-4e48-8354-f7b0139de490';

const principals: Principal[] = (['admin', 'analyst', 'viewer'] as const).flatMap((role) =>
  (['soc', 'unit'] as const).map((scope) => ({ username: `${scope}-${role}`, role, scope })),
);

// Who may do what, once.
const sees = (p: Principal, unit: string) => p.scope === 'soc' || unit === OWN;
const administers = (p: Principal, unit: string) => p.role === 'admin' && sees(p, unit);
const triages = (p: Principal, unit: string) => (p.role === 'admin' || p.role === 'analyst') && sees(p, unit);
const socAdmin = (p: Principal) => p.role === 'admin' && p.scope === 'soc';
const anyone = () => true;
const authors = (p: Principal) => p.role === 'admin' || p.role === 'analyst';

interface Ctx {
  api: ApiHarness;
  cookie: string;
  principal: Principal;
  unit: string;
  /** Unique per run, for names of things a case creates. */
  tag: string;
  /** Replaces the principal's cookie (a password change re-issues it). */
  renewCookie(cookie: string): void;
}
interface Outcome {
  res: LightMyRequestResponse;
  /** Whether the request took effect, or the target is in what it answered. */
  effect: () => Promise<boolean>;
}
interface Case {
  route: string;
  allowed: (p: Principal, unit: string) => boolean;
  run: (ctx: Ctx) => Promise<Outcome>;
  /** Not signed in: the status expected (401 unless said). */
  anonymous?: number | 'skip';
}

const items = (res: LightMyRequestResponse) => ((res.statusCode === 200 ? res.json() : { items: [] }) as { items: Array<Record<string, unknown>> }).items;
const ok = (res: LightMyRequestResponse) => res.statusCode >= 200 && res.statusCode < 300;

const cases: Case[] = [
  {
    route: 'GET /api/v1/units',
    allowed: sees,
    async run({ api, cookie, unit }) {
      const res = await api.request('GET', '/api/v1/units', { cookie });
      return { res, effect: async () => items(res).some((u) => u.id === unit) };
    },
  },
  {
    route: 'POST /api/v1/units',
    allowed: socAdmin,
    async run({ api, cookie, tag }) {
      const res = await api.request('POST', '/api/v1/units', { cookie, body: { id: `new-${tag}`, name: 'New unit' } });
      return { res, effect: async () => (await api.accounts.getUnit(`new-${tag}`)) !== null };
    },
  },
  {
    route: 'PATCH /api/v1/units/:id',
    allowed: administers,
    async run({ api, cookie, unit, tag }) {
      const res = await api.request('PATCH', `/api/v1/units/${unit}`, { cookie, body: { name: `Renamed ${tag}` } });
      return { res, effect: async () => (await api.accounts.getUnit(unit))?.name === `Renamed ${tag}` };
    },
  },
  {
    route: 'GET /api/v1/agents',
    allowed: administers,
    async run({ api, cookie, unit }) {
      const res = await api.request('GET', '/api/v1/agents', { cookie });
      return { res, effect: async () => items(res).some((a) => (a.unit as { id: string }).id === unit) };
    },
  },
  {
    route: 'POST /api/v1/agents',
    allowed: administers,
    async run({ api, cookie, unit, tag }) {
      const res = await api.request('POST', '/api/v1/agents', { cookie, body: { unit, name: `agent ${tag}` } });
      return { res, effect: async () => (await api.accounts.listAgents()).some((a) => a.name === `agent ${tag}`) };
    },
  },
  {
    route: 'POST /api/v1/agents/:id/rotate',
    allowed: administers,
    async run({ api, cookie, unit, tag }) {
      const { agent, key } = await api.accounts.createAgent(unit, `rotate ${tag}`);
      const res = await api.request('POST', `/api/v1/agents/${agent.id}/rotate`, { cookie });
      return { res, effect: async () => (await api.accounts.authenticateAgent(key)) === null };
    },
  },
  {
    route: 'PATCH /api/v1/agents/:id',
    allowed: administers,
    async run({ api, cookie, unit, tag }) {
      const { agent } = await api.accounts.createAgent(unit, `format ${tag}`);
      const res = await api.request('PATCH', `/api/v1/agents/${agent.id}`, { cookie, body: { format: 'suricata' } });
      return { res, effect: async () => (await api.accounts.getAgent(agent.id))?.format === 'suricata' };
    },
  },
  {
    route: 'DELETE /api/v1/agents/:id',
    allowed: administers,
    async run({ api, cookie, unit, tag }) {
      const { agent } = await api.accounts.createAgent(unit, `revoke ${tag}`);
      const res = await api.request('DELETE', `/api/v1/agents/${agent.id}`, { cookie });
      return { res, effect: async () => (await api.accounts.getAgent(agent.id))?.revoked !== null };
    },
  },
  {
    route: 'GET /api/v1/users',
    allowed: administers,
    async run({ api, cookie, unit }) {
      const res = await api.request('GET', '/api/v1/users', { cookie });
      return { res, effect: async () => items(res).some((u) => u.username === `member-${unit}`) };
    },
  },
  {
    route: 'POST /api/v1/users',
    allowed: administers,
    async run({ api, cookie, unit, tag }) {
      const res = await api.request('POST', '/api/v1/users', { cookie, body: { username: `new-${tag}`, password: PASSWORD, role: 'viewer', units: [unit] } });
      return { res, effect: async () => (await api.accounts.getUser(`new-${tag}`)) !== null };
    },
  },
  {
    route: 'PATCH /api/v1/users/:username',
    allowed: administers,
    async run({ api, cookie, unit, tag }) {
      await api.accounts.createUser({ username: `patch-${tag}`, role: 'viewer', units: [unit] }, PASSWORD);
      const res = await api.request('PATCH', `/api/v1/users/patch-${tag}`, { cookie, body: { role: 'analyst' } });
      return { res, effect: async () => (await api.accounts.getUser(`patch-${tag}`))?.role === 'analyst' };
    },
  },
  {
    route: 'DELETE /api/v1/users/:username',
    allowed: administers,
    async run({ api, cookie, unit, tag }) {
      await api.accounts.createUser({ username: `delete-${tag}`, role: 'viewer', units: [unit] }, PASSWORD);
      const res = await api.request('DELETE', `/api/v1/users/delete-${tag}`, { cookie });
      return { res, effect: async () => (await api.accounts.getUser(`delete-${tag}`)) === null };
    },
  },
  {
    route: 'POST /api/v1/users/:username/password',
    allowed: administers,
    async run({ api, cookie, unit, tag }) {
      await api.accounts.createUser({ username: `reset-${tag}`, role: 'viewer', units: [unit] }, PASSWORD);
      const res = await api.request('POST', `/api/v1/users/reset-${tag}/password`, { cookie, body: { password: 'reset-password' } });
      return { res, effect: async () => (await api.accounts.checkPassword(`reset-${tag}`, 'reset-password')) !== null };
    },
  },
  {
    route: 'GET /api/v1/audit',
    allowed: administers,
    async run({ api, cookie, unit }) {
      const res = await api.request('GET', '/api/v1/audit?action=fixture.entry', { cookie });
      return { res, effect: async () => items(res).some((e) => e.target === `audit-${unit}`) };
    },
  },
  {
    route: 'GET /api/v1/alerts',
    allowed: sees,
    async run({ api, cookie, unit }) {
      const res = await api.request('GET', '/api/v1/alerts', { cookie });
      return { res, effect: async () => items(res).some((a) => a.id === `alert-${unit}`) };
    },
  },
  {
    route: 'GET /api/v1/alerts/:id',
    allowed: sees,
    async run({ api, cookie, unit }) {
      const res = await api.request('GET', `/api/v1/alerts/alert-${unit}`, { cookie });
      return { res, effect: async () => ok(res) && (res.json() as { alert: { id: string } }).alert.id === `alert-${unit}` };
    },
  },
  {
    route: 'PATCH /api/v1/alerts/:id',
    allowed: triages,
    async run({ api, unit, cookie, tag }) {
      const res = await api.request('PATCH', `/api/v1/alerts/alert-${unit}`, { cookie, body: { note: `note ${tag}` } });
      return {
        res,
        effect: async () => ((await api.store.getAlert(`alert-${unit}`, { kind: 'all' }))?.notes ?? []).some((n) => n.text === `note ${tag}`),
      };
    },
  },
  {
    route: 'GET /api/v1/alerts/groups',
    allowed: sees,
    async run({ api, cookie, unit }) {
      const res = await api.request('GET', `/api/v1/alerts/groups?by=unit&unit=${unit}`, { cookie });
      return { res, effect: async () => ok(res) && (res.json() as { groups: { key: string }[] }).groups.some((g) => g.key === unit) };
    },
  },
  {
    route: 'GET /api/v1/alerts/histogram',
    allowed: sees,
    async run({ api, cookie, unit }) {
      const res = await api.request('GET', `/api/v1/alerts/histogram?unit=${unit}`, { cookie });
      return { res, effect: async () => ok(res) && (res.json() as { total: number }).total > 0 };
    },
  },
  {
    route: 'POST /api/v1/alerts/triage',
    allowed: triages,
    async run({ api, unit, cookie, tag }) {
      const res = await api.request('POST', '/api/v1/alerts/triage', { cookie, body: { ids: [`alert-${unit}`], note: `bulk ${tag}` } });
      return {
        res,
        effect: async () => ((await api.store.getAlert(`alert-${unit}`, { kind: 'all' }))?.notes ?? []).some((n) => n.text === `bulk ${tag}`),
      };
    },
  },
  {
    route: 'GET /api/v1/events',
    allowed: sees,
    async run({ api, cookie, unit }) {
      const res = await api.request('GET', '/api/v1/events', { cookie });
      return { res, effect: async () => items(res).some((e) => (e.event as { id: string }).id === `event-${unit}`) };
    },
  },
  {
    route: 'GET /api/v1/events/histogram',
    allowed: sees,
    async run({ api, cookie, unit }) {
      const res = await api.request('GET', `/api/v1/events/histogram?q=event.id:event-${unit}&from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z`, { cookie });
      return { res, effect: async () => ok(res) && (res.json() as { total: number }).total === 1 };
    },
  },
  {
    route: 'GET /api/v1/events/fields',
    allowed: sees,
    async run({ api, cookie, unit }) {
      const res = await api.request('GET', `/api/v1/events/fields?q=event.id:event-${unit}`, { cookie });
      return { res, effect: async () => ok(res) && (res.json() as { sampled: number }).sampled === 1 };
    },
  },
  {
    route: 'GET /api/v1/events/export',
    allowed: sees,
    async run({ api, cookie, unit }) {
      const res = await api.request('GET', `/api/v1/events/export?format=ndjson&q=event.id:event-${unit}`, { cookie });
      return { res, effect: async () => ok(res) && res.body.includes(`"event-${unit}"`) };
    },
  },
  {
    route: 'GET /api/v1/stats',
    allowed: anyone,
    async run({ api, cookie }) {
      const res = await api.request('GET', '/api/v1/stats', { cookie });
      return { res, effect: async () => ok(res) };
    },
  },
  {
    route: 'GET /api/v1/rules',
    allowed: authors,
    async run({ api, cookie }) {
      const res = await api.request('GET', '/api/v1/rules', { cookie });
      return { res, effect: async () => ok(res) };
    },
  },
  {
    route: 'GET /api/v1/rules/library',
    allowed: authors,
    async run({ api, cookie }) {
      const res = await api.request('GET', '/api/v1/rules/library', { cookie });
      return { res, effect: async () => items(res).some((r) => r.id === SWITCHED_RULE) };
    },
  },
  {
    route: 'GET /api/v1/rules/library/:id',
    allowed: authors,
    async run({ api, cookie }) {
      const res = await api.request('GET', `/api/v1/rules/library/${SWITCHED_RULE}`, { cookie });
      return { res, effect: async () => ok(res) && String((res.json() as { yaml: string }).yaml).includes(SWITCHED_RULE) };
    },
  },
  {
    // A rule runs for every unit: only SOC-wide analysts and admins switch it.
    route: 'PATCH /api/v1/rules/library/:id',
    allowed: (p) => authors(p) && p.scope === 'soc',
    async run({ api, cookie }) {
      const enabled = async () => (await readRuleSwitches(api.accounts)).get(SWITCHED_RULE)?.enabled ?? true;
      const before = await enabled();
      const res = await api.request('PATCH', `/api/v1/rules/library/${SWITCHED_RULE}`, { cookie, body: { enabled: !before } });
      return { res, effect: async () => (await enabled()) !== before };
    },
  },
  {
    route: 'POST /api/v1/rules/library/:id/test',
    allowed: authors,
    async run({ api, cookie }) {
      const events = JSON.stringify({ event: { category: ['malware'], action: 'allowed' }, rule: { name: 'EICAR-Test-File' } });
      const res = await api.request('POST', `/api/v1/rules/library/${SWITCHED_RULE}/test`, { cookie, body: { events } });
      return { res, effect: async () => ok(res) && (res.json() as { events: { matched: boolean }[] }).events[0]?.matched === true };
    },
  },
  {
    route: 'GET /api/v1/health',
    allowed: anyone,
    async run({ api, cookie }) {
      const res = await api.request('GET', '/api/v1/health', { cookie });
      return { res, effect: async () => ok(res) };
    },
  },
  {
    route: 'GET /api/v1/reports',
    allowed: sees,
    async run({ api, cookie, unit }) {
      const res = await api.request('GET', `/api/v1/reports?unit=${unit}&from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z`, { cookie });
      return { res, effect: async () => ok(res) && (res.json() as { unit: { id: string } }).unit.id === unit };
    },
  },
  {
    route: 'GET /api/v1/dashboard',
    allowed: sees,
    async run({ api, cookie, unit }) {
      const res = await api.request('GET', `/api/v1/dashboard?unit=${unit}`, { cookie });
      return { res, effect: async () => ok(res) && (res.json() as { unit: { id: string } }).unit.id === unit };
    },
  },
  {
    route: 'GET /api/v1/dashboard/agents',
    allowed: sees,
    async run({ api, cookie, unit }) {
      const res = await api.request('GET', `/api/v1/dashboard/agents?unit=${unit}`, { cookie });
      return { res, effect: async () => items(res).some((a) => (a.unit as { id: string }).id === unit) };
    },
  },
  {
    route: 'GET /api/v1/notifications/channels',
    allowed: administers,
    async run({ api, cookie, unit }) {
      const res = await api.request('GET', '/api/v1/notifications/channels', { cookie });
      return { res, effect: async () => items(res).some((c) => c.name === `hook-${unit}`) };
    },
  },
  {
    route: 'GET /api/v1/notifications/routing',
    allowed: administers,
    async run({ api, cookie, unit }) {
      const res = await api.request('GET', '/api/v1/notifications/routing', { cookie });
      const routing = (ok(res) ? res.json() : { channels: [], rules: [] }) as { channels: Array<{ name: string }>; rules: Array<{ name: string }> };
      return { res, effect: async () => routing.channels.some((c) => c.name === `hook-${unit}`) || routing.rules.some((r) => r.name === `only ${unit}`) };
    },
  },
  {
    route: 'GET /api/v1/notifications/dead-letters',
    allowed: administers,
    async run({ api, cookie, unit }) {
      const res = await api.request('GET', '/api/v1/notifications/dead-letters?limit=500', { cookie });
      return { res, effect: async () => items(res).some((d) => d.unit === unit) };
    },
  },
  {
    route: 'POST /api/v1/notifications/dead-letters/:id/retry',
    allowed: administers,
    async run({ api, cookie, unit }) {
      const dead = await deadLetter(api.notifications!, { channel: `hook-${unit}`, unit });
      const res = await api.request('POST', `/api/v1/notifications/dead-letters/${dead.id}/retry`, { cookie });
      return { res, effect: async () => (await api.notifications!.getDelivery(dead.id))?.state === 'pending' };
    },
  },
  {
    route: 'POST /api/v1/notifications/dead-letters/retry',
    allowed: administers,
    async run({ api, cookie, unit }) {
      const dead = await deadLetter(api.notifications!, { channel: `hook-${unit}`, unit });
      const res = await api.request('POST', '/api/v1/notifications/dead-letters/retry', { cookie, body: {} });
      return { res, effect: async () => (await api.notifications!.getDelivery(dead.id))?.state === 'pending' };
    },
  },
  {
    route: 'POST /api/v1/notifications/channels/:name/test',
    allowed: administers,
    async run({ api, cookie, unit }) {
      const sender = answerTestSends(api.notifications!);
      const res = await api.request('POST', `/api/v1/notifications/channels/hook-${unit}/test`, { cookie });
      await sender.stop();
      return { res, effect: async () => ok(res) && (res.json() as { delivery: { channel: string; state: string } }).delivery.state === 'sent' };
    },
  },
  {
    route: 'GET /api/v1/alerts/:id/notifications',
    allowed: sees,
    async run({ api, cookie, unit }) {
      const res = await api.request('GET', `/api/v1/alerts/alert-${unit}/notifications`, { cookie });
      return { res, effect: async () => items(res).some((d) => d.channel === `hook-${unit}`) };
    },
  },
  {
    route: 'GET /api/v1/auth/me',
    allowed: anyone,
    async run({ api, cookie, principal }) {
      const res = await api.request('GET', '/api/v1/auth/me', { cookie });
      return { res, effect: async () => (res.json() as { user: { username: string } }).user.username === principal.username };
    },
  },
  {
    // Anyone may ask whether they are signed in; a stranger hears 200 {signedIn:false}.
    route: 'GET /api/v1/auth/session',
    allowed: anyone,
    anonymous: 200,
    async run({ api, cookie, principal }) {
      const res = await api.request('GET', '/api/v1/auth/session', { cookie });
      return { res, effect: async () => (res.json() as { user?: { username: string } }).user?.username === principal.username };
    },
  },
  {
    route: 'POST /api/v1/auth/login',
    allowed: anyone,
    anonymous: 'skip',
    async run({ api, principal }) {
      const res = await api.request('POST', '/api/v1/auth/login', { body: { username: principal.username, password: PASSWORD } });
      return { res, effect: async () => String(res.headers['set-cookie'] ?? '').startsWith('vigil_session=') };
    },
  },
  {
    route: 'POST /api/v1/auth/logout',
    allowed: anyone,
    anonymous: 204,
    async run({ api, principal }) {
      const throwaway = await api.sessionFor(principal.username);
      const res = await api.request('POST', '/api/v1/auth/logout', { cookie: throwaway });
      return { res, effect: async () => (await api.request('GET', '/api/v1/auth/me', { cookie: throwaway })).statusCode === 401 };
    },
  },
  {
    route: 'POST /api/v1/auth/password',
    allowed: anyone,
    async run({ api, cookie, renewCookie }) {
      const res = await api.request('POST', '/api/v1/auth/password', { cookie, body: { oldPassword: PASSWORD, newPassword: PASSWORD } });
      const renewed = String(res.headers['set-cookie'] ?? '').split(';')[0]!;
      if (renewed.startsWith('vigil_session=')) renewCookie(renewed);
      return { res, effect: async () => renewed.startsWith('vigil_session=') };
    },
  },
];

describe('authorization matrix', () => {
  let api: ApiHarness;
  const cookies = new Map<string, string>();
  let runs = 0;

  beforeAll(async () => {
    api = await startApiHarness({ security: { loginMaxFailures: 1000, loginWindowMs: 60_000 }, notifications: true });
    const hook = (unit: string | null) => ({ name: unit ? `hook-${unit}` : 'soc-hook', type: 'webhook' as const, unit, language: 'vi' as const });
    await api.notifications!.registerChannels([hook(null), hook(OWN), hook(OTHER)]);
    fs.writeFileSync(
      api.notifyRulesFile,
      [
        'channels:',
        ...[OWN, OTHER].map((unit) => `  hook-${unit}: { type: webhook, url: 'https://hooks.example/${unit}/path', secret: a-secret-of-16-chars, unit: ${unit} }`),
        `  soc-hook: { type: webhook, url: 'https://hooks.example/soc', secret: a-secret-of-16-chars }`,
        'rules:',
        ...[OWN, OTHER].map((unit) => `  - { name: only ${unit}, match: { unit: ${unit} }, channels: [hook-${unit}] }`),
      ].join('\n'),
    );
    for (const p of principals) {
      cookies.set(p.username, await api.userWithSession({ username: p.username, role: p.role, units: p.scope === 'soc' ? 'all' : [OWN] }));
    }
    for (const unit of [OWN, OTHER]) {
      await api.accounts.createUser({ username: `member-${unit}`, role: 'viewer', units: [unit] }, PASSWORD);
      await api.accounts.createAgent(unit, `listed agent of ${unit}`);
      await api.accounts.appendAudit({ actor: 'system', source: null, action: 'fixture.entry', target: `audit-${unit}`, units: [unit], before: null, after: null });
    }
    await api.store.writeAlerts([makeAlert(`alert-${OWN}`, OWN), makeAlert(`alert-${OTHER}`, OTHER)]);
    for (const unit of [OWN, OTHER]) {
      await sentDelivery(api.notifications!, { channel: `hook-${unit}`, unit, alertId: `alert-${unit}` });
      await deadLetter(api.notifications!, { channel: `hook-${unit}`, unit });
    }
    await api.store.writeEvents([makeEvent(`event-${OWN}`, OWN), makeEvent(`event-${OTHER}`, OTHER)]);
    await api.store.refresh();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('covers every REST route the API registers, and nothing else', () => {
    expect([...api.routes].sort()).toEqual(cases.map((c) => c.route).sort());
  });

  for (const c of cases) {
    describe(c.route, () => {
      for (const p of principals) {
        for (const unit of [OWN, OTHER]) {
          const expected = c.allowed(p, unit) ? 'allowed' : 'refused';
          it(`${p.scope}-wide ${p.role}, ${unit === OWN ? 'own' : 'other'} unit: ${expected}`.replace('unit-wide', 'unit-scoped'), async () => {
            runs += 1;
            const { res, effect } = await c.run({
              api,
              cookie: cookies.get(p.username)!,
              principal: p,
              unit,
              tag: `m${runs}`,
              renewCookie: (cookie) => cookies.set(p.username, cookie),
            });
            const took = await effect();
            if (expected === 'allowed') {
              expect(res.statusCode, res.body).toBeGreaterThanOrEqual(200);
              expect(res.statusCode, res.body).toBeLessThan(300);
              expect(took, res.body).toBe(true);
            } else {
              expect(took, res.body).toBe(false);
              if (!ok(res)) expect([401, 403, 404], res.body).toContain(res.statusCode);
            }
          });
        }
      }
      if (c.anonymous !== 'skip') {
        it('not signed in: refused', async () => {
          runs += 1;
          const { res } = await c.run({
            api,
            cookie: 'vigil_session=not-a-session',
            principal: { username: 'nobody', role: 'viewer', scope: 'unit' },
            unit: OWN,
            tag: `m${runs}`,
            renewCookie: () => undefined,
          });
          expect(res.statusCode, res.body).toBe(c.anonymous ?? 401);
        });
      }
    });
  }

  describe('WebSocket frames', () => {
    // Every principal sees unit-a, so an alert of unit-a published after the one under
    // test marks the point by which that one would have arrived (one partition: in order).
    for (const p of principals) {
      for (const unit of [OWN, OTHER]) {
        const expected = sees(p, unit);
        const who = `${p.scope === 'soc' ? 'SOC-wide' : 'unit-scoped'} ${p.role}, ${unit === OWN ? 'own' : 'other'} unit`;

        it(`live: ${who}: ${expected ? 'delivered' : 'never delivered'}`, async () => {
          runs += 1;
          const stream = await connectStream(api.url, cookies.get(p.username)!);
          await stream.waitFor((f) => f.some((x) => x.type === 'ready'));
          await api.publishAlerts([makeAlert(`ws-${runs}`, unit), makeAlert(`marker-${runs}`, OWN)]);
          const frames = await stream.waitFor((f) => f.some((x) => x.alert?.id === `marker-${runs}`));
          expect(frames.some((x) => x.alert?.id === `ws-${runs}`)).toBe(expected);
          expect(frames.filter((x) => x.alert && !sees(p, x.alert.organization.id))).toEqual([]);
          await stream.close();
        });

        it(`resume: ${who}: ${expected ? 'replayed' : 'never replayed'}`, async () => {
          runs += 1;
          const first = await connectStream(api.url, cookies.get(p.username)!);
          const ready = (await first.waitFor((f) => f.some((x) => x.type === 'ready'))).find((x) => x.type === 'ready')!;
          await first.close();
          await api.publishAlerts([makeAlert(`ws-${runs}`, unit), makeAlert(`marker-${runs}`, OWN)]);
          const again = await connectStream(api.url, cookies.get(p.username)!);
          await again.waitFor((f) => f.some((x) => x.type === 'ready'));
          again.send({ type: 'resume', cursor: ready.cursor });
          const frames = await again.waitFor((f) => f.some((x) => x.alert?.id === `marker-${runs}`));
          expect(frames.some((x) => x.alert?.id === `ws-${runs}`)).toBe(expected);
          expect(frames.filter((x) => x.alert && !sees(p, x.alert.organization.id))).toEqual([]);
          await again.close();
        });
      }
    }

    it('refuses a socket without a session, or opened by a page of another origin', async () => {
      await expect(connectStream(api.url, 'vigil_session=not-a-session')).rejects.toThrow(/401/);
      const socket = new WebSocket(`${api.url.replace(/^http/, 'ws')}/api/v1/stream`, {
        headers: { Cookie: cookies.get('soc-admin')! },
        origin: 'https://evil.example',
      });
      const status = await new Promise<number>((resolve) => {
        socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        socket.once('open', () => resolve(101));
      });
      socket.on('error', () => undefined);
      socket.terminate();
      expect(status).toBe(401);
    });
  });
});
