// Slack and Microsoft Teams incoming webhooks: a POST of `{"text": ...}`. Slack reads
// `<`, `>` and `&` as its link and mention syntax, so they are escaped as its docs ask:
// a host name from an event cannot turn into a mention or a disguised link. The webhook
// URL is itself the secret and never appears in errors.
import type { ChannelSender } from './channel-sender.ts';
import { postJson } from './http-post.ts';

export interface ChatWebhookOptions {
  name: string;
  flavour: 'slack' | 'teams';
  url: string;
  timeoutMs: number;
}

export function escapeSlackText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

export function chatWebhookChannel(options: ChatWebhookOptions): ChannelSender {
  return {
    async send(notification) {
      const { text } = notification.message;
      // Teams renders the text as Markdown, where a single newline does not break the line.
      const body = JSON.stringify({ text: options.flavour === 'slack' ? escapeSlackText(text) : text.replaceAll('\n', '\n\n') });
      await postJson(options.name, options.url, body, {}, options.timeoutMs);
    },
    async close() {},
  };
}
