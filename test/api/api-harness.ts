// The real API in this process for tests: the HTTP server every stage uses, the console's
// REST routes and the WebSocket hub, over embedded Accounts, Store and Bus in a temp dir,
// listening on a free port so a real WebSocket client can connect. Units `unit-a` and
// `unit-b` exist; `sessionFor` makes a session without hashing a password, so a test of
// many users stays fast, while `signIn` goes through the login route.
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Accounts, NewUser } from '../../core/accounts/accounts.ts';
import { openEmbeddedAccounts } from '../../core/accounts/embedded-accounts.ts';
import { createPasswordHasher, type PasswordHasher } from '../../core/accounts/password-hasher.ts';
import { openEmbeddedBus } from '../../core/bus/embedded-bus.ts';
import { createHttpServer } from '../../core/http/create-http-server.ts';
import { createLogger } from '../../core/log.ts';
import { createMetrics } from '../../core/metrics.ts';
import { TOPICS, type Bus } from '../../core/ports/bus.ts';
import type { NotificationOutbox } from '../../core/ports/notifications.ts';
import type { Store } from '../../core/ports/store.ts';
import type { Alert } from '../../core/schemas/alert.ts';
import type { SecurityEvent } from '../../core/schemas/event.ts';
import { openEmbeddedNotificationOutbox } from '../../core/notifications/embedded-notification-outbox.ts';
import { openEmbeddedStore } from '../../core/store/embedded-store.ts';
import { apiRoutes, type ApiDeps } from '../../api/api-routes.ts';
import { STREAM_PATH, startStreamHub, type StreamHub } from '../../api/stream-hub.ts';
import { SESSION_COOKIE } from '../../api/session-auth.ts';
import { ruleTester } from '../../detect/rule-tester.ts';
import { makeTempDir, repoRoot } from '../support/start-vigil.ts';

export const PASSWORD = 'a-good-password';
export const UNITS = { 'unit-a': 'Sở Y tế', 'unit-b': 'Sở Tài chính' } as const;

export interface ApiHarnessOptions {
  security?: ApiDeps['security'];
  metricsToken?: string;
  passwordHashConcurrency?: number;
  maxResumeRecords?: number;
  /** The rules folder the Rules page and alert detail read, and "test this rule" compiles; the package's rules/ when absent. */
  rulesDir?: string;
  /** Also serve the notification routes, over an embedded outbox and a notify.yml in the data dir. */
  notifications?: boolean;
}

export interface RequestOptions {
  cookie?: string;
  body?: unknown;
  headers?: Record<string, string>;
  remoteAddress?: string;
}

export interface ApiHarness {
  url: string;
  app: FastifyInstance;
  accounts: Accounts;
  store: Store;
  bus: Bus;
  /** With `notifications`: the outbox the routes read, and where notify.yml is looked for. */
  notifications: NotificationOutbox | undefined;
  notifyRulesFile: string;
  hasher: PasswordHasher;
  /** Every route registered under /api/v1, as `METHOD /path` (HEAD left out). */
  routes: string[];
  request(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, options?: RequestOptions): Promise<LightMyRequestResponse>;
  /** Creates the user (password PASSWORD) and answers a session cookie for them. */
  userWithSession(user: NewUser): Promise<string>;
  /** A cookie for a new session of an existing user, made without the login route. */
  sessionFor(username: string, ttlMs?: number): Promise<string>;
  /** Signs in through POST /api/v1/auth/login and answers the cookie. */
  signIn(username: string, password?: string): Promise<string>;
  /** Publishes alerts on the alerts topic, as the correlate stage does. */
  publishAlerts(alerts: readonly Alert[]): Promise<void>;
  close(): Promise<void>;
}

