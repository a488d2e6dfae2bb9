// When a write to the cluster is tried again, and how long to wait first. Pure, so the
// policy is tested on its own: a real node cannot be made to answer 429 on demand.
// An item (or a whole request) answered 429 (the cluster's write queue is full) or
// 5xx is retried with exponential backoff and full jitter, so a crowd of writers that
// were refused together do not come back together; anything else 4xx is final.

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** About a minute of trying (0.1 s doubling to 10 s) before the caller hears the store is unavailable. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 12, baseDelayMs: 100, maxDelayMs: 10_000 };

export type ItemOutcome = 'done' | 'retry' | 'failed';

/** One bulk item's HTTP status: 201/200 written, 409 `create` of an id already stored. */
export function eventItemOutcome(status: number): ItemOutcome {
  if (status >= 200 && status < 300) return 'done';
  // The event is already stored: the replay an idempotent write exists for.
  if (status === 409) return 'done';
  return isRetryable(status) ? 'retry' : 'failed';
}

export function isRetryable(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * The wait before attempt `attempt + 1` (attempt counts from 0): a uniformly random
 * share of `base * 2^attempt`, capped at `maxDelayMs`.
 */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
