// De-duplication of signals detect published twice. Detect commits its events position
// only after publishing a batch's signals, so a crash in between makes it publish that
// batch again. Every match carries `src`, its event's position on the events topic plus
// its index among that event's signals, strictly increasing per events partition; a
// signal at or before the last one applied from its events partition is a replay.
//
// One instance per signals partition: a match split over several shards carries the
// same `src` in each part, and each part is in its own partition (this was the bug of
// one de-duplication over all shards: the second part of a split match was dropped).
import { z } from 'zod';

const appliedSchema = z.record(z.string(), z.object({ o: z.number().int(), i: z.number().int() }));
export type AppliedSignalsState = z.infer<typeof appliedSchema>;

export class AppliedSignals {
  private readonly last = new Map<number, { o: number; i: number }>();

  /** Whether `src` is new (and now remembered as applied); false for a replay. */
  accept(src: { p: number; o: number; i: number }): boolean {
    const last = this.last.get(src.p);
    if (last !== undefined && (src.o < last.o || (src.o === last.o && src.i <= last.i))) return false;
    this.last.set(src.p, { o: src.o, i: src.i });
    return true;
  }

  snapshot(): AppliedSignalsState {
    return Object.fromEntries([...this.last].map(([partition, at]) => [String(partition), { ...at }]));
  }

  static restore(state: unknown): AppliedSignals {
    const applied = new AppliedSignals();
    for (const [partition, at] of Object.entries(appliedSchema.parse(state ?? {}))) applied.last.set(Number(partition), at);
    return applied;
  }
}
