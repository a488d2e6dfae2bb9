// Computes a correlation's aggregate over one window of a group's entries from
// scratch, in time order: used when a close-time window is decided, and to confirm
// an early firing whose running float sum is near its threshold.
import type { CorrelationPlan } from './correlation-plan.ts';
import type { GroupEntries } from './group-entries.ts';
import { OrderedChain } from './window-aggregate.ts';

/** The aggregate over entries first..last (inclusive). */
export function measureWindow(plan: CorrelationPlan, entries: GroupEntries, first: number, last: number): number {
  const count = last - first + 1;
  switch (plan.type) {
    case 'event_count':
      return count;
    case 'value_count':
      return new Set(entries.values.slice(first, last + 1)).size;
    case 'temporal': {
      const seen = new Uint8Array(plan.distinctRules);
      let distinct = 0;
      for (let index = first; index <= last; index++) {
        const rule = entries.rules[index]!;
        if (seen[rule] === 0) {
          seen[rule] = 1;
          distinct += 1;
        }
      }
      return distinct;
    }
    case 'temporal_ordered': {
      const chain = new OrderedChain(plan.orderedPositions, plan.orderLength);
      for (let index = first; index <= last; index++) chain.add(entries, index);
      return chain.value(entries.times[first]!);
    }
    case 'value_sum':
      return sum(entries, first, last);
    case 'value_avg':
      return sum(entries, first, last) / count;
    case 'value_percentile':
      return nearestRankPercentile(entries.values.slice(first, last + 1) as number[], plan.percentile);
  }
}

function sum(entries: GroupEntries, first: number, last: number): number {
  let total = 0;
  for (let index = first; index <= last; index++) total += entries.values[index] as number;
  return total;
}

/**
 * Nearest-rank percentile: sort ascending, take the value at rank ⌈p/100 × n⌉
 * (1-based, at least 1). p=50 of [1,2,3,4] is 2; p=0 is the minimum; p=100 the maximum.
 */
export function nearestRankPercentile(values: number[], percentile: number): number {
  values.sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((percentile / 100) * values.length));
  return values[rank - 1]!;
}
