// The aggregate of a sliding window of a group's entries, kept incrementally: adding
// the newest entry and sliding the oldest out are O(1), so an in-order signal does not
// rescan its window. One kind per early-firing correlation type.
import type { CorrelationPlan } from './correlation-plan.ts';
import type { GroupEntries } from './group-entries.ts';

export interface WindowAggregate {
  /**
   * Whether `remove` forgets an entry entirely. The ordered chain cannot: its window
   * start hides chains that begin too early, which is enough to slide, but an entry
   * dropped from inside the window forces a rebuild.
   */
  readonly exactRemoval: boolean;
  /** Whether `value` may drift from a fresh in-order computation (a running float sum). */
  readonly approximate: boolean;
  add(entries: GroupEntries, index: number): void;
  remove(entries: GroupEntries, index: number): void;
  /** The aggregate over the entries added and not removed, for a window starting at `windowStart`. */
  value(windowStart: number): number;
  clear(): void;
}

export function createWindowAggregate(plan: CorrelationPlan): WindowAggregate {
  switch (plan.type) {
    case 'value_count':
      return new DistinctValues();
    case 'value_sum':
      return new RunningSum();
    case 'temporal':
      return new RulesSeen(plan.distinctRules);
    case 'temporal_ordered':
      return new OrderedChain(plan.orderedPositions, plan.orderLength);
    default:
      // event_count, and the close-time types whose groups never use it.
      return new EntryCount();
  }
}

class EntryCount implements WindowAggregate {
  readonly exactRemoval = true;
  readonly approximate = false;
  private count = 0;

  add(): void {
    this.count += 1;
  }

  remove(): void {
    this.count -= 1;
  }

  value(): number {
    return this.count;
  }

  clear(): void {
    this.count = 0;
  }
}

class DistinctValues implements WindowAggregate {
  readonly exactRemoval = true;
  readonly approximate = false;
  private readonly counts = new Map<string, number>();

  add(entries: GroupEntries, index: number): void {
    const value = entries.values[index] as string;
    this.counts.set(value, (this.counts.get(value) ?? 0) + 1);
  }

  remove(entries: GroupEntries, index: number): void {
    const value = entries.values[index] as string;
    const count = this.counts.get(value) ?? 0;
    if (count <= 1) this.counts.delete(value);
    else this.counts.set(value, count - 1);
  }

  value(): number {
    return this.counts.size;
  }

  clear(): void {
    this.counts.clear();
  }
}

class RunningSum implements WindowAggregate {
  readonly exactRemoval = true;
  readonly approximate = true;
  private sum = 0;

  add(entries: GroupEntries, index: number): void {
    this.sum += entries.values[index] as number;
  }

  remove(entries: GroupEntries, index: number): void {
    this.sum -= entries.values[index] as number;
  }

  value(): number {
    return this.sum;
  }

  clear(): void {
    this.sum = 0;
  }
}

class RulesSeen implements WindowAggregate {
  readonly exactRemoval = true;
  readonly approximate = false;
  private readonly counts: Int32Array;
  private seen = 0;

  constructor(distinctRules: number) {
    this.counts = new Int32Array(distinctRules);
  }

  add(entries: GroupEntries, index: number): void {
    const rule = entries.rules[index]!;
    const count = this.counts[rule]!;
    this.counts[rule] = count + 1;
    if (count === 0) this.seen += 1;
  }

  remove(entries: GroupEntries, index: number): void {
    const rule = entries.rules[index]!;
    const count = this.counts[rule]! - 1;
    this.counts[rule] = count;
    if (count === 0) this.seen -= 1;
  }

  value(): number {
    return this.seen;
  }

  clear(): void {
    this.counts.fill(0);
    this.seen = 0;
  }
}

/**
 * temporal_ordered: `chainStart[k]` is the latest start time of an occurrence of the
 * first k+1 rules in order (non-decreasing times, ties in arrival order) among the
 * entries added. The value for a window is the longest such prefix that starts
 * inside it. Entries must be added in time order.
 */
export class OrderedChain implements WindowAggregate {
  readonly exactRemoval = false;
  readonly approximate = false;
  private readonly chainStart: Float64Array;

  constructor(
    private readonly positions: readonly (readonly number[])[],
    length: number,
  ) {
    this.chainStart = new Float64Array(length).fill(-Infinity);
  }

  add(entries: GroupEntries, index: number): void {
    const time = entries.times[index]!;
    // Highest position first, so one entry never extends a chain it just started.
    for (const position of this.positions[entries.rules[index]!]!) {
      const start = position === 0 ? time : this.chainStart[position - 1]!;
      if (start > this.chainStart[position]!) this.chainStart[position] = start;
    }
  }

  remove(): void {
    // Chains that start before the window are ignored by `value`.
  }

  value(windowStart: number): number {
    let length = 0;
    while (length < this.chainStart.length && this.chainStart[length]! >= windowStart) length += 1;
    return length;
  }

  clear(): void {
    this.chainStart.fill(-Infinity);
  }
}
