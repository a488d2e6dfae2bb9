// Per-agent-key rate limit: a token bucket per agent that refills at `ratePerSecond`
// events per second up to `burst`. A post costs one token per event it holds (counted
// before any is parsed) and is taken whole or not at all, so an agent over its rate
// gets 429 with how long to wait, and nothing from that post is accepted.
import { performance } from 'node:perf_hooks';

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  /** performance.now() of the last refill. */
  at: number;
}

/** Buckets kept before full (idle) ones are forgotten; a full bucket is the same as none. */
const SWEEP_AT = 10_000;

export class AgentRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  /** ratePerSecond 0 turns the limit off. */
  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get enabled(): boolean {
    return this.ratePerSecond > 0;
  }

  /** Whether the agent could send even one event now; checked before its body is read. */
  peek(agentId: string): RateDecision {
    return this.decide(this.refill(agentId), 1);
  }

  /** Takes `events` tokens, or none and says when enough will be there. */
  take(agentId: string, events: number): RateDecision {
    const bucket = this.refill(agentId);
    const decision = this.decide(bucket, events);
    if (decision.ok) bucket.tokens -= events;
    return decision;
  }

  private decide(bucket: Bucket, events: number): RateDecision {
    if (!this.enabled || bucket.tokens >= events) return { ok: true };
    const seconds = (events - bucket.tokens) / this.ratePerSecond;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(seconds)) };
  }

  private refill(agentId: string): Bucket {
    const now = this.now();
    let bucket = this.buckets.get(agentId);
    if (bucket === undefined) {
      if (this.buckets.size >= SWEEP_AT) this.sweep(now);
      bucket = { tokens: this.burst, at: now };
      this.buckets.set(agentId, bucket);
      return bucket;
    }
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerSecond);
    bucket.at = now;
    return bucket;
  }

  private sweep(now: number): void {
    for (const [id, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerSecond >= this.burst) this.buckets.delete(id);
    }
  }
}
