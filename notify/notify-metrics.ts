// The notify stage's Prometheus metrics, registered on the process's registry (core/
// metrics.ts makes it): what each channel was sent, failed, dead-lettered and folded into
// digests, the outbox's depth (pending deliveries per channel, read from the outbox when
// scraped, so every replica reports the same shared queue) and the notify.yml reloads.
// A stage restarted in the same process (tests) finds its metrics already registered
// and keeps counting on them.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { NotificationOutbox } from '../core/ports/notifications.ts';

export interface NotifyMetrics {
  sent: Counter<'channel' | 'kind'>;
  /** Failed attempts, whatever follows (a retry, the dead-letter list, a failed test). */
  failed: Counter<'channel'>;
  deadLettered: Counter<'channel'>;
  /** Alerts folded into a digest instead of a message of their own. */
  digested: Counter<'channel'>;
  configReloads: Counter<'result'>;
  /** Where the depth gauge reads from; the stage sets it. */
  setOutbox(outbox: NotificationOutbox | undefined): void;
}

function once<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

export function notifyMetrics(registry: Registry): NotifyMetrics {
  const registers = [registry];
  let source: NotificationOutbox | undefined;
  once(registry, 'vigil_notify_outbox_pending', () => {
    const gauge: Gauge<'channel'> = new Gauge({
      name: 'vigil_notify_outbox_pending',
      help: 'Deliveries waiting in the notification outbox (due, scheduled for a retry, or an open digest), per channel. Shared by every notify replica.',
      labelNames: ['channel'] as const,
      registers,
      async collect() {
        if (source === undefined) return;
        gauge.reset();
        for (const { channel, count } of await source.pendingByChannel()) gauge.set({ channel }, count);
      },
    });
    return gauge;
  });
  return {
    sent: once(registry, 'vigil_notifications_sent_total', () => new Counter({ name: 'vigil_notifications_sent_total', help: 'Notifications delivered, per channel and kind (alert, digest, test).', labelNames: ['channel', 'kind'] as const, registers })),
    failed: once(registry, 'vigil_notifications_failed_total', () => new Counter({ name: 'vigil_notifications_failed_total', help: 'Failed notification attempts (each retry counts), per channel.', labelNames: ['channel'] as const, registers })),
    deadLettered: once(registry, 'vigil_notifications_dead_lettered_total', () => new Counter({ name: 'vigil_notifications_dead_lettered_total', help: 'Notifications given up and moved to the dead-letter list, per channel.', labelNames: ['channel'] as const, registers })),
    digested: once(registry, 'vigil_notifications_digested_total', () => new Counter({ name: 'vigil_notifications_digested_total', help: 'Alerts over a channel\'s rate folded into a digest, per channel.', labelNames: ['channel'] as const, registers })),
    configReloads: once(registry, 'vigil_notify_config_reloads_total', () => new Counter({ name: 'vigil_notify_config_reloads_total', help: 'notify.yml edits read while running: applied, or refused (the last good configuration kept).', labelNames: ['result'] as const, registers })),
    setOutbox(outbox) {
      source = outbox;
    },
  };
}
