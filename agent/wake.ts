// A sleep another part of the agent can cut short: the sender sleeps until a batch is
// spooled (or a backoff ends), the reader until the next poll, and stopping wakes both,
// so the agent never waits out a timer to notice work or a SIGTERM.
export class Wake {
  private readonly waiters = new Set<() => void>();

  /** Resolves after `ms`, on `wake()`, or when `signal` aborts, whichever comes first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  wake(): void {
    for (const done of [...this.waiters]) done();
  }
}
