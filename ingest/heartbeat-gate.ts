// How often an agent's heartbeat is passed on to the correlate stage: at most once per
// interval per agent. Silence is judged over tens of minutes, so one heartbeat a few
// seconds after another tells nothing more, and an agent that posts heartbeats in a loop
// (a bug, or hostile) must not turn each into a durable bus write. The agent's rate
// limit still counts every post; this only decides which of them are published.

/** One heartbeat per agent is published per this many ms. */
export const HEARTBEAT_PUBLISH_EVERY_MS = 15_000;
/** Agents remembered before those not heard within the interval are forgotten. */
const SWEEP_AT = 10_000;

export class HeartbeatGate {
  private readonly last = new Map<string, number>();

  constructor(private readonly everyMs: number = HEARTBEAT_PUBLISH_EVERY_MS) {}

  /** Whether a heartbeat of this agent received at `now` (epoch ms) should be published. */
  due(agentId: string, now: number): boolean {
    const last = this.last.get(agentId);
    // A clock that went back (an injected one, or NTP) publishes rather than going quiet for long.
    return last === undefined || now - last >= this.everyMs || now < last;
  }

  /** Records that the agent's heartbeat of `now` was published. */
  published(agentId: string, now: number): void {
    if (this.last.size >= SWEEP_AT && !this.last.has(agentId)) {
      for (const [id, at] of this.last) if (now - at >= this.everyMs) this.last.delete(id);
    }
    this.last.set(agentId, now);
  }
}
