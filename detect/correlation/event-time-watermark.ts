// Event time for correlation: the minimum over the events partitions of the time detect
// has reached in each (its progress records), so a fast partition never makes a slow
// partition's events late. A partition that has sent nothing for `sourceIdleMs` (an
// empty partition, a detect replica that died) counts as being at `now` instead: it
// cannot hold everyone back forever.
//
// Deterministic under replay: "heard at" and "now" are the signals records' append
// times, not the wall clock, so a replay after a restore rebuilds the same watermark.
import { z } from 'zod';

const stateSchema = z.object({
  /** When the first progress was heard: a partition never heard from counts as heard then. */
  since: z.number().nullable(),
  partitions: z.record(z.string(), z.object({ time: z.number(), heardAt: z.number() })),
});
export type WatermarkState = z.infer<typeof stateSchema>;

export interface WatermarkOptions {
  /** config.time.sourceIdleMs. */
  readonly sourceIdleMs: number;
  /** How many events partitions there are (each is waited for); 0 waits only for those heard from. */
  readonly partitions: number;
}

export class EventTimeWatermark {
  private since: number | null = null;
  private readonly progress = new Map<number, { time: number; heardAt: number }>();

  constructor(private readonly options: WatermarkOptions) {}

  /** Detect reached `time` in events `partition`; the record saying so was appended at `heardAt`. */
  observe(partition: number, time: number, heardAt: number): void {
    this.since ??= heardAt;
    const known = this.progress.get(partition);
    if (known === undefined) this.progress.set(partition, { time, heardAt });
    else {
      known.time = Math.max(known.time, time);
      known.heardAt = Math.max(known.heardAt, heardAt);
    }
  }

  /** The event time every partition has reached as of `now`; -Infinity before any progress. */
  at(now: number): number {
    if (this.since === null) return Number.NEGATIVE_INFINITY;
    let low = Number.POSITIVE_INFINITY;
    const count = Math.max(this.options.partitions, ...[...this.progress.keys()].map((partition) => partition + 1));
    for (let partition = 0; partition < count; partition++) {
      const known = this.progress.get(partition) ?? { time: Number.NEGATIVE_INFINITY, heardAt: this.since };
      const idle = now - known.heardAt >= this.options.sourceIdleMs;
      low = Math.min(low, idle ? Math.max(known.time, now) : known.time);
    }
    return low;
  }

  snapshot(): WatermarkState {
    return {
      since: this.since,
      partitions: Object.fromEntries([...this.progress].map(([partition, known]) => [String(partition), { ...known }])),
    };
  }

  static restore(options: WatermarkOptions, state: unknown): EventTimeWatermark {
    const watermark = new EventTimeWatermark(options);
    if (state === undefined || state === null) return watermark;
    const parsed = stateSchema.parse(state);
    watermark.since = parsed.since;
    for (const [partition, known] of Object.entries(parsed.partitions)) watermark.progress.set(Number(partition), { ...known });
    return watermark;
  }
}
