// Idempotency keys: one per (alert, notification kind, channel), so a retried batch, a
// restarted consumer or a replay of the alerts topic from offset 0 finds the delivery it
// already recorded and sends nothing twice. `raised` is the only kind so far: an alert is
// announced once, when first seen; later versions (a growing count, triage) are not news.
// Digests are keyed by channel and window start, so one window yields one digest.

export type NoticeKind = 'raised';

export function alertDeliveryKey(alertId: string, kind: NoticeKind, channel: string): string {
  return `alert:${alertId}:${kind}:${channel}`;
}

export function digestDeliveryKey(channel: string, windowStart: number): string {
  return `digest:${channel}:${windowStart}`;
}
