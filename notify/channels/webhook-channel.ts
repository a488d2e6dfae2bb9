// The generic webhook: a JSON POST signed with the channel's secret (webhook-signature.ts)
// carrying the rendered text and the structured alert (or digest counts), so a ticketing
// system can use either. `delivery` (also X-Vigil-Delivery) is the idempotency key: a
// receiver that stores it drops the rare repeat (a crash between its 2xx and our record).
import { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signBody } from '../webhook-signature.ts';
import type { ChannelSender, OutgoingNotification } from './channel-sender.ts';
import { postJson } from './http-post.ts';

export interface WebhookChannelOptions {
  name: string;
  url: string;
  secret: string;
  language: string;
  timeoutMs: number;
}

export function webhookBody(options: Pick<WebhookChannelOptions, 'name' | 'language'>, notification: OutgoingNotification, timestamp: number): string {
  const { payload, message } = notification;
  return JSON.stringify({
    type: payload.type,
    delivery: notification.deliveryKey,
    timestamp,
    channel: options.name,
    language: options.language,
    subject: message.subject,
    text: message.text,
    link: message.link,
    ...(payload.type === 'alert' ? { alert: payload.alert } : {}),
    ...(payload.type === 'digest'
      ? { digest: { windowStart: new Date(payload.windowStart).toISOString(), windowEnd: new Date(payload.windowEnd).toISOString(), units: notification.digest ?? [] } }
      : {}),
  });
}

export function webhookChannel(options: WebhookChannelOptions): ChannelSender {
  return {
    async send(notification) {
      const timestamp = Math.floor(notification.now / 1000);
      const body = webhookBody(options, notification, timestamp);
      await postJson(
        options.name,
        options.url,
        body,
        {
          [SIGNATURE_HEADER]: signBody(options.secret, body),
          [TIMESTAMP_HEADER]: String(timestamp),
          [DELIVERY_HEADER]: notification.deliveryKey,
        },
        options.timeoutMs,
      );
    },
    async close() {},
  };
}
