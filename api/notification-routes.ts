// Notifications in the console's API, read and asked through the NotificationOutbox port
// (core/), never from the notify stage itself: the channels and the dead-letter list
// with a retry per dead letter (admins), a "send a test" per channel (admins; the notify
// stage sends it like any other message, and this waits for the outcome), and each
// alert's delivery status for its history (anyone who may see the alert). A unit-scoped
// admin sees and tests only the channels bound to their units; SOC-wide channels, and
// dead letters of alerts spanning units, are for SOC-wide admins. The routing view shows
// admins notify.yml as this process can read it (where it lives, each channel's redacted
// target and rate, the rules), filtered the same way; "retry all" requeues every dead
// letter the admin may see.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Accounts, User } from '../core/accounts/accounts.ts';
import { administersUnit, isSocWide } from '../core/accounts/admin-policy.ts';
import { NotFoundError, VigilError } from '../core/errors.ts';
import type { ChannelInfo, Delivery, NotificationOutbox } from '../core/ports/notifications.ts';
import type { Store } from '../core/ports/store.ts';
import { recordAudit } from './audit-record.ts';
import { viewNotifyFile, type ChannelView, type RuleView } from './notify-file-view.ts';
import { parseRequest } from './parse-request.ts';
import { requireUser, scopeOf, signedIn } from './session-auth.ts';

const channelParams = z.object({ name: z.string().min(1).max(64) });
const idParams = z.object({ id: z.string().min(1).max(200) });
const deliveryParams = z.object({ id: z.coerce.number().int().positive() });
const deadLetterQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });
const retryAllBody = z.object({ channel: z.string().min(1).max(64).optional() }).strict();
/** Most dead letters one "retry all" requeues (and the routing view counts per channel). */
export const MAX_RETRY_ALL = 500;

/** How long a test send is waited for before the answer says it is still queued. */
export const TEST_WAIT_MS = 15_000;
const TEST_POLL_MS = 100;

export interface NotificationRoutesDeps {
  accounts: Accounts;
  store: Store;
  notifications: NotificationOutbox;
  testWaitMs?: number;
  /** notify.yml as configured (VIGIL_NOTIFY_RULES_FILE), for the console's read-only routing view. */
  notifyRulesFile?: string;
}

/** A channel in the routing view: what the file says, whether the running notify stage uses it, its dead letters. */
export interface RoutingChannel extends ChannelView {
  active: boolean;
  deadLetters: number;
}

function mayRetry(user: User, dead: Delivery): boolean {
  return dead.unit === null || dead.unit === '*' ? isSocWide(user) : administersUnit(user, dead.unit);
}

/** A unit admin sees a rule only as it reaches their channels: the others' channels and units left out. */
function ruleFor(user: User, rule: RuleView, theirs: ReadonlySet<string>): RuleView | null {
  if (isSocWide(user)) return rule;
  const units = user.units === 'all' ? [] : user.units;
  const channels = rule.channels.filter((name) => theirs.has(name));
  if (channels.length === 0 && !rule.unitChannels) return null;
  const unitMatch = rule.match.unit?.filter((unit) => units.includes(unit));
  if (unitMatch !== undefined && unitMatch.length === 0) return null;
  return { ...rule, channels, match: { ...rule.match, ...(unitMatch ? { unit: unitMatch } : {}) } };
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
    const visible = dead !== null && dead.state === 'dead';
    if (!visible || !mayRetry(user, dead)) throw new NotFoundError(`no dead letter ${id}`, 'api');
    const delivery = await notifications.requeue(id, Date.now());
    if (!delivery) throw new NotFoundError(`no dead letter ${id}`, 'api');
    await recordAudit(deps.accounts, request, { action: 'notification.retry', target: `${dead.channel}:${id}`, units: [dead.unit === null || dead.unit === '*' ? 'all' : dead.unit] });
    return { delivery };
  });

  app.post('/api/v1/notifications/dead-letters/retry', { preHandler: admin }, async (request) => {
    const { channel } = parseRequest(retryAllBody, request.body, 'body');
    const user = signedIn(request);
    const now = Date.now();
    const dead = (await notifications.deadLetters(scopeOf(user), MAX_RETRY_ALL)).filter((d) => mayRetry(user, d) && (channel === undefined || d.channel === channel));
    const requeued: Delivery[] = [];
    for (const letter of dead) {
      const delivery = await notifications.requeue(letter.id, now);
      if (delivery) requeued.push(delivery);
    }
    if (requeued.length > 0) {
      const units = [...new Set(requeued.map((d) => (d.unit === null || d.unit === '*' ? 'all' : d.unit)))];
      await recordAudit(deps.accounts, request, { action: 'notification.retry_all', target: `${channel ?? 'every channel'}: ${requeued.length}`, units });
    }
    return { requeued: requeued.length, items: requeued };
  });

  app.get('/api/v1/notifications/routing', { preHandler: admin }, async (request) => {
    const user = signedIn(request);
    const file = deps.notifyRulesFile ?? null;
    const view = file === null ? null : viewNotifyFile(file);
    const registered = new Map((await notifications.listChannels()).map((c) => [c.name, c]));
    const dead = new Map<string, number>();
    for (const letter of await notifications.deadLetters(scopeOf(user), MAX_RETRY_ALL)) dead.set(letter.channel, (dead.get(letter.channel) ?? 0) + 1);
    const fromFile = new Map((view?.channels ?? []).map((c) => [c.name, c]));
    const names = [...new Set([...registered.keys(), ...fromFile.keys()])].sort();
    const channels: RoutingChannel[] = names.flatMap((name) => {
      const written = fromFile.get(name);
      const running = registered.get(name);
      const info: ChannelInfo = running ?? { name, type: (written?.type ?? 'webhook') as ChannelInfo['type'], unit: written?.unit ?? null, language: written?.language === 'en' ? 'en' : 'vi' };
      if (!mayManage(user, info)) return [];
      return [
        {
          name,
          type: running?.type ?? written?.type ?? 'unknown',
          unit: info.unit,
          language: running?.language ?? written?.language ?? 'vi',
          target: written?.target ?? null,
          perMinute: written?.perMinute ?? 20,
          digestMinutes: written?.digestMinutes ?? 5,
          active: running !== undefined,
          deadLetters: dead.get(name) ?? 0,
        },
      ];
    });
    const theirs = new Set(channels.map((c) => c.name));
    return {
      file,
      readable: view?.readable ?? false,
      problem: view === null ? 'not_configured' : view.readable ? null : view.problem,
      /** Routing is edited in the file; the notify stage reads it at start. */
      editable: false,
      channels,
      rules: (view?.rules ?? []).flatMap((rule) => ruleFor(user, rule, theirs) ?? []),
    };
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
