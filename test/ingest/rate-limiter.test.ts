// The per-agent token bucket: a burst, then the sustained rate, each agent on its own,
// and a wait that is long enough when the agent honours it.
import { describe, expect, it } from 'vitest';
import { AgentRateLimiter } from '../../ingest/rate-limiter.ts';

function limiterAt(rate: number, burst: number) {
  const clock = { ms: 0 };
  return { clock, limiter: new AgentRateLimiter(rate, burst, () => clock.ms) };
}

describe('AgentRateLimiter', () => {
  it('allows a burst, then refuses with the seconds until the post would fit', () => {
    const { limiter } = limiterAt(100, 1000);
    expect(limiter.take('a', 1000)).toEqual({ ok: true });
    expect(limiter.take('a', 250)).toEqual({ ok: false, retryAfterSeconds: 3 });
    expect(limiter.peek('a')).toEqual({ ok: false, retryAfterSeconds: 1 });
  });

  it('takes a post whole or not at all, and refills at the rate up to the burst', () => {
    const { clock, limiter } = limiterAt(100, 1000);
    limiter.take('a', 1000);
    expect(limiter.take('a', 250).ok).toBe(false);
    clock.ms = 2500; // 250 tokens back: the refused post took none.
    expect(limiter.take('a', 250)).toEqual({ ok: true });
    clock.ms = 3_600_000;
    expect(limiter.take('a', 1000)).toEqual({ ok: true });
    expect(limiter.take('a', 1).ok).toBe(false);
  });

  it('keeps each agent’s bucket apart', () => {
    const { limiter } = limiterAt(1, 10);
    limiter.take('a', 10);
    expect(limiter.take('a', 1).ok).toBe(false);
    expect(limiter.take('b', 10)).toEqual({ ok: true });
  });

  it('never limits when the rate is 0', () => {
    const { limiter } = limiterAt(0, 1);
    expect(limiter.enabled).toBe(false);
    expect(limiter.take('a', 1_000_000)).toEqual({ ok: true });
  });
});
