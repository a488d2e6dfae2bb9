// What follows a failed attempt: exponential backoff (base × 2^(attempt−1), capped, or
// longer when the receiver asked us to wait), and after the last allowed attempt — or
// at once when the receiver refused the request itself — the dead-letter list. A test
// send is tried once: an admin waits for its outcome.
import type { DeliveryKind, FailureOutcome } from '../core/ports/notifications.ts';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 10_000, maxDelayMs: 3_600_000 };

export function backoffMs(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
}

export function afterFailure(
  policy: RetryPolicy,
  failure: { kind: DeliveryKind; attempt: number; permanent: boolean; retryAfterMs?: number | undefined },
  now: number,
): FailureOutcome {
  if (failure.kind === 'test') return { next: 'failed' };
  if (failure.permanent || failure.attempt >= policy.maxAttempts) return { next: 'dead' };
  const wait = Math.max(backoffMs(policy, failure.attempt), Math.min(failure.retryAfterMs ?? 0, policy.maxDelayMs));
  return { next: 'retry', at: now + wait };
}
