// The notify stage: a consumer of the alerts topic with its own group. For each batch
// it records the notifications owed in the outbox (admit-alerts.ts) and only then lets
// the bus commit, so an alert is never lost between "written" and "sent"; the scheduler
// sends from the outbox. A first start begins at the topic's end (no flood of the
// retained past); from then on the committed position carries over restarts.
//
// Replicas: several notify processes may share one outbox. The alerts topic is split
// among them by the consumer group (each alert admitted by the one that owns its
// partition; keys make a repeat harmless), each delivery is claimed before it is sent
// (delivery-scheduler.ts), and a replica taking over a partition re-reads the rate
// limits from the outbox. With `configFile`, notify.yml is watched and an edit applied
// without a restart (watch-notify-config.ts).
import type { Registry } from 'prom-client';
import { decodeRecord } from '../core/bus/decode-record.ts';
import type { Logger } from '../core/log.ts';
import { TOPICS, type Bus, type Positions, type Subscription } from '../core/ports/bus.ts';
import type { NotificationOutbox } from '../core/ports/notifications.ts';
import { alertSchema, type Alert } from '../core/schemas/alert.ts';
import { admitAlerts, type AdmitResult } from './admit-alerts.ts';
import { buildSender, type SenderSettings } from './channels/build-sender.ts';
import { createDeliveryScheduler, DEFAULT_LEASE_MS, type DeliveryScheduler, type ScheduledChannel } from './delivery-scheduler.ts';
import type { ChannelConfig, NotifyConfig } from './notify-config.ts';
import { notifyMetrics } from './notify-metrics.ts';
import { createRateLimiter, type RateLimiter } from './rate-limiter.ts';
import { DEFAULT_RETRY, type RetryPolicy } from './retry-policy.ts';
import { watchNotifyConfig, type NotifyConfigWatcher } from './watch-notify-config.ts';

export const NOTIFY_GROUP = 'vigil-notify';
/**
 * How long sent deliveries are kept (an alert's history shows them; their keys stop a
 * replay from sending again, so this must exceed how long the bus keeps alerts).
 */
export const KEEP_DELIVERIES_MS = 30 * 24 * 3_600_000;
const PRUNE_EVERY_MS = 3_600_000;

export interface NotifyStageOptions {
  bus: Bus;
  outbox: NotificationOutbox;
  config: NotifyConfig;
  senders: Omit<SenderSettings, 'configFile'> & { configFile?: string };
  consoleUrl: string;
  utcOffsetMinutes: number;
  log: Logger;
  retry?: RetryPolicy;
  now?: () => number;
  pollMs?: number;
  /**
   * Resume delivery right after these positions instead of the committed ones: a replay
   * of the topic (e.g. `{0: -1}` from offset 0). Idempotency keys make it send nothing twice.
   */
  replayFrom?: Positions;
  /** Default KEEP_DELIVERIES_MS. */
  keepDeliveriesMs?: number;
  /** notify.yml: watched, and each good edit applied while running (a broken one is logged and ignored). */
  configFile?: string;
  /** Environment `${NAME}` in a reloaded file is filled from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** The process's metrics registry (core/metrics.ts). */
  metrics?: Registry;
  /** This replica's name in the claims it takes (default: host, pid, random). */
  owner?: string;
  /** How long a claim on a delivery holds (default: the larger of a minute and three send timeouts). */
  leaseMs?: number;
}

export interface NotifyStage {
  scheduler: DeliveryScheduler;
  /** The configuration in force (the last good notify.yml). */
  config(): NotifyConfig;
  /** Reads notify.yml now instead of waiting for the watcher; answers whether a new one was applied. */
  reloadConfig(): Promise<boolean>;
  /** What this stage recorded since it started (repeats: notifications the outbox already held). */
  totals(): AdmitResult;
  stop(): Promise<void>;
}

