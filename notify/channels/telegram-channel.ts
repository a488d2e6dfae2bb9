// Telegram: the Bot API's sendMessage, as plain text (no parse_mode: titles and host
// names come from events and must not become markup). The API base is configurable
// (VIGIL_TELEGRAM_API_URL) for a local Bot API server or a test receiver. The token is in
// the URL path, so errors name the channel only.
import { DeliveryError, type ChannelSender } from './channel-sender.ts';
import { postJson } from './http-post.ts';

export interface TelegramChannelOptions {
  name: string;
  apiUrl: string;
  token: string;
  chatId: string;
  timeoutMs: number;
}

/** Telegram's longest message; longer text is cut, keeping the link line that ends it. */
const MAX_TEXT = 4096;

export function telegramChannel(options: TelegramChannelOptions): ChannelSender {
  const url = `${options.apiUrl.replace(/\/+$/, '')}/bot${options.token}/sendMessage`;
  return {
    async send(notification) {
      let text = notification.message.text;
      if (text.length > MAX_TEXT) text = `${text.slice(0, MAX_TEXT - 200)}…\n${notification.message.link}`;
      const result = await postJson(options.name, url, JSON.stringify({ chat_id: options.chatId, text, disable_web_page_preview: true }), {}, options.timeoutMs).catch(
        (error: unknown) => {
          // A 429's body says how long to wait: { parameters: { retry_after: seconds } }.
          if (error instanceof DeliveryError) {
            const wait = /"retry_after":\s*(\d+)/.exec(error.message)?.[1];
            const message = error.message.replaceAll(options.token, '***');
            throw new DeliveryError(message, error.permanent, wait !== undefined ? Number(wait) * 1000 : error.retryAfterMs);
          }
          throw error;
        },
      );
      const answer = JSON.parse(result.body || '{}') as { ok?: boolean; description?: string };
      if (answer.ok !== true) throw new DeliveryError(`${options.name}: Telegram answered ok=false${answer.description ? `: ${answer.description}` : ''}`, true);
    },
    async close() {},
  };
}
