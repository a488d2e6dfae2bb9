// Turns a batch of alerts from the alerts topic into deliveries in the outbox: routes
// each alert, drops what the outbox already holds (idempotency keys: a replay or a
// retried batch adds nothing), applies each channel's rate limit (the surplus is folded
// into a digest) and records everything in one durable write. The notify stage commits
// the batch's position only after this resolved.
import type { AlertNotice, NewDelivery, NotificationOutbox } from '../core/ports/notifications.ts';
import type { Alert } from '../core/schemas/alert.ts';
import { alertKind } from './alert-kind.ts';
import { alertDeliveryKey } from './idempotency.ts';
import type { ChannelConfig, NotifyConfig } from './notify-config.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { routeAlert } from './route-alert.ts';

export interface AdmitResult {
  /** Deliveries to send now, folded into a digest, and digests opened. */
  queued: number;
  folded: number;
  digests: number;
  /** Notifications the outbox already had (a replay, a retried batch). */
  repeats: number;
}

export function alertNotice(alert: Alert): AlertNotice {
  return {
    id: alert.id,
    ruleId: alert.rule.id,
    title: alert.rule.title,
    severity: alert.severity,
    kind: alertKind(alert),
    unit: { id: alert.organization.id, name: alert.organization.name },
    host: { ...alert.host },
    firstSeen: alert.first_seen,
    lastSeen: alert.last_seen,
    count: alert.count,
    tactics: [...alert.attack.tactics],
  };
}

/** Closed alerts are nobody's news: a version first seen already resolved is not announced. */
const CLOSED = new Set<Alert['status']>(['resolved', 'false_positive']);

export async function admitAlerts(
  deps: { outbox: NotificationOutbox; config: NotifyConfig; limiter: RateLimiter; onFolded?: (channel: string) => void },
  alerts: readonly Alert[],
  now: number,
): Promise<AdmitResult> {
  const candidates: Array<{ key: string; alert: Alert; channel: ChannelConfig }> = [];
  const seen = new Set<string>();
  for (const alert of alerts) {
    if (CLOSED.has(alert.status)) continue;
    for (const channel of routeAlert(deps.config, alert)) {
      const key = alertDeliveryKey(alert.id, 'raised', channel.name);
      // An alert published twice in one batch (an update right after it was raised).
      if (seen.has(key)) continue;
      seen.add(key);
      candidates.push({ key, alert, channel });
    }
  }
  const existing = await deps.outbox.existingKeys(candidates.map((c) => c.key));
  const result: AdmitResult = { queued: 0, folded: 0, digests: 0, repeats: existing.size };
  const deliveries: NewDelivery[] = [];
  for (const { key, alert, channel } of candidates) {
    if (existing.has(key)) continue;
    const base = { key, channel: channel.name, alertId: alert.id, unit: alert.organization.id, payload: { type: 'alert' as const, alert: alertNotice(alert) }, createdAt: now };
    const decision = deps.limiter.decide(channel.name, { perMinute: channel.rate_limit.per_minute, digestMs: channel.rate_limit.digest_minutes * 60_000 }, now);
    if (decision.action === 'send') {
      deliveries.push({ ...base, state: 'pending', dueAt: now });
      result.queued += 1;
      continue;
    }
    const { digest } = decision;
    if (decision.opened) {
      deliveries.push({
        key: digest.key,
        channel: channel.name,
        alertId: null,
        unit: channel.unit ?? null,
        payload: { type: 'digest', windowStart: digest.windowStart, windowEnd: digest.windowEnd },
        state: 'pending',
        createdAt: now,
        dueAt: digest.windowEnd,
      });
      result.digests += 1;
    }
    deliveries.push({ ...base, state: 'folded', dueAt: digest.windowEnd, digestKey: digest.key });
    result.folded += 1;
  }
  await deps.outbox.record(deliveries);
  // Counted once recorded: a batch that failed to record is retried and counted then.
  if (deps.onFolded) for (const delivery of deliveries) if (delivery.state === 'folded') deps.onFolded(delivery.channel);
  return result;
}
