// Sends what the outbox holds when it is due: renders each delivery in its channel's
// language, sends it, and records the outcome (sent; or failed with the next try, the
// dead-letter list, or for a test send "failed"). A channel whose receiver failed is
// paused until its retry is due, so a backlog is not hammered at a dead receiver, and
// its deliveries go out in order once it answers again. Channels are sent to in
// parallel, each one delivery at a time.
//
// Several notify replicas may run this over one outbox: each delivery is claimed for
// one send (a lease longer than a send may take) right before it is sent, and its
// outcome is recorded only while the claim holds, so no two replicas send it. A replica
// that dies mid-send leaves a lease that runs out; another then sends it (at least once
// over a crash; the delivery id in every message lets a receiver drop the repeat).
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Delivery, NotificationOutbox } from '../core/ports/notifications.ts';
import type { Logger } from '../core/log.ts';
import { DeliveryError, type ChannelSender } from './channels/channel-sender.ts';
import { renderMessage } from './message-text.ts';
import type { ChannelConfig } from './notify-config.ts';
import { afterFailure, type RetryPolicy } from './retry-policy.ts';

export interface ScheduledChannel {
  config: ChannelConfig;
  sender: ChannelSender;
}

export interface DeliverySchedulerOptions {
  outbox: NotificationOutbox;
  channels: ReadonlyMap<string, ScheduledChannel>;
  retry: RetryPolicy;
  consoleUrl: string;
  utcOffsetMinutes: number;
  log: Logger;
  now?: () => number;
  /** How often the outbox is looked at without a kick (test sends come from the api this way). */
  pollMs?: number;
  /** Most deliveries taken per pass. */
  batchSize?: number;
  /** Who claims deliveries (default: host, pid and a random part: one per scheduler). */
  owner?: string;
  /** How long a claim holds; longer than one send may take (default 60 s). */
  leaseMs?: number;
  /** Told of every recorded outcome (metrics). */
  onOutcome?: (channel: string, outcome: DeliveryOutcome, kind: Delivery['kind']) => void;
}

export type DeliveryOutcome = 'sent' | 'retry' | 'dead' | 'failed';

export const DEFAULT_LEASE_MS = 60_000;

export interface DeliveryScheduler {
  /** One pass over what is due now; answers how many deliveries were attempted. */
  runDue(): Promise<number>;
  /** Something was queued: look soon. */
  kick(): void;
  start(): void;
  /** Finishes the pass in hand and stops. */
  stop(): Promise<void>;
}

export function createDeliveryScheduler(options: DeliverySchedulerOptions): DeliveryScheduler {
  const now = options.now ?? Date.now;
  const log = options.log;
  const pollMs = options.pollMs ?? 1000;
  const batchSize = options.batchSize ?? 200;
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const told = (channel: string, outcome: DeliveryOutcome, kind: Delivery['kind']) => options.onOutcome?.(channel, outcome, kind);
  /** Channel → epoch ms before which it is not tried again (its receiver failed). */
  const pausedUntil = new Map<string, number>();
  let running: Promise<number> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;

  async function attempt(delivery: Delivery, channel: ScheduledChannel | undefined): Promise<void> {
    const at = now();
    if (!channel) {
      const next = delivery.kind === 'test' ? 'failed' : 'dead';
      if (await options.outbox.markFailed(delivery.id, at, `channel ${delivery.channel} is no longer configured`, { next }, owner)) told(delivery.channel, next, delivery.kind);
      return;
    }
    const digest = delivery.payload.type === 'digest' && delivery.digestKey === null ? await options.outbox.digestCounts(delivery.key) : undefined;
    const message = renderMessage(
      delivery.payload,
      { channel: channel.config.name, language: channel.config.language, consoleUrl: options.consoleUrl, utcOffsetMinutes: options.utcOffsetMinutes, ...(digest ? { digest } : {}) },
      at,
    );
    try {
      if (digest === undefined || digest.length > 0) {
        await channel.sender.send({ deliveryKey: delivery.key, payload: delivery.payload, message, now: at, ...(digest ? { digest } : {}) });
      }
      if (await options.outbox.markSent(delivery.id, now(), owner)) told(delivery.channel, 'sent', delivery.kind);
      else log.warn({ channel: delivery.channel, delivery: delivery.key }, 'sent after its claim ran out; another replica may send it too (raise the lease)');
      pausedUntil.delete(delivery.channel);
    } catch (error) {
      const failure = error instanceof DeliveryError ? error : new DeliveryError(`${delivery.channel}: ${(error as Error).message}`, false);
      const outcome = afterFailure(options.retry, { kind: delivery.kind, attempt: delivery.attempts + 1, permanent: failure.permanent, retryAfterMs: failure.retryAfterMs }, now());
      if (await options.outbox.markFailed(delivery.id, now(), failure.message, outcome, owner)) told(delivery.channel, outcome.next, delivery.kind);
      if (outcome.next === 'retry') pausedUntil.set(delivery.channel, outcome.at);
      const fields = { channel: delivery.channel, delivery: delivery.key, attempt: delivery.attempts + 1, error: failure.message };
      if (outcome.next === 'dead') log.error(fields, 'notification given up: moved to the dead-letter list');
      else log.warn({ ...fields, next: outcome.next === 'retry' ? new Date(outcome.at).toISOString() : outcome.next }, 'notification failed');
    }
  }

  async function pass(): Promise<number> {
    const due = await options.outbox.due(now(), batchSize);
    const byChannel = new Map<string, Delivery[]>();
    for (const delivery of due) {
      const list = byChannel.get(delivery.channel) ?? [];
      list.push(delivery);
      byChannel.set(delivery.channel, list);
    }
    let attempted = 0;
    await Promise.all(
      [...byChannel].map(async ([name, deliveries]) => {
        for (const delivery of deliveries) {
          // A paused channel still takes an admin's test send: that is how they check it.
          if (delivery.kind !== 'test' && (pausedUntil.get(name) ?? 0) > now()) continue;
          // Another replica may have taken it since `due` was read: then it is theirs.
          const claimed = await options.outbox.claim(delivery.id, owner, now(), leaseMs);
          if (claimed === null) continue;
          attempted += 1;
          await attempt(claimed, options.channels.get(name));
        }
      }),
    );
    return attempted;
  }

  function runDue(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      try {
        do {
          again = false;
          total += await pass();
        } while (again);
      } finally {
        running = undefined;
      }
      return total;
    })();
    return running;
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      runDue()
        .catch((error: unknown) => log.error({ err: error }, 'notification pass failed; will try again'))
        .finally(() => schedule(pollMs));
    }, delayMs);
    timer.unref();
  }

  return {
    runDue,
    kick() {
      schedule(0);
    },
    start() {
      stopped = false;
      schedule(0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => 0);
    },
  };
}
