// What every channel does: send one rendered message, or throw a DeliveryError saying
// whether trying again could help (a receiver that is down, rate-limiting us or timing
// out: yes; one that refuses the request itself, a 4xx, a bad address: no, it goes to
// the dead-letter list at once). Error texts never carry addresses or secrets.
import { VigilError } from '../../core/errors.ts';
import type { DigestUnitCount, NotificationPayload } from '../../core/ports/notifications.ts';
import type { Message } from '../message-text.ts';

export interface OutgoingNotification {
  /** The idempotency key, sent along (header, Message-ID) so a receiver can drop a repeat. */
  deliveryKey: string;
  payload: NotificationPayload;
  message: Message;
  /** For a digest: the alerts folded into it, per unit. */
  digest?: readonly DigestUnitCount[];
  /** Epoch ms of this attempt. */
  now: number;
}

export interface ChannelSender {
  send(notification: OutgoingNotification): Promise<void>;
  close(): Promise<void>;
}

export class DeliveryError extends VigilError {
  constructor(
    message: string,
    /** No retry can succeed: dead-letter it now. */
    readonly permanent: boolean,
    /** The receiver asked us to wait this long (HTTP 429 Retry-After, Telegram retry_after). */
    readonly retryAfterMs?: number,
  ) {
    super('delivery_failed', message, 'notify', 502);
    this.name = 'DeliveryError';
  }
}
