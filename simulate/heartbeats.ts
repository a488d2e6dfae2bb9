// Which simulated agents say they are alive (POST /api/v1/heartbeat), and when. A real
// agent beats every 60 s whether or not it has anything to send, and Vigil stamps each
// heartbeat with its own clock on receipt: it never believes the agent's.
//
// The simulator replays a window that ends before the run starts, so every heartbeat it
// sends is stamped after the whole window, and Vigil's silence check (which compares it
// with event time) reads it as "alive from the last thing heard of this agent until
// now". That is true of an agent that is up for the rest of the window: it beats
// throughout, as a real one would. It is false of an agent whose unit goes dark later
// in the window: Vigil would hear it alive after the outage before it has seen the
// outage, and so never call the outage a silence. No real agent can do that (its
// heartbeats are stamped as they are sent, and during the outage it sends none). So an
// agent with an outage still ahead or under way does not beat, and one whose outages
// are over beats again only once Vigil's event time has passed the end of the last
// one, as it would have by then had the outage happened live.
import type { SimEvent } from './background.ts';

/** A real agent's heartbeat interval (agent.example.yml, heartbeat.interval_seconds). */
export const HEARTBEAT_EVERY_MS = 60_000;

/** One of a unit's agents, as the simulation sends with it (one agent key each). */
export interface SimAgent {
  readonly unit: string;
  readonly agent: SimEvent['agent'];
}

/** A span of simulated time in which a unit sends nothing at all (the silence scenario). */
export interface Outage {
  readonly unit: string;
  readonly from: number;
  readonly to: number;
}

export class HeartbeatSchedule {
  constructor(
    private readonly agents: readonly SimAgent[],
    private readonly outages: readonly Outage[],
  ) {}

  /**
   * The agents that beat at simulated time `time`, Vigil's event time (its correlation
   * watermark) being `vigilTime`; null when not known, so an agent back from an outage
   * keeps waiting.
   */
  beating(time: number, vigilTime: number | null): SimAgent[] {
    return this.agents.filter((agent) => {
      const mine = this.outages.filter((outage) => outage.unit === agent.unit);
      if (mine.some((outage) => outage.to > time)) return false;
      const over = Math.max(-Infinity, ...mine.map((outage) => outage.to));
      return over === -Infinity || (vigilTime !== null && vigilTime >= over);
    });
  }

  /** Whether an agent is over its outages at `time` but waits for Vigil's event time to pass them (worth asking Vigil). */
  waitsForVigil(time: number, vigilTime: number | null): boolean {
    return this.outages.some((outage) => outage.to <= time && (vigilTime === null || vigilTime < outage.to) && this.agents.some((agent) => agent.unit === outage.unit));
  }
}
