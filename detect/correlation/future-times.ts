// Counts, per agent, the events whose @timestamp was further in the future than the
// tolerance (detect clamps them for detection; issue 9): a clock that is wrong, or an
// agent trying to move time for everyone. Shown in the detection health view.
import { z } from 'zod';

/** Most agents listed; beyond it new agents are not listed (the counts of listed ones still grow). */
const MAX_AGENTS = 1_000;

const entrySchema = z.object({
  unit: z.string(),
  agent: z.string(),
  count: z.number().int().nonnegative(),
  /** Append time of the last progress record that reported one, epoch ms. */
  lastSeen: z.number(),
});
const stateSchema = z.array(entrySchema);
export type FutureTimesState = z.infer<typeof stateSchema>;

export interface FutureTimestampSource {
  readonly unit: string;
  readonly agent: string;
  readonly count: number;
  readonly lastSeen: string;
}

export class FutureTimes {
  private readonly agents = new Map<string, z.infer<typeof entrySchema>>();

  observe(unit: string, agent: string, count: number, seenAt: number): void {
    if (!(count > 0)) return;
    const key = `${unit}\u0000${agent}`;
    const known = this.agents.get(key);
    if (known !== undefined) {
      known.count += count;
      known.lastSeen = Math.max(known.lastSeen, seenAt);
    } else if (this.agents.size < MAX_AGENTS) {
      this.agents.set(key, { unit, agent, count, lastSeen: seenAt });
    }
  }

  list(): FutureTimestampSource[] {
    return [...this.agents.values()].map((entry) => ({
      unit: entry.unit,
      agent: entry.agent,
      count: entry.count,
      lastSeen: new Date(entry.lastSeen).toISOString(),
    }));
  }

  snapshot(): FutureTimesState {
    return [...this.agents.values()].map((entry) => ({ ...entry }));
  }

  static restore(state: unknown): FutureTimes {
    const times = new FutureTimes();
    for (const entry of stateSchema.parse(state ?? [])) times.agents.set(`${entry.unit}\u0000${entry.agent}`, { ...entry });
    return times;
  }
}
