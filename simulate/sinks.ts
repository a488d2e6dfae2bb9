// Where simulated events go: Vigil's ingest API (one agent key per unit, and one for the
// wrong-clock agent) or NDJSON files, one per unit and agent (`<unit>.ndjson`,
// `<unit>.wrong-clock.ndjson`), for `vigil agent` or curl to send later.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SimEvent } from './background.ts';
import { Pacer, postBatch } from './ingest-client.ts';

export interface Sink {
  /** Sends a batch of one unit's agent, in time order. */
  send(unit: string, agent: SimEvent['agent'], events: Record<string, unknown>[]): Promise<void>;
  /** Counted on the way: accepted, rejected, retried. */
  readonly stats: { accepted: number; rejected: number; retries: number };
}

/** Keys by unit: `main` for the unit's usual agent, `wrongClock` for the skewed one. */
export type KeyFor = (unit: string, agent: SimEvent['agent']) => string;

export function ingestSink(url: string, keyFor: KeyFor, rate: number | undefined): Sink {
  const pacer = new Pacer(rate);
  const stats = { accepted: 0, rejected: 0, retries: 0 };
  return {
    stats,
    async send(unit, agent, events) {
      await pacer.wait(events.length);
      const result = await postBatch(url, keyFor(unit, agent), events);
      stats.accepted += result.accepted;
      stats.rejected += result.rejected;
      stats.retries += result.retries;
    },
  };
}

export function fileSink(dir: string): Sink {
  mkdirSync(dir, { recursive: true });
  const stats = { accepted: 0, rejected: 0, retries: 0 };
  return {
    stats,
    async send(unit, agent, events) {
      const file = join(dir, agent === 'main' ? `${unit}.ndjson` : `${unit}.${agent}.ndjson`);
      appendFileSync(file, events.map((event) => JSON.stringify(event)).join('\n') + '\n');
      stats.accepted += events.length;
    },
  };
}
