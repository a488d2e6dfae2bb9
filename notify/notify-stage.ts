// The notify stage: a consumer of the alerts topic with its own group. For each batch
// it records the notifications owed in the outbox (admit-alerts.ts) and only then lets
// the bus commit, so an alert is never lost between "written" and "sent"; the scheduler
// sends from the outbox. A first start begins at the topic's end (no flood of the
// retained past); from then on the committed position carries over restarts.
import { decodeRecord } from '../core/bus/decode-record.ts';
import type { Logger } from '../core/log.ts';
import { TOPICS, type Bus, type Positions, type Subscription } from '../core/ports/bus.ts';
import type { NotificationOutbox } from '../core/ports/notifications.ts';
import { alertSchema, type Alert } from '../core/schemas/alert.ts';
import { admitAlerts, type AdmitResult } from './admit-alerts.ts';
import { buildSender, type SenderSettings } from './channels/build-sender.ts';
import { createDeliveryScheduler, type DeliveryScheduler, type ScheduledChannel } from './delivery-scheduler.ts';
import type { NotifyConfig } from './notify-config.ts';
import { createRateLimiter } from './rate-limiter.ts';
import { DEFAULT_RETRY, type RetryPolicy } from './retry-policy.ts';

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
}

export interface NotifyStage {
  scheduler: DeliveryScheduler;
  /** What this stage recorded since it started (repeats: notifications the outbox already held). */
  totals(): AdmitResult;
  stop(): Promise<void>;
}

export async function startNotifyStage(options: NotifyStageOptions): Promise<NotifyStage> {
  const now = options.now ?? Date.now;
  const log = options.log.child({ stage: 'notify' });
  const { outbox, config } = options;

  await outbox.registerChannels(config.channels.map((c) => ({ name: c.name, type: c.type, unit: c.unit ?? null, language: c.language })));
  const channels = new Map<string, ScheduledChannel>(
    config.channels.map((c) => [c.name, { config: c, sender: buildSender(c, { configFile: 'notify.yml', ...options.senders }) }]),
  );
  const limiter = createRateLimiter({ admissions: await outbox.admissionsSince(now() - 60_000), digests: await outbox.openDigests() });
  const scheduler = createDeliveryScheduler({
    outbox,
    channels,
    retry: options.retry ?? DEFAULT_RETRY,
    consoleUrl: options.consoleUrl.replace(/\/+$/, ''),
    utcOffsetMinutes: options.utcOffsetMinutes,
    log,
    now,
    ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
  });

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
      const result = await admitAlerts({ outbox, config, limiter }, alerts, now());
      for (const key of ['queued', 'folded', 'digests', 'repeats'] as const) totals[key] += result[key];
      if (result.queued + result.folded > 0) log.debug({ ...result }, 'notifications recorded');
      if (result.queued + result.digests > 0) scheduler.kick();
    },
    {
      start: 'latest',
      maxBatchRecords: 500,
      onError: (error) => log.error({ err: error }, 'recording notifications failed; the batch will be retried'),
      ...(options.replayFrom ? { onAssigned: async (partitions: readonly number[]) => Object.fromEntries(partitions.map((p) => [p, options.replayFrom?.[p] ?? -1])) } : {}),
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
    totals: () => ({ ...totals }),
    async stop() {
      clearInterval(pruner);
      await subscription.stop();
      await scheduler.stop();
      await Promise.all([...channels.values()].map((c) => c.sender.close().catch(() => undefined)));
    },
  };
}
