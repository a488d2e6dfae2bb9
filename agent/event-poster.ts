// Sends one batch to Vigil's ingest: POST /api/v1/events, NDJSON, gzip, the agent's key
// as a bearer token, the input's format as `?format=` — always, `ecs` included: the agent
// knows what its files hold, so an agent key's default format (set in Vigil for senders
// that name none) never reinterprets them. Answers what
// Vigil said in the agent's terms; a network error or timeout is an answer too ("no
// answer": retry). Never throws for anything the server or the network does.
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { z } from 'zod';
import { parseRetryAfter, verdictFor, type Verdict } from './retry-policy.ts';

const gzipAsync = promisify(gzip);

export interface PostTarget {
  url: string;
  key: string;
  timeoutMs: number;
  /** Aborts the post when the agent stops (the batch stays in the spool). */
  signal?: AbortSignal;
}

/** A line Vigil refused inside a post: its 1-based line in the body, and why. */
export interface RefusedLine {
  line: number;
  error: string;
}

export interface PostOutcome {
  verdict: Verdict;
  /** The HTTP status, or 0 when there was no answer. */
  status: number;
  accepted: number;
  refused: RefusedLine[];
  /** The server's error message, or the network error's. */
  message: string;
  retryAfterMs?: number;
}

const acceptedSchema = z.object({
  accepted: z.number().int().min(0),
  rejected: z.array(z.looseObject({ line: z.number().optional(), index: z.number().optional(), error: z.string() })).default([]),
});
const errorSchema = z.object({
  error: z.object({
    code: z.string().optional(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
/** Ingest's 400 for a format it has no decoder for lists the formats it has. */
const formatsSchema = z.object({ formats: z.array(z.string()) });
const refusedSchema = z.object({
  rejected: z.array(z.looseObject({ line: z.number().optional(), index: z.number().optional(), error: z.string() })),
});

export function eventsUrl(base: string, format: string): string {
  return `${base}/api/v1/events?format=${encodeURIComponent(format)}`;
}

export async function postBatch(target: PostTarget, format: string, body: string): Promise<PostOutcome> {
  let response: Response;
  let text: string;
  try {
    const compressed = await gzipAsync(Buffer.from(body));
    response = await fetch(eventsUrl(target.url, format), {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${target.key}`,
        'Content-Type': 'application/x-ndjson',
        'Content-Encoding': 'gzip',
        'User-Agent': 'vigil-agent',
      },
      body: new Uint8Array(compressed),
      signal: target.signal ? AbortSignal.any([target.signal, AbortSignal.timeout(target.timeoutMs)]) : AbortSignal.timeout(target.timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    return { verdict: 'retry', status: 0, accepted: 0, refused: [], message: describeNetworkError(error) };
  }
  const json = safeJson(text);
  const verdict = verdictFor(response.status);
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  if (verdict === 'delivered') {
    const parsed = acceptedSchema.safeParse(json);
    if (!parsed.success) {
      // Not Vigil's answer (a proxy's page?): the batch may or may not be stored; its
      // ids make a resend harmless, so send it again.
      return { verdict: 'retry', status: response.status, accepted: 0, refused: [], message: `unexpected answer: ${text.slice(0, 200)}` };
    }
    return { verdict, status: response.status, accepted: parsed.data.accepted, refused: toRefused(parsed.data.rejected), message: '' };
  }
  const error = errorSchema.safeParse(json);
  const message = error.success ? error.data.error.message : text.slice(0, 300) || response.statusText;
  const details = error.success ? refusedSchema.safeParse(error.data.error.details) : undefined;
  const formats = error.success && response.status === 400 ? formatsSchema.safeParse(error.data.error.details) : undefined;
  const outcome: PostOutcome = {
    verdict: formats?.success ? 'unknown_format' : verdict,
    status: response.status,
    accepted: 0,
    refused: details?.success ? toRefused(details.data.rejected) : [],
    message,
  };
  if (retryAfterMs !== undefined) outcome.retryAfterMs = retryAfterMs;
  return outcome;
}

function toRefused(rejected: { line?: number | undefined; index?: number | undefined; error: string }[]): RefusedLine[] {
  return rejected.map((item) => ({ line: item.line ?? (item.index ?? 0) + 1, error: item.error }));
}

function describeNetworkError(error: unknown): string {
  const err = error as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError') return 'no answer within vigil.timeout_ms';
  return err.cause?.code ?? err.cause?.message ?? err.message;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
