// The NotificationOutbox port: the durable record of every notification Vigil owes a
// channel (email, webhook, Telegram, Slack/Teams), its attempts, and the dead letters.
// The notify stage writes a delivery here before it commits its alerts position, then
// claims, sends and marks it; the api reads delivery status and dead letters and asks
// for test sends through it, so neither imports the other. Adapters: embedded SQLite
// (core/notifications/embedded-notification-outbox.ts, <dataDir>/notify.db) and the
// search store (search-notification-outbox.ts). Several notify replicas may send from
// one outbox: each delivery is claimed (a lease with an expiry) before it is sent.
//
// Idempotency: a delivery's `key` is unique (alert id + notification kind + channel, see
// notify/idempotency.ts); `record` ignores a key it already holds, so a replay of the
// alerts topic or a retried batch never creates a second delivery.
import { z } from 'zod';
import { severitySchema } from '../schemas/alert.ts';
import type { Scope } from './scope.ts';

export const channelTypes = ['email', 'webhook', 'telegram', 'slack', 'teams'] as const;
export type ChannelType = (typeof channelTypes)[number];
export const notificationLanguages = ['vi', 'en'] as const;
export type NotificationLanguage = (typeof notificationLanguages)[number];

/** What the api may know of a channel: never its address or secret. */
export const channelInfoSchema = z.object({
  name: z.string().min(1),
  type: z.enum(channelTypes),
  /** The unit it is bound to (it gets only that unit's alerts); null: SOC-wide. */
  unit: z.string().min(1).nullable(),
  language: z.enum(notificationLanguages),
});
export type ChannelInfo = z.infer<typeof channelInfoSchema>;

/** Alert kinds routing rules can name (notify/alert-kind.ts says how each is told apart). */
export const alertKinds = ['single', 'correlation', 'spread', 'outbreak'] as const;
export type AlertKind = (typeof alertKinds)[number];

/** What a message about one alert says; a snapshot taken when the alert was first seen. */
export const alertNoticeSchema = z.object({
  id: z.string().min(1),
  ruleId: z.string(),
  title: z.string(),
  severity: severitySchema,
  kind: z.enum(alertKinds),
  unit: z.object({ id: z.string().min(1), name: z.string() }),
  host: z.object({ id: z.string().optional(), name: z.string().optional() }),
  firstSeen: z.string(),
  lastSeen: z.string(),
  count: z.number().int().nonnegative(),
  tactics: z.array(z.string()),
});
export type AlertNotice = z.infer<typeof alertNoticeSchema>;

export const notificationPayloadSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('alert'), alert: alertNoticeSchema }),
  /** The surplus over a channel's rate, folded into one message when the window closes. */
  z.object({ type: z.literal('digest'), windowStart: z.number(), windowEnd: z.number() }),
  z.object({ type: z.literal('test'), requestedBy: z.string() }),
]);
export type NotificationPayload = z.infer<typeof notificationPayloadSchema>;

export type DeliveryKind = NotificationPayload['type'];
/**
 * pending: to send at `dueAt` (a retry waits there too); sent; folded: over the rate,
 * counted in the digest `digestKey` instead; dead: gave up after the last attempt or a
 * permanent refusal (the dead-letter list); failed: a test send that did not go through.
 */
export const deliveryStates = ['pending', 'sent', 'folded', 'dead', 'failed'] as const;
export type DeliveryState = (typeof deliveryStates)[number];

export interface Delivery {
  id: number;
  key: string;
  channel: string;
  kind: DeliveryKind;
  alertId: string | null;
  /** The alert's unit (`*` for an alert spanning units); null for digests and tests of SOC-wide channels. */
  unit: string | null;
  state: DeliveryState;
  attempts: number;
  /** ISO times. */
  createdAt: string;
  dueAt: string;
  sentAt: string | null;
  lastError: string | null;
  digestKey: string | null;
  payload: NotificationPayload;
}

