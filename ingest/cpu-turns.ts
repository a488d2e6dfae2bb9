// Shares the main thread between requests that have CPU work to do (splitting, parsing,
// validating and stamping a large post). Ingest, the API and the console's WebSocket
// share one JavaScript thread, so a post of 10,000 events decoded in one go would
// freeze all of them for a few hundred milliseconds. Here each post works in slices of
// a few milliseconds, one slice per turn of the event loop, posts taking turns in
// arrival order, so /healthz, the console and a small agent's post wait at most for
// one slice, not for a flooding agent's whole body.
//
// Why slices and not a worker pool: the work per event is small (tens of microseconds)
// and its result (the parsed, stamped event) would have to be copied back to the main
// thread to be published, which costs about as much as producing it; on the two-core
// machines we run on, detect and the store writer already own the other core.
import { setImmediate as nextTurn } from 'node:timers';
import { performance } from 'node:perf_hooks';

export class CpuTurns {
  private readonly waiting: (() => void)[] = [];
  private busy = false;
  private dispatching = false;

  /** @param sliceMs longest run of one request's work before others get a turn. */
  constructor(private readonly sliceMs = 5) {}

  /**
   * Calls `step` until it answers true, in slices. A step should be small (one event,
   * or a bounded stretch of bytes); one that throws ends the run with its error.
   */
  async run(step: () => boolean): Promise<void> {
    for (;;) {
      await this.take();
      try {
        const sliceEnd = performance.now() + this.sliceMs;
        do {
          if (step()) return;
        } while (performance.now() < sliceEnd);
      } finally {
        this.release();
      }
    }
  }

  private take(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.dispatch();
    });
  }

  private release(): void {
    this.busy = false;
    this.dispatch();
  }

  /**
   * Hands the next turn over on a later turn of the event loop (setImmediate runs after
   * pending I/O), so waiting sockets are served between any two slices.
   */
  private dispatch(): void {
    if (this.busy || this.dispatching || this.waiting.length === 0) return;
    this.dispatching = true;
    nextTurn(() => {
      this.dispatching = false;
      const next = this.waiting.shift();
      if (next === undefined) return;
      this.busy = true;
      next();
    });
  }
}
