// Builds the sender for each configured channel from its notify.yml entry and the
// process-wide settings (SMTP server, Telegram API base, timeout). An email channel
// without an SMTP server configured is a configuration error, said at start.
import { NotifyConfigError } from '../load-notify-config.ts';
import type { ChannelConfig } from '../notify-config.ts';
import type { ChannelSender } from './channel-sender.ts';
import { chatWebhookChannel } from './chat-webhook-channel.ts';
import type { SmtpSettings } from '../../core/mail/smtp-mailer.ts';
import { emailChannel } from './email-channel.ts';
import { telegramChannel } from './telegram-channel.ts';
import { webhookChannel } from './webhook-channel.ts';

export interface SenderSettings {
  smtp: SmtpSettings | undefined;
  telegramApiUrl: string;
  timeoutMs: number;
  /** For error messages. */
  configFile: string;
}

export function buildSender(channel: ChannelConfig, settings: SenderSettings): ChannelSender {
  const { timeoutMs } = settings;
  switch (channel.type) {
    case 'email':
      if (!settings.smtp) {
        throw new NotifyConfigError(settings.configFile, [`channel "${channel.name}" is an email channel: set VIGIL_SMTP_URL and VIGIL_SMTP_FROM`]);
      }
      return emailChannel({ name: channel.name, to: channel.to, smtp: settings.smtp, timeoutMs });
    case 'webhook':
      return webhookChannel({ name: channel.name, url: channel.url, secret: channel.secret, language: channel.language, timeoutMs });
    case 'telegram':
      return telegramChannel({ name: channel.name, apiUrl: settings.telegramApiUrl, token: channel.token, chatId: channel.chat_id, timeoutMs });
    case 'slack':
    case 'teams':
      return chatWebhookChannel({ name: channel.name, flavour: channel.type, url: channel.url, timeoutMs });
  }
}
