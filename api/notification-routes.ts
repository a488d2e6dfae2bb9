// Notifications in the console's API, read and asked through the NotificationOutbox port
// (core/), never from the notify stage itself: the channels and the dead-letter list
// with a retry per dead letter (admins), a "send a test" per channel (admins; the notify
// stage sends it like any other message, and this waits for the outcome), and each
// alert's delivery status for its history (anyone who may see the alert). A unit-scoped
// admin sees and tests only the channels bound to their units; SOC-wide channels, and
// dead letters of alerts spanning units, are for SOC-wide admins.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Accounts, User } from '../core/accounts/accounts.ts';
import { administersUnit, isSocWide } from '../core/accounts/admin-policy.ts';
import { NotFoundError, VigilError } from '../core/errors.ts';
import type { ChannelInfo, NotificationOutbox } from '../core/ports/notifications.ts';
import type { Store } from '../core/ports/store.ts';
import { recordAudit } from './audit-record.ts';
import { parseRequest } from './parse-request.ts';
import { requireUser, scopeOf, signedIn } from './session-auth.ts';

const channelParams = z.object({ name: z.string().min(1).max(64) });
const idParams = z.object({ id: z.string().min(1).max(200) });
const deliveryParams = z.object({ id: z.coerce.number().int().positive() });
const deadLetterQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });

/** How long a test send is waited for before the answer says it is still queued. */
export const TEST_WAIT_MS = 15_000;
const TEST_POLL_MS = 100;

export interface NotificationRoutesDeps {
  accounts: Accounts;
  store: Store;
  notifications: NotificationOutbox;
  testWaitMs?: number;
}

function mayManage(user: User, channel: ChannelInfo): boolean {
  return channel.unit === null ? isSocWide(user) && user.role === 'admin' : administersUnit(user, channel.unit);
}

export async function notificationRoutes(app: FastifyInstance, deps: NotificationRoutesDeps): Promise<void> {
  const { notifications } = deps;
  const admin = requireUser(deps.accounts, 'admin');
  const anyone = requireUser(deps.accounts);
  const testWaitMs = deps.testWaitMs ?? TEST_WAIT_MS;

  app.get('/api/v1/notifications/channels', { preHandler: admin }, async (request) => {
    const user = signedIn(request);
    return { items: (await notifications.listChannels()).filter((channel) => mayManage(user, channel)) };
  });

  app.get('/api/v1/notifications/dead-letters', { preHandler: admin }, async (request) => {
    const { limit } = parseRequest(deadLetterQuery, request.query, 'query');
    return { items: await notifications.deadLetters(scopeOf(signedIn(request)), limit) };
  });

  app.post('/api/v1/notifications/dead-letters/:id/retry', { preHandler: admin }, async (request) => {
    const { id } = parseRequest(deliveryParams, request.params, 'params');
    const user = signedIn(request);
    const dead = await notifications.getDelivery(id);
    const visible = dead !== null && dead.state === 'dead' && (dead.unit === null || dead.unit === '*' ? isSocWide(user) : administersUnit(user, dead.unit));
    if (!visible) throw new NotFoundError(`no dead letter ${id}`, 'api');
    const delivery = await notifications.requeue(id, Date.now());
    if (!delivery) throw new NotFoundError(`no dead letter ${id}`, 'api');
    await recordAudit(deps.accounts, request, { action: 'notification.retry', target: `${dead.channel}:${id}`, units: [dead.unit === null || dead.unit === '*' ? 'all' : dead.unit] });
    return { delivery };
  });

  app.post('/api/v1/notifications/channels/:name/test', { preHandler: admin }, async (request) => {
    const { name } = parseRequest(channelParams, request.params, 'params');
    const user = signedIn(request);
    const channel = (await notifications.listChannels()).find((c) => c.name === name);
    if (!channel || !mayManage(user, channel)) throw new NotFoundError(`no notification channel ${name}`, 'api');
    const queued = await notifications.requestTest(name, user.username, Date.now());
    await recordAudit(deps.accounts, request, { action: 'notification.test', target: name, units: [channel.unit ?? 'all'] });
    // The notify stage looks at the outbox at least every second; wait for its outcome.
    const deadline = Date.now() + testWaitMs;
    let delivery = queued;
    while (delivery.state === 'pending' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, TEST_POLL_MS));
      delivery = (await notifications.getDelivery(queued.id)) ?? delivery;
    }
    if (delivery.state === 'sent') return { delivery };
    if (delivery.state === 'pending') {
      throw new VigilError(
        'test_not_sent',
        `the test message was queued but no notify process sent it within ${testWaitMs / 1000} s: is vigil notify (or vigil start with a notify.yml) running?`,
        'api',
        504,
        { delivery },
      );
    }
    throw new VigilError('delivery_failed', `the test message was not delivered: ${delivery.lastError ?? 'unknown error'}`, 'api', 502, { delivery });
  });

  app.get('/api/v1/alerts/:id/notifications', { preHandler: anyone }, async (request) => {
    const { id } = parseRequest(idParams, request.params, 'params');
    const user = signedIn(request);
    const scope = scopeOf(user);
    if (!(await deps.store.getAlert(id, scope))) throw new NotFoundError(`no alert ${id}`, 'api');
    const deliveries = await notifications.deliveriesForAlert(id);
    if (scope.kind === 'all') return { items: deliveries };
    // A unit's people see what was sent to their unit's channels, not the SOC's own.
    const theirs = new Set((await notifications.listChannels()).filter((c) => c.unit !== null && scope.units.includes(c.unit)).map((c) => c.name));
    return { items: deliveries.filter((delivery) => theirs.has(delivery.channel)) };
  });
}