export async function startApiHarness(options: ApiHarnessOptions = {}): Promise<ApiHarness> {
  const dataDir = makeTempDir('vigil-api-');
  const hasher = createPasswordHasher({ concurrency: options.passwordHashConcurrency ?? 2 });
  const accounts = openEmbeddedAccounts({ dataDir, hasher });
  const store = openEmbeddedStore({ dataDir });
  const bus = openEmbeddedBus({ dataDir });
  await bus.ensureTopics([{ name: TOPICS.alerts, partitions: 1 }]);
  for (const [id, name] of Object.entries(UNITS)) await accounts.createUnit({ id, name });

  const notifications = options.notifications ? openEmbeddedNotificationOutbox({ dataDir }) : undefined;
  const notifyRulesFile = path.join(dataDir, 'notify.yml');
  const metrics = createMetrics({ defaultMetrics: false });
  const log = createLogger('silent');
  const app = createHttpServer({ log, metrics, readiness: async () => null, metricsToken: options.metricsToken });
  const routes: string[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD' && route.url.startsWith('/api/v1/')) routes.push(`${method} ${route.url}`);
    }
  });
  await app.register(async (scope) =>
    apiRoutes(scope, {
      accounts,
      store,
      bus,
      uiDir: path.join(dataDir, 'no-ui'),
      sessionHours: 1,
      secureCookies: false,
      rules: () => ({ loaded: 1, errors: [] }),
      ...(options.rulesDir ? { rulesDir: options.rulesDir } : {}),
      testRule: ruleTester(options.rulesDir ?? path.join(repoRoot, 'rules')),
      health: async () => ({
        correlation: { watermark: 0, activeGroups: 0, rules: 0, titles: {}, late: {}, groupsRefused: {}, entriesDropped: {}, recentLate: [] },
        lag: { events: 0, signals: 0 },
        silentSources: [],
      }),
      ...(options.security ? { security: options.security } : {}),
      ...(notifications ? { notifications, notifyRulesFile } : {}),
    }),
  );
  const hub: StreamHub = await startStreamHub({ bus, accounts, metrics, log, maxResumeRecords: options.maxResumeRecords });
  app.server.on('upgrade', (request, socket, head) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname === STREAM_PATH) hub.handleUpgrade(request, socket, head);
    else socket.destroy();
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const harness: ApiHarness = {
    url,
    app,
    accounts,
    store,
    bus,
    notifications,
    notifyRulesFile,
    hasher,
    routes,
    request(method, requestUrl, { cookie, body, headers, remoteAddress } = {}) {
      return app.inject({
        method,
        url: requestUrl,
        headers: { ...(cookie ? { cookie } : {}), ...headers },
        ...(body !== undefined ? { payload: body as object } : {}),
        ...(remoteAddress ? { remoteAddress } : {}),
      });
    },
    async userWithSession(user) {
      await accounts.createUser(user, PASSWORD);
      return harness.sessionFor(user.username);
    },
    async sessionFor(username, ttlMs = 3600_000) {
      return `${SESSION_COOKIE}=${await accounts.createSession(username, ttlMs)}`;
    },
    async signIn(username, password = PASSWORD) {
      const res = await harness.request('POST', '/api/v1/auth/login', { body: { username, password } });
      if (res.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${res.statusCode} ${res.body}`);
      return String(res.headers['set-cookie']).split(';')[0]!;
    },
    async publishAlerts(alerts) {
      await bus.publish(
        TOPICS.alerts,
        alerts.map((alert) => ({ key: alert.id, value: Buffer.from(JSON.stringify(alert)) })),
      );
    },
    async close() {
      await hub.stop();
      await app.close();
      await bus.close();
      await notifications?.close();
      await store.close();
      await accounts.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** An alert of `unit`, as detect raises it. */
export function makeAlert(id: string, unit: string, overrides: Partial<Alert> = {}): Alert {
  const now = new Date().toISOString();
  return {
    id,
    rule: { id: 'av-detection', title: 'Malware detected', level: 'high', tags: [], kind: 'match' },
    severity: 'high',
    status: 'new',
    assignee: null,
    organization: { id: unit, name: unit },
    host: { id: `${unit}-pc`, name: `${unit}-pc` },
    group: { 'host.id': `${unit}-pc` },
    first_seen: now,
    last_seen: now,
    count: 1,
    event_ids: [],
    attack: { tactics: [], techniques: [] },
    notes: [],
    history: [],
    created: now,
    updated: now,
    ...overrides,
  };
}

/** An event of `unit`, as ingest stamps it. */
export function makeEvent(id: string, unit: string): SecurityEvent {
  const now = new Date().toISOString();
  return {
    '@timestamp': now,
    event: { id, ingested: now, kind: 'event', category: ['malware'], action: 'detected' },
    organization: { id: unit, name: unit },
    host: { id: `${unit}-pc`, name: `${unit}-pc` },
  } as SecurityEvent;
}
