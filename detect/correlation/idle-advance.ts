// The correlate stage's idle timer. Event time moves with the events; when the whole
// pipeline is idle (detect and correlate have nothing pending), nothing would move it,
// and windows decided at close (lt, lte, eq, neq) and silent sources would wait for the
// next event. Every second, if idle, this moves event time to the wall clock.
export interface IdleAdvance {
  stop(): void;
}

const IDLE_TICK_MS = 1_000;

/**
 * Calls `tick` every second, never two at once; a failing tick is reported and tried
 * again on the next one. `tick` decides whether the pipeline is idle.
 */
export function startIdleAdvance(tick: () => Promise<void>, onError: (error: unknown) => void): IdleAdvance {
  let ticking = false;
  const timer = setInterval(() => {
    if (ticking) return;
    ticking = true;
    tick()
      .catch(onError)
      .finally(() => (ticking = false));
  }, IDLE_TICK_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
