// The notifications API over the outbox a running notify stage writes (as `vigil api`
// and `vigil notify` share notify.db): admins see the channels and dead letters of their
// units only, "send a test" reaches the real receiver and answers its outcome, and an
// alert's delivery status is readable by whoever may see the alert.
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Accounts, NewUser } from '../../core/accounts/accounts.ts';
import { openEmbeddedAccounts } from '../../core/accounts/embedded-accounts.ts';
import { createPasswordHasher } from '../../core/accounts/password-hasher.ts';
import { createHttpServer } from '../../core/http/create-http-server.ts';
import { createLogger } from '../../core/log.ts';
import { createMetrics } from '../../core/metrics.ts';
import { openEmbeddedNotificationOutbox } from '../../core/notifications/embedded-notification-outbox.ts';
import type { Delivery, NotificationOutbox } from '../../core/ports/notifications.ts';
import type { Store } from '../../core/ports/store.ts';
import { openEmbeddedStore } from '../../core/store/embedded-store.ts';
import { apiRoutes } from '../../api/api-routes.ts';
import { SESSION_COOKIE } from '../../api/session-auth.ts';
import { makeAlert, startNotifyHarness, type NotifyHarness } from './notify-harness.ts';
import { startHttpReceiver, waitFor, type HttpReceiver } from './receivers.ts';

