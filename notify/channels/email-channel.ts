// Email over SMTP (nodemailer): one message per notification to the channel's recipients,
// from VIGIL_SMTP_FROM through VIGIL_SMTP_URL (credentials in the URL or in
// VIGIL_SMTP_PASSWORD, never logged). Message-ID is derived from the idempotency key so a
// mail system can drop the rare repeat. SMTP 5xx answers are permanent, the rest retried.
import { createHash } from 'node:crypto';
import { createTransport } from 'nodemailer';
import { smtpTransportOptions, type SmtpSettings } from '../../core/mail/smtp-mailer.ts';
import { DeliveryError, type ChannelSender } from './channel-sender.ts';

export interface EmailChannelOptions {
  name: string;
  to: readonly string[];
  smtp: SmtpSettings;
  timeoutMs: number;
}

export function emailChannel(options: EmailChannelOptions): ChannelSender {
  const transport = createTransport(smtpTransportOptions(options.smtp, options.timeoutMs));
  return {
    async send(notification) {
      const id = createHash('sha256').update(notification.deliveryKey).digest('hex').slice(0, 32);
      try {
        await transport.sendMail({
          from: options.smtp.from,
          to: [...options.to],
          subject: notification.message.subject,
          text: notification.message.text,
          messageId: `<${id}@vigil>`,
          headers: { 'X-Vigil-Delivery': notification.deliveryKey },
        });
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        const reason = code !== undefined ? `SMTP ${code}` : ((error as { code?: string }).code ?? 'SMTP failed');
        const detail = ((error as { response?: string }).response ?? '').slice(0, 200);
        throw new DeliveryError(`${options.name}: ${reason}${detail ? ` ${detail}` : ''}`, code !== undefined && code >= 500);
      }
    },
    async close() {
      transport.close();
    },
  };
}
