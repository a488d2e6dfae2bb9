// The entries one correlation group holds, oldest first, as parallel arrays (one slot
// per signal rather than one object) behind a head index, so the common cases (append
// a newer signal, drop the oldest, consume a window) cost O(1) and memory stays small
// with many groups. Entries are kept sorted by time; equal times keep arrival order.
export interface EntryUnit {
  readonly id: string;
  readonly name: string;
}

export interface EntryHost {
  readonly id?: string;
  readonly name?: string;
}

export class GroupEntries {
  readonly times: number[] = [];
  readonly eventIds: string[] = [];
  /** Index of the referenced rule among the correlation's distinct rules. */
  readonly rules: number[] = [];
  /** The aggregated value, only for value_* correlations (else left empty). */
  readonly values: (string | number)[] = [];
  /** undefined: a chained signal whose inner firing spanned several units. */
  readonly units: (EntryUnit | undefined)[] = [];
  readonly hosts: (EntryHost | undefined)[] = [];
  /** Entries before it are gone; their slots are reclaimed by `compact`. */
  head = 0;

  constructor(readonly withValues: boolean) {}

  get end(): number {
    return this.times.length;
  }

  get size(): number {
    return this.times.length - this.head;
  }

  firstTime(): number {
    return this.times[this.head]!;
  }

  lastTime(): number {
    return this.times[this.times.length - 1]!;
  }

  /** First index from head on whose time is ≥ `time` (end when none). */
  lowerBound(time: number): number {
    let low = this.head;
    let high = this.times.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.times[middle]! < time) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** First index from head on whose time is > `time`: where a signal at `time` goes (after its equals). */
  upperBound(time: number): number {
    let low = this.head;
    let high = this.times.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.times[middle]! <= time) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  insert(
    index: number,
    time: number,
    eventId: string,
    rule: number,
    value: string | number,
    unit: EntryUnit | undefined,
    host: EntryHost | undefined,
  ): void {
    if (index === this.times.length) {
      this.times.push(time);
      this.eventIds.push(eventId);
      this.rules.push(rule);
      if (this.withValues) this.values.push(value);
      this.units.push(unit);
      this.hosts.push(host);
      return;
    }
    this.times.splice(index, 0, time);
    this.eventIds.splice(index, 0, eventId);
    this.rules.splice(index, 0, rule);
    if (this.withValues) this.values.splice(index, 0, value);
    this.units.splice(index, 0, unit);
    this.hosts.splice(index, 0, host);
  }

  /** Removes entries [from, to). */
  removeRange(from: number, to: number): void {
    if (from === this.head) {
      this.head = to;
    } else if (to === this.times.length) {
      for (const column of this.columns()) column.length = from;
    } else {
      for (const column of this.columns()) column.splice(from, to - from);
    }
  }

  /** Reclaims the slots before head once they are most of the arrays; returns how far indices moved. */
  compact(): number {
    const shift = this.head;
    if (shift < 32 || shift * 2 < this.times.length) return 0;
    for (const column of this.columns()) column.splice(0, shift);
    this.head = 0;
    return shift;
  }

  private columns(): unknown[][] {
    const columns: unknown[][] = [this.times, this.eventIds, this.rules, this.units, this.hosts];
    if (this.withValues) columns.push(this.values);
    return columns;
  }
}
