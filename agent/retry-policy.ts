// When to send a batch again, and whether to at all. Exponential backoff with full
// jitter (a random wait between 0 and min(max, initial·2^attempt)) so agents that lost
// Vigil together do not come back together; a server's Retry-After (429 over the rate,
// 503 while the bus is down) is a floor the agent never undercuts.
//
// What each answer means for a batch:
// - 202: delivered (lines the server refused inside it are rejected, counted, logged);
// - 408, 429, 5xx, no answer at all: retry later;
// - 413: too large for this server's limits: split in halves and send each;
// - 401: the key is unknown or revoked: stop, keep the spool (an operator must act);
// - 400 naming the formats there are: this Vigil has no decoder for the input's format:
//   stop and keep the spool too (the lines are fine; the configuration is not);
// - any other 4xx: rejected, not retried (the same bytes would get the same answer).

export interface BackoffPolicy {
  initialBackoffMs: number;
  maxBackoffMs: number;
}

export type Verdict = 'delivered' | 'retry' | 'split' | 'unauthorized' | 'unknown_format' | 'rejected';

export function verdictFor(status: number): Verdict {
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  if (status === 413) return 'split';
  if (status === 401) return 'unauthorized';
  return 'rejected';
}

/** Full-jitter exponential backoff for the given attempt (0 for the first retry). */
export function backoffMs(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/** Retry-After as milliseconds: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null | undefined, now: number = Date.now()): number | undefined {
  if (header === null || header === undefined) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * How long to wait before the next attempt: the server's Retry-After when it sent one
 * (plus a little jitter, never less), else the jittered backoff.
 */
export function retryDelayMs(attempt: number, retryAfterMs: number | undefined, policy: BackoffPolicy, random: () => number = Math.random): number {
  if (retryAfterMs === undefined) return backoffMs(attempt, policy, random);
  return retryAfterMs + Math.floor(random() * Math.min(1000, policy.initialBackoffMs));
}
