// Collects one listener's bus messages and publishes them in batches (up to maxBatch
// messages, or whatever arrived within lingerMs), so a burst of syslog costs a few
// durable publishes, not one per line.
//
// When the bus fails the two transports differ, as their senders do: UDP has no way
// to slow a sender down, so a failed batch is dropped and counted ("drop" mode); TCP
// has, so the batch is kept and retried with backoff ("retry" mode) and the listener
// pauses its sockets while the batcher is `congested`, until it emits "drain".
import { EventEmitter } from 'node:events';
import type { BusMessage } from '../../core/ports/bus.ts';

export interface BatcherOptions {
  publish: (messages: BusMessage[]) => Promise<void>;
  mode: 'drop' | 'retry';
  maxBatch: number;
  lingerMs: number;
  /** Messages waiting beyond which the batcher is congested (retry) or drops new ones (drop). */
  maxPending: number;
  onPublished: (count: number) => void;
  onDropped: (count: number, reason: 'bus_unavailable' | 'backlog_full' | 'stopped') => void;
  onPublishError: (error: unknown, batch: number) => void;
  retryInitialMs?: number;
  retryMaxMs?: number;
}

export class EventBatcher extends EventEmitter<{ drain: []; congested: [] }> {
  private pending: BusMessage[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private failing = false;
  private retryMs: number;
  private wasCongested = false;
  private stopped = false;

  constructor(private readonly options: BatcherOptions) {
    super();
    this.retryMs = options.retryInitialMs ?? 200;
  }

  /** Messages waiting to be published. */
  get size(): number {
    return this.pending.length;
  }

  /** TCP listeners stop reading while this holds. */
  get congested(): boolean {
    return this.failing || this.pending.length >= this.options.maxPending;
  }

  /** false when the message was dropped (drop mode, backlog full, or stopped). */
  add(message: BusMessage): boolean {
    if (this.stopped) {
      this.options.onDropped(1, 'stopped');
      return false;
    }
    if (this.options.mode === 'drop' && this.pending.length >= this.options.maxPending) {
      this.options.onDropped(1, 'backlog_full');
      return false;
    }
    this.pending.push(message);
    if (this.pending.length >= this.options.maxBatch) this.schedule(0);
    else this.schedule(this.options.lingerMs);
    this.announce();
    return true;
  }

  /** Publishes what is waiting; in retry mode keeps trying until `deadlineMs`, then drops and counts the rest. */
  async stop(deadlineMs = 5_000): Promise<void> {
    this.stopped = true;
    const deadline = Date.now() + deadlineMs;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (;;) {
      await this.inFlight;
      if (this.pending.length === 0) return;
      if (Date.now() >= deadline) {
        this.options.onDropped(this.pending.length, 'stopped');
        this.pending = [];
        return;
      }
      if (this.failing) await new Promise((resolve) => setTimeout(resolve, Math.min(this.retryMs, Math.max(0, deadline - Date.now()))));
      this.publishNext();
    }
  }

  private schedule(delayMs: number): void {
    if (this.inFlight || this.stopped) return;
    // While the bus fails, the backoff timer alone decides when to try again.
    if (this.timer && (delayMs > 0 || this.failing)) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.publishNext();
    }, delayMs);
  }

  private publishNext(): void {
    if (this.inFlight || this.pending.length === 0) return;
    const batch = this.pending.splice(0, this.options.maxBatch);
    this.inFlight = this.options.publish(batch).then(
      () => {
        this.failing = false;
        this.retryMs = this.options.retryInitialMs ?? 200;
        this.options.onPublished(batch.length);
      },
      (error: unknown) => {
        this.options.onPublishError(error, batch.length);
        if (this.options.mode === 'drop') {
          this.options.onDropped(batch.length, 'bus_unavailable');
          return;
        }
        this.failing = true;
        this.pending.unshift(...batch);
      },
    ).finally(() => {
      this.inFlight = undefined;
      this.announce();
      if (this.stopped || this.pending.length === 0) return;
      if (this.failing) {
        const wait = this.retryMs;
        this.retryMs = Math.min(this.retryMs * 2, this.options.retryMaxMs ?? 5_000);
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.publishNext();
        }, wait);
      } else {
        this.schedule(this.pending.length >= this.options.maxBatch ? 0 : this.options.lingerMs);
      }
    });
  }

  private announce(): void {
    const congested = this.congested;
    if (congested === this.wasCongested) return;
    this.wasCongested = congested;
    this.emit(congested ? 'congested' : 'drain');
  }
}
