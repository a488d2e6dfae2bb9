// Merges records read per partition into one list, oldest first by append time, while
// keeping each partition's own order: so a bounded read (readAfter) that cuts the merged
// list at its limit still returns, per partition, exactly the records right after the
// position it was given, and the caller can page on from the last one it saw.
import type { BusRecord } from '../ports/bus.ts';

export function mergeByTime(perPartition: readonly (readonly BusRecord[])[], limit: number): BusRecord[] {
  const heads = perPartition.map(() => 0);
  const merged: BusRecord[] = [];
  while (merged.length < limit) {
    let best = -1;
    for (let i = 0; i < perPartition.length; i += 1) {
      const candidate = perPartition[i]![heads[i]!];
      if (!candidate) continue;
      const current = best < 0 ? undefined : perPartition[best]![heads[best]!]!;
      if (!current || candidate.timestamp < current.timestamp) best = i;
    }
    if (best < 0) break;
    merged.push(perPartition[best]![heads[best]!]!);
    heads[best] = heads[best]! + 1;
  }
  return merged;
}
