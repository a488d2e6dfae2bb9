// GET /api/v1/health through the real API (apiRoutes on the real HTTP server, embedded
// Accounts, Store and Bus in a temp dir), signed in through the login route: the SOC
// sees the detect stage's health as given, a unit IT officer sees only their units'
// silent sources and no other unit's late event ids, nobody unsigned sees anything,
// and an unwired or failing provider answers a clear 503.
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Accounts } from '../../core/accounts/accounts.ts';
import { openEmbeddedAccounts } from '../../core/accounts/embedded-accounts.ts';
import { openEmbeddedBus } from '../../core/bus/embedded-bus.ts';
import { createHttpServer } from '../../core/http/create-http-server.ts';
import { createLogger } from '../../core/log.ts';
import { createMetrics } from '../../core/metrics.ts';
import type { Bus } from '../../core/ports/bus.ts';
import type { Store } from '../../core/ports/store.ts';
import { openEmbeddedStore } from '../../core/store/embedded-store.ts';
import type { DetectionHealth } from '../../core/schemas/detection-health.ts';
import { apiRoutes, type ApiDeps } from '../../api/api-routes.ts';
import { makeTempDir } from '../support/start-vigil.ts';

const PASSWORD = 'a-good-password';
const RULE_ERRORS = ['/srv/vigil/rules/broken.yml:3:1: unknown modifier "containz"'];

const detection: DetectionHealth = {
  correlation: {
    watermark: Date.parse('2025-05-01T08:00:00Z'),
    activeGroups: 12,
    rules: 3,
    titles: { 'brute-force-then-login': 'Brute force then a successful logon', 'many-hosts-scan': 'Horizontal scan' },
    late: { 'brute-force-then-login': 4 },
    groupsRefused: { 'many-hosts-scan': 2 },
    entriesDropped: { 'many-hosts-scan': 17 },
    recentLate: [
      { correlation: 'brute-force-then-login', eventId: 'ev-syt-1', time: Date.parse('2025-05-01T07:50:00Z'), watermark: Date.parse('2025-05-01T08:00:00Z') },
    ],
  },
  lag: { events: 120, signals: 3, catchUp: { drainPerSecond: 60, inflowPerSecond: 20, seconds: 3 } },
  silentSources: [
    { kind: 'agent', id: 'agent-syt-av', unit: 'so-y-te', lastSeen: '2025-05-01T06:00:00.000Z' },
    { kind: 'unit', id: 'so-tai-chinh', unit: 'so-tai-chinh', lastSeen: '2025-05-01T05:00:00.000Z' },
  ],
};

describe('GET /api/v1/health', () => {
  let dataDir: string;
  let accounts: Accounts;
  let store: Store;
  let bus: Bus;
  const apps: FastifyInstance[] = [];

  async function startApi(health: ApiDeps['health']): Promise<FastifyInstance> {
    const app = createHttpServer({ log: createLogger('silent'), metrics: createMetrics(), readiness: async () => null });
    await app.register(async (scope) =>
      apiRoutes(scope, {
        accounts,
        store,
        bus,
        uiDir: path.join(dataDir, 'no-ui'),
        sessionHours: 1,
        secureCookies: false,
        rules: () => ({ loaded: 42, errors: RULE_ERRORS }),
        health,
      }),
    );
    apps.push(app);
    return app;
  }

  async function signIn(app: FastifyInstance, username: string): Promise<string> {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
    expect(res.statusCode, res.body).toBe(200);
    return String(res.headers['set-cookie']).split(';')[0]!;
  }

  const getHealth = (app: FastifyInstance, cookie?: string) =>
    app.inject({ method: 'GET', url: '/api/v1/health', headers: cookie ? { cookie } : {} });

  beforeAll(async () => {
    dataDir = makeTempDir('vigil-health-api-');
    accounts = openEmbeddedAccounts({ dataDir });
    store = openEmbeddedStore({ dataDir });
    bus = openEmbeddedBus({ dataDir });
    await accounts.createUnit({ id: 'so-y-te', name: 'Sở Y tế' });
    await accounts.createUnit({ id: 'so-tai-chinh', name: 'Sở Tài chính' });
    await accounts.createUser({ username: 'soc-analyst', role: 'analyst', units: 'all' }, PASSWORD);
    await accounts.createUser({ username: 'soc-viewer', role: 'viewer', units: 'all' }, PASSWORD);
    await accounts.createUser({ username: 'syt-officer', role: 'viewer', units: ['so-y-te'] }, PASSWORD);
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await bus?.close();
    await store?.close();
    await accounts?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("gives a signed-in SOC analyst the detect stage's health and the rule load, problems included", async () => {
    const app = await startApi(async () => detection);
    const res = await getHealth(app, await signIn(app, 'soc-analyst'));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ detection, rules: { loaded: 42, errors: RULE_ERRORS, errorCount: 1 } });
  });

  it('refuses a caller who is not signed in', async () => {
    const app = await startApi(async () => detection);
    const res = await getHealth(app);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    expect(res.body).not.toContain('agent-syt-av');
  });

  it("shows a unit IT officer only their unit's silent sources, and none of the SOC-wide counts (issue 10)", async () => {
    const app = await startApi(async () => detection);
    const res = await getHealth(app, await signIn(app, 'syt-officer'));
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { detection: DetectionHealth; rules: { loaded: number; errors: string[]; errorCount: number } };
    expect(body.detection.silentSources).toEqual([detection.silentSources[0]]);
    expect(res.body).not.toContain('so-tai-chinh');
    expect(body.detection.correlation.recentLate).toEqual([]);
    // Late events, caps, backlog and active groups count every unit's events: not theirs to read.
    expect(body.detection.correlation.late).toEqual({});
    expect(body.detection.correlation.groupsRefused).toEqual({});
    expect(body.detection.correlation.entriesDropped).toEqual({});
    expect(body.detection.correlation).not.toHaveProperty('activeGroups');
    expect(body.detection).not.toHaveProperty('lag');
    expect(res.body).not.toMatch(/brute-force-then-login"?:\s*4|"events":120/);
    // How far correlation has got is the same for every unit, and theirs to know.
    expect(body.detection.correlation.watermark).toBe(detection.correlation.watermark);
    // Rule problems name server paths: counted for a viewer, not shown.
    expect(body.rules).toEqual({ loaded: 42, errors: [], errorCount: 1 });
  });

  it('gives a SOC-wide viewer every silent source and late event, but only the count of rule problems', async () => {
    const app = await startApi(async () => detection);
    const res = await getHealth(app, await signIn(app, 'soc-viewer'));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ detection, rules: { loaded: 42, errors: [], errorCount: 1 } });
  });

  it('answers 503 unavailable while no provider is wired, and when the provider fails', async () => {
    const unwired = await startApi(undefined);
    const res = await getHealth(unwired, await signIn(unwired, 'soc-analyst'));
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ error: { code: 'unavailable', message: 'detection health is not available' } });

    const failing = await startApi(async () => {
      throw new Error('the detect thread is restarting');
    });
    const failed = await getHealth(failing, await signIn(failing, 'soc-analyst'));
    expect(failed.statusCode).toBe(503);
    expect(failed.json()).toEqual({ error: { code: 'unavailable', message: 'detection health is not available' } });
  });
});
