// Where simulated events go: Vigil's ingest API (one agent key per unit, and one for the
// wrong-clock agent) or NDJSON files, one per unit and agent (`<unit>.ndjson`,
// `<unit>.wrong-clock.ndjson`), for `vigil agent` or curl to send later. The API sink
// also sends the agents' heartbeats; the files carry none (`vigil agent` beats itself
// when it sends them).
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SimEvent } from './background.ts';
import type { SimAgent } from './heartbeats.ts';
import { Pacer, postBatch, postHeartbeat } from './ingest-client.ts';

export interface SinkStats {
  accepted: number;
  rejected: number;
  retries: number;
  /** Heartbeats Vigil answered 200 to. */
  heartbeats: number;
  /** Heartbeats refused (429, 503) or lost on the way; not retried, as an agent does not. */
  heartbeatsMissed: number;
}

export interface Sink {
  /** Sends a batch of one unit's agent, in time order. */
  send(unit: string, agent: SimEvent['agent'], events: Record<string, unknown>[]): Promise<void>;
  /** Sends one heartbeat for each agent key among `agents` (several agents may share one key). */
  beat(agents: readonly SimAgent[]): Promise<void>;
  /** Vigil's event time (its correlation watermark, epoch ms), for agents back from an outage; absent: not known. */
  readonly eventTime?: () => Promise<number | null>;
  /** Counted on the way: accepted, rejected, retried, heartbeats. */
  readonly stats: SinkStats;
}

/** Keys by unit: `main` for the unit's usual agent, `wrongClock` for the skewed one. */
export type KeyFor = (unit: string, agent: SimEvent['agent']) => string;

const HEARTBEAT_CONCURRENCY = 8;

function emptyStats(): SinkStats {
  return { accepted: 0, rejected: 0, retries: 0, heartbeats: 0, heartbeatsMissed: 0 };
}

/** `eventTime`: how to read Vigil's event time (needs a signed-in session; see vigil-api.ts). */
export function ingestSink(url: string, keyFor: KeyFor, rate: number | undefined, eventTime?: () => Promise<number | null>): Sink {
  const pacer = new Pacer(rate);
  const stats = emptyStats();
  let unsupported = false;
  return {
    stats,
    ...(eventTime === undefined ? {} : { eventTime }),
    async send(unit, agent, events) {
      await pacer.wait(events.length);
      const result = await postBatch(url, keyFor(unit, agent), events);
      stats.accepted += result.accepted;
      stats.rejected += result.rejected;
      stats.retries += result.retries;
    },
    async beat(agents) {
      if (unsupported) return;
      const keys = [...new Set(agents.map((agent) => keyFor(agent.unit, agent.agent)))];
      for (let i = 0; i < keys.length; i += HEARTBEAT_CONCURRENCY) {
        const answers = await Promise.all(keys.slice(i, i + HEARTBEAT_CONCURRENCY).map((key) => postHeartbeat(url, key)));
        for (const answer of answers) {
          if (answer === 'sent') stats.heartbeats += 1;
          else if (answer === 'missed') stats.heartbeatsMissed += 1;
          // A Vigil older than heartbeats: asked no more, as `vigil agent` does.
          else unsupported = true;
        }
      }
    },
  };
}

export function fileSink(dir: string): Sink {
  mkdirSync(dir, { recursive: true });
  const stats = emptyStats();
  return {
    stats,
    async send(unit, agent, events) {
      const file = join(dir, agent === 'main' ? `${unit}.ndjson` : `${unit}.${agent}.ndjson`);
      appendFileSync(file, events.map((event) => JSON.stringify(event)).join('\n') + '\n');
      stats.accepted += events.length;
    },
    async beat() {
      // Nothing to write: the agent that sends these files beats on its own.
    },
  };
}
