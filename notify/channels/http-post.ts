// One HTTP POST for the web channels (webhook, Telegram, Slack/Teams) with a timeout,
// turning every outcome into success or a DeliveryError: 2xx is delivered; 408, 429 and
// 5xx, timeouts and refused connections are worth a retry; any other status is a
// permanent refusal. The URL is never put in an error (webhook URLs and bot tokens are
// secrets), only the channel's name.
import { DeliveryError } from './channel-sender.ts';

export interface PostResult {
  status: number;
  body: string;
}

function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

export async function postJson(
  channel: string,
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<PostResult> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Vigil-Notify', ...headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (cause ?? 'connection failed');
    throw new DeliveryError(`${channel}: ${reason}`, false);
  }
  const text = (await response.text().catch(() => '')).slice(0, 300);
  if (response.ok) return { status: response.status, body: text };
  const temporary = response.status === 408 || response.status === 429 || response.status >= 500;
  throw new DeliveryError(
    `${channel}: HTTP ${response.status}${text ? ` ${text.replace(/\s+/g, ' ').slice(0, 200)}` : ''}`,
    !temporary,
    retryAfterMs(response.headers.get('retry-after')),
  );
}