export interface NewDelivery {
  key: string;
  channel: string;
  alertId: string | null;
  unit: string | null;
  payload: NotificationPayload;
  state: 'pending' | 'folded';
  /** Epoch ms: when it was admitted (rate limits count these), and when to send it. */
  createdAt: number;
  dueAt: number;
  digestKey?: string;
}

export interface DeliveryAttempt {
  at: string;
  ok: boolean;
  error: string | null;
}

/** What happens after a failed attempt. */
export type FailureOutcome = { next: 'retry'; at: number } | { next: 'dead' } | { next: 'failed' };

export interface DigestUnitCount {
  unit: string;
  unitName: string;
  count: number;
}

export interface NotificationOutbox {
  /** Replaces the channel list the api sees (names, types, units, languages). */
  registerChannels(channels: readonly ChannelInfo[]): Promise<void>;
  listChannels(): Promise<ChannelInfo[]>;
  /** Inserts, in one durable transaction, the deliveries whose key is new; answers the keys inserted. */
  record(deliveries: readonly NewDelivery[]): Promise<string[]>;
  /** Which of `keys` the outbox already holds. */
  existingKeys(keys: readonly string[]): Promise<Set<string>>;
  /** Pending deliveries due at `now` (epoch ms) and not claimed by anyone, oldest due first. */
  due(now: number, limit: number): Promise<Delivery[]>;
  /** The earliest dueAt of a pending delivery (epoch ms), or null. */
  nextDue(): Promise<number | null>;
  /** Pending deliveries per channel (the outbox's depth, for metrics). */
  pendingByChannel(): Promise<Array<{ channel: string; count: number }>>;
  /**
   * Takes the pending delivery `id`, due at `now`, for `owner` until `now + leaseMs`, so
   * that of several notify replicas sending from one outbox only one sends it. Atomic:
   * of two claims at once one wins. A delivery whose lease ran out (its claimer died
   * mid-send) can be claimed again. Answers it as claimed, or null when it is not
   * pending, not due, or held by another owner.
   */
  claim(id: number, owner: string, now: number, leaseMs: number): Promise<Delivery | null>;
  /**
   * Records a send (and ends the claim). With `owner`, only while that owner holds the
   * claim: a sender whose lease ran out and was taken over changes nothing. Answers
   * whether it was recorded.
   */
  markSent(id: number, at: number, owner?: string): Promise<boolean>;
  markFailed(id: number, at: number, error: string, outcome: FailureOutcome, owner?: string): Promise<boolean>;
  /** Per unit, how many deliveries were folded into the digest `digestKey`. */
  digestCounts(digestKey: string): Promise<DigestUnitCount[]>;
  /** Admission times per channel since `since` (epoch ms), of deliveries not folded: seeds rate limits after a restart. */
  admissionsSince(since: number): Promise<Array<{ channel: string; at: number }>>;
  /** Digests still pending (their window is open or just closed), to resume folding after a restart. */
  openDigests(): Promise<Array<{ channel: string; key: string; windowStart: number; windowEnd: number }>>;
  /** The dead-letter list, newest first, of the units `scope` covers (SOC-wide entries need scope all). */
  deadLetters(scope: Scope, limit: number): Promise<Delivery[]>;
  /** Every delivery about one alert, oldest first, with its attempts. */
  deliveriesForAlert(alertId: string): Promise<Array<Delivery & { attemptLog: DeliveryAttempt[] }>>;
  getDelivery(id: number): Promise<Delivery | null>;
  /** Sends a dead letter again: pending now, its attempts counted afresh. Answers it, or null if `id` is no dead letter. */
  requeue(id: number, now: number): Promise<Delivery | null>;
  /**
   * Forgets sent, folded and failed deliveries (and their attempts) admitted before
   * `before` (epoch ms); pending ones and dead letters stay. Answers how many went. Keep
   * longer than the bus keeps alerts, or a replay could send an old alert again.
   */
  prune(before: number): Promise<number>;
  /** Queues a single-attempt test message on `channel`, sent by the notify stage like any other. */
  requestTest(channel: string, requestedBy: string, now: number): Promise<Delivery>;
  close(): Promise<void>;
}
