// Per-channel rate limit with a digest for the surplus: a channel takes at most
// `per_minute` messages about single alerts in any 60 seconds; an alert beyond that is
// folded into the channel's open digest, which opens with the first folded alert and is
// sent once, `digest_minutes` later, as one message ("37 more alerts in unit X in the
// last 5 minutes"). The decisions are recorded in the outbox with the deliveries, and a
// restarted limiter is seeded from there, so a restart neither resets nor doubles them.
import { digestDeliveryKey } from './idempotency.ts';

const MINUTE_MS = 60_000;

export interface RateLimit {
  perMinute: number;
  digestMs: number;
}

export interface OpenDigest {
  key: string;
  windowStart: number;
  windowEnd: number;
}

export type RateDecision = { action: 'send' } | { action: 'fold'; digest: OpenDigest; opened: boolean };

export interface RateLimiter {
  decide(channel: string, limit: RateLimit, now: number): RateDecision;
}

export interface RateLimiterSeed {
  admissions: ReadonlyArray<{ channel: string; at: number }>;
  digests: ReadonlyArray<{ channel: string } & OpenDigest>;
}

export function createRateLimiter(seed: RateLimiterSeed = { admissions: [], digests: [] }): RateLimiter {
  /** Admission times within the last minute, oldest first, per channel. */
  const recent = new Map<string, number[]>();
  const digests = new Map<string, OpenDigest>();
  for (const { channel, at } of seed.admissions) {
    const list = recent.get(channel) ?? [];
    list.push(at);
    recent.set(channel, list);
  }
  for (const { channel, ...digest } of seed.digests) {
    const open = digests.get(channel);
    if (!open || open.windowEnd < digest.windowEnd) digests.set(channel, digest);
  }

  return {
    decide(channel, limit, now) {
      const list = recent.get(channel) ?? [];
      while (list.length > 0 && list[0]! <= now - MINUTE_MS) list.shift();
      recent.set(channel, list);
      if (list.length < limit.perMinute) {
        list.push(now);
        return { action: 'send' };
      }
      const open = digests.get(channel);
      if (open && now < open.windowEnd) return { action: 'fold', digest: open, opened: false };
      const digest = { key: digestDeliveryKey(channel, now), windowStart: now, windowEnd: now + limit.digestMs };
      digests.set(channel, digest);
      return { action: 'fold', digest, opened: true };
    },
  };
}