export async function startNotifyStage(options: NotifyStageOptions): Promise<NotifyStage> {
  const now = options.now ?? Date.now;
  const log = options.log.child({ stage: 'notify' });
  const { outbox } = options;
  let config = options.config;
  const metrics = options.metrics ? notifyMetrics(options.metrics) : undefined;
  metrics?.setOutbox(outbox);
  const senderSettings = { configFile: options.configFile ?? 'notify.yml', ...options.senders };

  const channelInfo = (list: readonly ChannelConfig[]) => list.map((c) => ({ name: c.name, type: c.type, unit: c.unit ?? null, language: c.language }));
  await outbox.registerChannels(channelInfo(config.channels));
  // One map, changed in place on a reload, so the scheduler always sends with the channels in force.
  const channels = new Map<string, ScheduledChannel>(config.channels.map((c) => [c.name, { config: c, sender: buildSender(c, senderSettings) }]));
  const seedLimiter = async (): Promise<RateLimiter> => createRateLimiter({ admissions: await outbox.admissionsSince(now() - 60_000), digests: await outbox.openDigests() });
  let limiter = await seedLimiter();
  const sendTimeoutMs = options.senders.timeoutMs;
  const scheduler = createDeliveryScheduler({
    outbox,
    channels,
    retry: options.retry ?? DEFAULT_RETRY,
    consoleUrl: options.consoleUrl.replace(/\/+$/, ''),
    utcOffsetMinutes: options.utcOffsetMinutes,
    log,
    now,
    leaseMs: options.leaseMs ?? Math.max(DEFAULT_LEASE_MS, 3 * sendTimeoutMs),
    ...(options.owner !== undefined ? { owner: options.owner } : {}),
    ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
    onOutcome(channel, outcome, kind) {
      if (!metrics) return;
      if (outcome === 'sent') metrics.sent.inc({ channel, kind });
      else metrics.failed.inc({ channel });
      if (outcome === 'dead') metrics.deadLettered.inc({ channel });
    },
  });

  /** Swaps in a new notify.yml: senders of unchanged channels are kept, replaced ones closed once their sends are done. */
  const applyConfig = async (next: NotifyConfig): Promise<void> => {
    const built = new Map<string, ScheduledChannel>();
    for (const channel of next.channels) {
      const held = channels.get(channel.name);
      const same = held !== undefined && JSON.stringify(held.config) === JSON.stringify(channel);
      // buildSender throws NotifyConfigError (say, an email channel without SMTP): nothing changes then.
      built.set(channel.name, same ? held : { config: channel, sender: buildSender(channel, senderSettings) });
    }
    const retired = [...channels.values()].filter((held) => built.get(held.config.name) !== held);
    await outbox.registerChannels(channelInfo(next.channels));
    channels.clear();
    for (const [name, channel] of built) channels.set(name, channel);
    config = next;
    // A send in flight on a retired sender finishes first (at most one send timeout).
    const closer = setTimeout(() => void Promise.all(retired.map((held) => held.sender.close().catch(() => undefined))), sendTimeoutMs + 1000);
    closer.unref();
    scheduler.kick();
  };
  const watcher: NotifyConfigWatcher | undefined =
    options.configFile === undefined
      ? undefined
      : watchNotifyConfig({
          file: options.configFile,
          log,
          apply: async (next) => {
            await applyConfig(next);
            metrics?.configReloads.inc({ result: 'applied' });
          },
          ...(options.env ? { env: options.env } : {}),
          onRefused: () => metrics?.configReloads.inc({ result: 'refused' }),
        });
  const reloadConfig = async (): Promise<boolean> => (await watcher?.check()) ?? false;

  const totals: AdmitResult = { queued: 0, folded: 0, digests: 0, repeats: 0 };
  const subscription: Subscription = options.bus.subscribe(
    TOPICS.alerts,
    NOTIFY_GROUP,
    async (batch) => {
      const alerts: Alert[] = [];
      for (const record of batch) {
        const decoded = decodeRecord(record, alertSchema);
        if (decoded.ok) alerts.push(decoded.value);
        else log.warn({ partition: record.partition, offset: record.offset, problem: decoded.problem }, 'skipping a malformed alert record');
      }
      const result = await admitAlerts({ outbox, config, limiter, onFolded: (channel) => metrics?.digested.inc({ channel }) }, alerts, now());
      for (const key of ['queued', 'folded', 'digests', 'repeats'] as const) totals[key] += result[key];
      if (result.queued + result.folded > 0) log.debug({ ...result }, 'notifications recorded');
      if (result.queued + result.digests > 0) scheduler.kick();
    },
    {
      start: 'latest',
      maxBatchRecords: 500,
      onError: (error) => log.error({ err: error }, 'recording notifications failed; the batch will be retried'),
      onAssigned: async (partitions: readonly number[]) => {
        // Another replica may have admitted alerts since this one last looked: count its admissions too.
        limiter = await seedLimiter();
        return options.replayFrom ? Object.fromEntries(partitions.map((p) => [p, options.replayFrom?.[p] ?? -1])) : undefined;
      },
    },
  );
  scheduler.start();
  const keepMs = options.keepDeliveriesMs ?? KEEP_DELIVERIES_MS;
  const prune = () =>
    outbox
      .prune(now() - keepMs)
      .then((removed) => removed > 0 && log.info({ removed }, 'forgot old notification deliveries'))
      .catch((error: unknown) => log.warn({ err: error }, 'pruning old notification deliveries failed'));
  await prune();
  const pruner = setInterval(() => void prune(), PRUNE_EVERY_MS);
  pruner.unref();
  log.info({ channels: config.channels.length, rules: config.rules.length }, 'notifying');

  return {
    scheduler,
    config: () => config,
    reloadConfig,
    totals: () => ({ ...totals }),
    async stop() {
      watcher?.close();
      metrics?.setOutbox(undefined);
      clearInterval(pruner);
      await subscription.stop();
      await scheduler.stop();
      await Promise.all([...channels.values()].map((c) => c.sender.close().catch(() => undefined)));
    },
  };
}
