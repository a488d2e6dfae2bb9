// Posts simulated events through Vigil's real ingest API, as an agent does: NDJSON
// batches, gzipped, with the unit's agent key; a 429 or 503 is retried after its
// Retry-After, a network error after a short backoff. Optionally paced to a rate. And
// heartbeats, as the agent sends them.
import { gzipSync } from 'node:zlib';
import { z } from 'zod';
import { VigilError } from '../core/errors.ts';

/** Vigil did not take a batch: where (the ingest URL) and what it answered. */
export class SimulatePostError extends VigilError {
  constructor(message: string, details: { url: string; status?: number }) {
    super('simulate_post_failed', message, 'ingest', details.status ?? 502, details);
    this.name = 'SimulatePostError';
  }
}

const answerSchema = z.looseObject({ accepted: z.number().optional(), rejected: z.array(z.unknown()).optional() });

export interface PostResult {
  accepted: number;
  rejected: number;
  retries: number;
}

const MAX_ATTEMPTS = 20;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Posts one batch; resolves when Vigil accepted it (202), retrying what may be retried. */
export async function postBatch(url: string, key: string, events: readonly Record<string, unknown>[]): Promise<PostResult> {
  const body = gzipSync(events.map((event) => JSON.stringify(event)).join('\n') + '\n');
  let retries = 0;
  for (let attempt = 1; ; attempt += 1) {
    let response: Response;
    try {
      response = await fetch(`${url}/api/v1/events`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/x-ndjson', 'Content-Encoding': 'gzip' },
        body: new Uint8Array(body),
      });
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS) throw new SimulatePostError(`cannot reach ${url}: ${(error as Error).message}`, { url });
      retries += 1;
      await sleep(Math.min(10_000, 250 * 2 ** attempt));
      continue;
    }
    const text = await response.text();
    if (response.status === 429 || response.status === 503) {
      if (attempt >= MAX_ATTEMPTS) throw new SimulatePostError(`Vigil kept answering ${response.status}`, { url });
      const after = Number(response.headers.get('retry-after'));
      retries += 1;
      await sleep(Number.isFinite(after) && after > 0 ? after * 1000 : 1000);
      continue;
    }
    if (response.status !== 202) throw new SimulatePostError(`ingest answered ${response.status}: ${text.slice(0, 300)}`, { url, status: response.status });
    const answer = answerSchema.safeParse(JSON.parse(text));
    return { accepted: answer.success ? (answer.data.accepted ?? events.length) : events.length, rejected: answer.success ? (answer.data.rejected?.length ?? 0) : 0, retries };
  }
}

/**
 * Posts one heartbeat with the key (POST /api/v1/heartbeat, no body), as `vigil agent`
 * does. A refused (429, 503) or failed one is not retried, as the agent does not: the
 * next one is due soon and says the same. `unsupported`: a Vigil without the route.
 */
export async function postHeartbeat(url: string, key: string): Promise<'sent' | 'missed' | 'unsupported'> {
  let response: Response;
  try {
    response = await fetch(`${url}/api/v1/heartbeat`, { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'User-Agent': 'vigil-simulate' } });
    await response.text();
  } catch {
    return 'missed';
  }
  if (response.status === 401) throw new SimulatePostError('the heartbeat route refused the agent key (401)', { url, status: 401 });
  if (response.status === 404) return 'unsupported';
  return response.status === 200 ? 'sent' : 'missed';
}

/** Keeps a sender at `rate` events a second (undefined: as fast as Vigil takes them). */
export class Pacer {
  private readonly began = Date.now();
  private sent = 0;

  constructor(private readonly rate: number | undefined) {}

  async wait(count: number): Promise<void> {
    this.sent += count;
    if (this.rate === undefined) return;
    const due = this.began + (this.sent / this.rate) * 1000;
    const ahead = due - Date.now();
    if (ahead > 0) await sleep(ahead);
  }
}
