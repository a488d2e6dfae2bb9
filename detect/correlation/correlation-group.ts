// The live state of one correlation group (one correlation × one set of group-by
// values): its entries, the incremental aggregate of its newest window, whether it is
// decided at window close, and its place in the engine's deadline queue.
import type { CorrelationPlan } from './correlation-plan.ts';
import { GroupEntries } from './group-entries.ts';
import { createWindowAggregate, type WindowAggregate } from './window-aggregate.ts';

export class CorrelationGroup {
  readonly entries: GroupEntries;
  readonly aggregate: WindowAggregate;
  /**
   * Early mode: the first entry of the newest window [last entry − timespan, last
   * entry]; `aggregate` holds the entries from here to the end.
   */
  windowLeft = 0;
  /** Decided at window close: the plan says so, or a value_sum group met a negative value. */
  closeTime: boolean;
  /** The deadline under which the group sits in the queue; NaN when not queued. */
  queuedAt = Number.NaN;
  removed = false;
  private record: Readonly<Record<string, string>> | undefined;

  constructor(
    readonly plan: CorrelationPlan,
    /** JSON of the group-by values: unique within the correlation. */
    readonly key: string,
    /** Unique across correlations: the key of the group's persisted state. */
    readonly storageKey: string,
    /** Group-by values in the order of the plan's groupBy (null: the signal had none). */
    readonly values: readonly (string | null)[],
  ) {
    this.entries = new GroupEntries(plan.valueKind !== 'none');
    this.aggregate = createWindowAggregate(plan);
    this.closeTime = plan.mode === 'close';
  }

  /** The event time after which nothing can change the group without closing or expiring it. */
  deadline(): number {
    const timespan = this.plan.timespanMs;
    return this.closeTime ? this.entries.firstTime() + timespan : this.entries.lastTime() + timespan;
  }

  /** Group-by name → value, as firings carry it. */
  groupRecord(): Readonly<Record<string, string>> {
    if (this.record === undefined) {
      const record: Record<string, string> = {};
      this.plan.groupBy.forEach((name, index) => {
        const value = this.values[index];
        if (value !== null && value !== undefined) record[name] = value;
      });
      this.record = record;
    }
    return this.record;
  }

  /** Early mode, in-order: moves the window start to the first entry at or after `start`. */
  slideWindowTo(start: number): void {
    const { times } = this.entries;
    while (this.windowLeft < times.length && times[this.windowLeft]! < start) {
      this.aggregate.remove(this.entries, this.windowLeft);
      this.windowLeft += 1;
    }
  }

  /** Early mode: recomputes the newest window and its aggregate from the entries (after out-of-order changes). */
  rebuildWindow(): void {
    const entries = this.entries;
    this.aggregate.clear();
    if (entries.size === 0) {
      this.windowLeft = entries.end;
      return;
    }
    this.windowLeft = entries.lowerBound(entries.lastTime() - this.plan.timespanMs);
    for (let index = this.windowLeft; index < entries.end; index++) this.aggregate.add(entries, index);
  }

  /** Drops entries before `newHead` (expired or over the cap), keeping the window aggregate right. */
  dropBefore(newHead: number): void {
    const entries = this.entries;
    if (newHead <= this.windowLeft) {
      entries.head = newHead;
    } else if (this.aggregate.exactRemoval) {
      for (let index = this.windowLeft; index < newHead; index++) this.aggregate.remove(entries, index);
      entries.head = newHead;
      this.windowLeft = newHead;
    } else {
      entries.head = newHead;
      this.rebuildWindow();
    }
  }

  compact(): void {
    this.windowLeft -= this.entries.compact();
  }
}
