// A delivery as both outbox adapters store it (snake_case columns in notify.db, the same
// fields in the search index) and the one mapping from that record to the port's
// Delivery, so the embedded and the search outbox cannot drift apart in what they answer.
import { notificationPayloadSchema, type Delivery, type DeliveryKind, type DeliveryState } from '../ports/notifications.ts';

export interface DeliveryRecord {
  id: number;
  key: string;
  channel: string;
  kind: string;
  alert_id: string | null;
  unit: string | null;
  state: string;
  attempts: number;
  /** Epoch ms. */
  created_at: number;
  due_at: number;
  sent_at: number | null;
  last_error: string | null;
  digest_key: string | null;
  /** The payload as stored: parsed again with zod here, since another process wrote it. */
  payload: unknown;
}

export const isoTime = (ms: number): string => new Date(ms).toISOString();

export function toDelivery(record: DeliveryRecord): Delivery {
  return {
    id: record.id,
    key: record.key,
    channel: record.channel,
    kind: record.kind as DeliveryKind,
    alertId: record.alert_id,
    unit: record.unit,
    state: record.state as DeliveryState,
    attempts: record.attempts,
    createdAt: isoTime(record.created_at),
    dueAt: isoTime(record.due_at),
    sentAt: record.sent_at === null ? null : isoTime(record.sent_at),
    lastError: record.last_error,
    digestKey: record.digest_key,
    payload: notificationPayloadSchema.parse(record.payload),
  };
}
