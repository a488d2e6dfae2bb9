// One member of a group on the embedded bus: it owns every partition of the topic,
// announces them (onAssigned, whose answered positions it resumes after), then fetches
// after its positions, hands batches over, commits, and on stop announces revocation.
import type { BusRecord, Positions, Subscription } from '../ports/bus.ts';
import { UnavailableError } from '../errors.ts';

const RETRY_FIRST_MS = 200;
const RETRY_MAX_MS = 5000;

/** What the loop needs from the embedded bus (its @internal methods). */
export interface EmbeddedLog {
  readonly isOpen: boolean;
  fetch(topic: string, partition: number, offset: number, limit: number): BusRecord[];
  commit(topic: string, group: string, positions: ReadonlyMap<number, number>): void;
  onAppended(topic: string, listener: () => void): () => void;
}

export interface EmbeddedSubscriptionOptions {
  /** false: positions live in memory only and nothing is ever written to group_offsets. */
  commits: boolean;
  maxBatchRecords: number;
  pollIntervalMs: number;
  onError: ((error: unknown) => void) | undefined;
  onAssigned: ((partitions: readonly number[]) => Promise<Positions | void>) | undefined;
  onRevoked: ((partitions: readonly number[]) => Promise<void>) | undefined;
}

export class EmbeddedSubscription implements Subscription {
  readonly done: Promise<void>;
  private stopping = false;
  private wake: (() => void) | undefined;
  // Fairness: each fetch starts at the next partition, so a backlog in one partition
  // cannot hold back the others.
  private firstPartition = 0;
  private retryMs = RETRY_FIRST_MS;

  constructor(
    private readonly log: EmbeddedLog,
    readonly topic: string,
    readonly group: string,
    /** Last offset handled per partition (-1: none); every partition of the topic is present. */
    private readonly positions: Map<number, number>,
    private readonly onBatch: (batch: BusRecord[]) => Promise<void>,
    private readonly options: EmbeddedSubscriptionOptions,
  ) {
    this.done = this.run();
  }

  get commits(): boolean {
    return this.options.commits;
  }

  // Does not wait for itself: calling and awaiting stop() from inside onBatch would
  // deadlock, since stop waits for that very batch. Call it without awaiting there.
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.done;
  }

  private async run(): Promise<void> {
    const partitions = [...this.positions.keys()];
    if (!(await this.announceAssigned(partitions))) return;
    while (!this.stopping && this.log.isOpen) await this.turn();
    if (this.options.onRevoked && this.log.isOpen) {
      try {
        await this.options.onRevoked(partitions);
      } catch (error) {
        this.report(error);
      }
    }
  }

  /** Calls onAssigned until it succeeds (or the subscription stops) and applies its positions. */
  private async announceAssigned(partitions: number[]): Promise<boolean> {
    if (!this.options.onAssigned) return true;
    while (!this.stopping && this.log.isOpen) {
      try {
        const answered = await this.options.onAssigned(partitions);
        for (const [partition, offset] of Object.entries(answered ?? {})) {
          if (this.positions.has(Number(partition))) this.positions.set(Number(partition), offset);
        }
        this.retryMs = RETRY_FIRST_MS;
        return true;
      } catch (error) {
        this.report(error);
        await this.backOff();
      }
    }
    return false;
  }

  private async turn(): Promise<void> {
    let batch: BusRecord[];
    try {
      batch = this.fetch();
    } catch (error) {
      this.report(new UnavailableError(`cannot read ${this.topic} for group ${this.group}`, 'bus', error));
      await this.backOff();
      return;
    }
    if (batch.length === 0) {
      await this.pause(this.options.pollIntervalMs, true);
      return;
    }

    try {
      await this.onBatch(batch);
    } catch (error) {
      // Not committed and positions unchanged, so the next turn fetches the same records
      // again: a failing batch is retried until it succeeds or the subscription stops.
      this.report(error);
      await this.backOff();
      return;
    }

    const handled = new Map<number, number>();
    for (const record of batch) handled.set(record.partition, record.offset);
    if (this.options.commits) {
      try {
        this.log.commit(this.topic, this.group, handled);
      } catch (error) {
        // The batch was handled but its position is not stored: handing it over again
        // is the at-least-once promise, which idempotent writers absorb.
        this.report(new UnavailableError(`cannot commit ${this.topic} for group ${this.group}`, 'bus', error));
        await this.backOff();
        return;
      }
    }
    for (const [partition, offset] of handled) this.positions.set(partition, offset);
    this.retryMs = RETRY_FIRST_MS;
    // A handler that resolves without real I/O would otherwise keep this loop in
    // microtasks while a backlog drains, starving HTTP and timers in the same process.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  private fetch(): BusRecord[] {
    const count = this.positions.size;
    const batch: BusRecord[] = [];
    for (let i = 0; i < count && batch.length < this.options.maxBatchRecords; i += 1) {
      const partition = (this.firstPartition + i) % count;
      const after = this.positions.get(partition) ?? -1;
      batch.push(...this.log.fetch(this.topic, partition, after, this.options.maxBatchRecords - batch.length));
    }
    this.firstPartition = (this.firstPartition + 1) % count;
    return batch;
  }

  private async backOff(): Promise<void> {
    await this.pause(this.retryMs, false);
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }

  /** Waits `ms`, or less if the subscription stops or (when asked) this topic gets a publish. */
  private pause(ms: number, wakeOnPublish: boolean): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let unlisten: (() => void) | undefined;
      const finish = (): void => {
        clearTimeout(timer);
        unlisten?.();
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      if (wakeOnPublish) unlisten = this.log.onAppended(this.topic, finish);
      this.wake = finish;
    });
  }

  private report(error: unknown): void {
    try {
      this.options.onError?.(error);
    } catch {
      // A throwing error listener must not end the consumer loop.
    }
  }
}