describe('notifications API', () => {
  let notify: NotifyHarness;
  let app: FastifyInstance;
  let accounts: Accounts;
  let store: Store;
  let apiOutbox: NotificationOutbox;
  let soc: HttpReceiver;
  let officer: HttpReceiver;
  let broken: HttpReceiver;
  const cookies: Record<string, string> = {};

  const request = (method: 'GET' | 'POST', url: string, who?: string) =>
    app.inject({ method, url, headers: who ? { cookie: cookies[who]! } : {} });

  beforeAll(async () => {
    soc = await startHttpReceiver();
    officer = await startHttpReceiver();
    broken = await startHttpReceiver();
    broken.mode = 'fail';
    const hook = (name: string, receiver: HttpReceiver, extra = '') => `  ${name}: { type: webhook, url: '${receiver.url}/${name}', secret: a-secret-of-16-chars${extra} }`;
    notify = await startNotifyHarness({
      retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20 },
      yaml: [
        'channels:',
        hook('soc-hook', soc),
        hook('officer-a', officer, ', unit: unit-a, language: vi'),
        hook('officer-b-broken', broken, ', unit: unit-b'),
        'rules:',
        '  - name: all',
        '    channels: [soc-hook, officer-a, officer-b-broken]',
      ].join('\n'),
    });
    // The api opens the same notify.db on its own, as a separate process would.
    apiOutbox = openEmbeddedNotificationOutbox({ dataDir: notify.dataDir });
    accounts = openEmbeddedAccounts({ dataDir: notify.dataDir, hasher: createPasswordHasher({ concurrency: 1 }) });
    store = openEmbeddedStore({ dataDir: notify.dataDir });
    for (const unit of ['unit-a', 'unit-b']) await accounts.createUnit({ id: unit, name: unit });
    const users: NewUser[] = [
      { username: 'soc-admin', role: 'admin', units: 'all' },
      { username: 'a-admin', role: 'admin', units: ['unit-a'] },
      { username: 'a-viewer', role: 'viewer', units: ['unit-a'] },
      { username: 'soc-analyst', role: 'analyst', units: 'all' },
    ];
    for (const user of users) {
      await accounts.createUser(user, 'a-good-password');
      cookies[user.username] = `${SESSION_COOKIE}=${await accounts.createSession(user.username, 3_600_000)}`;
    }
    app = createHttpServer({ log: createLogger('silent'), metrics: createMetrics({ defaultMetrics: false }), readiness: async () => null });
    await app.register(async (scope) =>
      apiRoutes(scope, {
        accounts,
        store,
        bus: notify.bus,
        uiDir: path.join(notify.dataDir, 'no-ui'),
        sessionHours: 1,
        secureCookies: false,
        rules: () => ({ loaded: 0, errors: [] }),
        notifications: apiOutbox,
      }),
    );
    await app.ready();
  });

  afterAll(async () => {
    await app?.close();
    await apiOutbox?.close();
    await store?.close();
    await accounts?.close();
    const dir = notify?.dataDir;
    await notify?.close();
    for (const receiver of [soc, officer, broken]) await receiver?.close().catch(() => undefined);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows an alert its delivery status per channel: everything to the SOC, their own channel to the unit', async () => {
    const alert = makeAlert('unit-a');
    await store.writeAlerts([alert]);
    await notify.publish([alert]);
    await waitFor('both deliveries sent', async () => (await apiOutbox.deliveriesForAlert(alert.id)).filter((d) => d.state === 'sent').length === 2);

    const all = (await request('GET', `/api/v1/alerts/${alert.id}/notifications`, 'soc-analyst')).json() as { items: Array<Delivery & { attemptLog: unknown[] }> };
    expect(all.items.map((d) => [d.channel, d.state]).sort()).toEqual([
      ['officer-a', 'sent'],
      ['soc-hook', 'sent'],
    ]);
    expect(all.items[0]!.attemptLog).toHaveLength(1);
    const theirs = (await request('GET', `/api/v1/alerts/${alert.id}/notifications`, 'a-viewer')).json() as { items: Delivery[] };
    expect(theirs.items.map((d) => d.channel)).toEqual(['officer-a']);

    const other = makeAlert('unit-b');
    await store.writeAlerts([other]);
    expect((await request('GET', `/api/v1/alerts/${other.id}/notifications`, 'a-viewer')).statusCode).toBe(404);
    expect((await request('GET', `/api/v1/alerts/${alert.id}/notifications`)).statusCode).toBe(401);
  });

  it('lists dead letters to admins only, each admin those of their units', async () => {
    const alert = makeAlert('unit-b');
    await notify.publish([alert]);
    await waitFor('the dead letter', async () => (await apiOutbox.deadLetters({ kind: 'all' }, 10)).some((d) => d.alertId === alert.id));

    const socView = await request('GET', '/api/v1/notifications/dead-letters', 'soc-admin');
    expect(socView.statusCode).toBe(200);
    const [dead] = (socView.json() as { items: Delivery[] }).items.filter((d) => d.alertId === alert.id);
    expect(dead).toMatchObject({ channel: 'officer-b-broken', state: 'dead', attempts: 2, unit: 'unit-b' });
    expect(dead!.lastError).toContain('HTTP 500');

    const unitView = (await request('GET', '/api/v1/notifications/dead-letters', 'a-admin')).json() as { items: Delivery[] };
    expect(unitView.items).toEqual([]);
    expect((await request('GET', '/api/v1/notifications/dead-letters', 'soc-analyst')).statusCode).toBe(403);
    expect((await request('GET', '/api/v1/notifications/dead-letters')).statusCode).toBe(401);

    // Once the receiver is back, an admin of the unit's scope sends it again; nobody else can.
    expect((await request('POST', `/api/v1/notifications/dead-letters/${dead!.id}/retry`, 'a-admin')).statusCode).toBe(404);
    broken.mode = 'ok';
    const retried = await request('POST', `/api/v1/notifications/dead-letters/${dead!.id}/retry`, 'soc-admin');
    expect(retried.statusCode).toBe(200);
    await waitFor('the retried delivery', () => broken.received.some((r) => (JSON.parse(r.body) as { alert?: { id: string } }).alert?.id === alert.id));
    await waitFor('it to be recorded sent', async () => (await apiOutbox.getDelivery(dead!.id))?.state === 'sent');
    expect((await request('POST', `/api/v1/notifications/dead-letters/${dead!.id}/retry`, 'soc-admin')).statusCode).toBe(404);
    broken.mode = 'fail';
  });

  it('sends a test through the notify stage and answers its outcome', async () => {
    const before = officer.received.length;
    const sent = await request('POST', '/api/v1/notifications/channels/officer-a/test', 'a-admin');
    expect(sent.statusCode).toBe(200);
    expect((sent.json() as { delivery: Delivery }).delivery).toMatchObject({ channel: 'officer-a', kind: 'test', state: 'sent' });
    expect(officer.received).toHaveLength(before + 1);
    const body = JSON.parse(officer.received.at(-1)!.body) as { type: string; text: string };
    expect(body.type).toBe('test');
    expect(body.text).toContain('Đây là tin nhắn thử của Vigil cho kênh officer-a, do a-admin yêu cầu');

    const failed = await request('POST', '/api/v1/notifications/channels/officer-b-broken/test', 'soc-admin');
    expect(failed.statusCode).toBe(502);
    expect((failed.json() as { error: { message: string } }).error.message).toContain('HTTP 500');

    // A unit admin cannot see, let alone test, the SOC's channel or another unit's.
    expect((await request('POST', '/api/v1/notifications/channels/soc-hook/test', 'a-admin')).statusCode).toBe(404);
    expect((await request('POST', '/api/v1/notifications/channels/officer-b-broken/test', 'a-admin')).statusCode).toBe(404);
    expect((await request('POST', '/api/v1/notifications/channels/no-such/test', 'soc-admin')).statusCode).toBe(404);
    expect((await request('POST', '/api/v1/notifications/channels/soc-hook/test', 'soc-analyst')).statusCode).toBe(403);

    const channels = (await request('GET', '/api/v1/notifications/channels', 'a-admin')).json() as { items: Array<{ name: string }> };
    expect(channels.items.map((c) => c.name)).toEqual(['officer-a']);
    const audit = await accounts.listAudit({ action: 'notification.test', limit: 100 }, { kind: 'all' });
    expect(audit.items.map((entry) => entry.actor).sort()).toEqual(['a-admin', 'soc-admin']);
  });
});
