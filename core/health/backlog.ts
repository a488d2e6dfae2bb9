// How far detection is behind, and how long it will take to catch up: the figure an
// analyst needs when an outbreak's burst arrives ("38,000 events behind, caught up in
// about 2 minutes" or "falling further behind"), and what ingest tells agents in
// Retry-After when it refuses posts above the backlog bound.
//
// Rates come from the events topic's positions, read through the Bus port on both
// adapters: how many records were appended (inflow) and how many the detect group
// committed (drain) per second over the last minute. The backlog shrinks only when the
// drain outruns the inflow; the estimate says "not catching up" rather than invent a
// time when it does not.
import type { Bus } from '../ports/bus.ts';

export interface Backlog {
  /** Records appended and not yet committed by the group. */
  readonly events: number;
  /** Records the group committed per second, over the window. */
  readonly drainPerSecond: number;
  /** Records appended per second, over the window. */
  readonly inflowPerSecond: number;
  /** Seconds until the backlog is gone at these rates; 0 when there is none; null when it is not shrinking. */
  readonly catchUpSeconds: number | null;
}

/** Totals over partitions at one moment: appended (end positions + 1) and done (committed positions + 1). */
export interface TopicProgress {
  readonly at: number;
  readonly appended: number;
  readonly done: number;
  readonly lag: number;
}

export const NO_BACKLOG: Backlog = { events: 0, drainPerSecond: 0, inflowPerSecond: 0, catchUpSeconds: 0 };

const WINDOW_MS = 60_000;

export async function readTopicProgress(bus: Bus, topic: string, group: string, now = Date.now()): Promise<TopicProgress> {
  const [ends, committed, lag] = await Promise.all([bus.endPositions(topic), bus.committed(topic, group), bus.lag(topic, group)]);
  let appended = 0;
  let done = 0;
  for (const [partition, end] of Object.entries(ends)) {
    appended += end + 1;
    done += (committed[Number(partition)] ?? -1) + 1;
  }
  return { at: now, appended, done, lag };
}

/** Keeps the last minute of progress samples and estimates the backlog from them. */
export class BacklogEstimator {
  private readonly samples: TopicProgress[] = [];

  constructor(private readonly windowMs = WINDOW_MS) {}

  add(sample: TopicProgress): Backlog {
    this.samples.push(sample);
    // Keep one sample older than the window, so the rates always span about a window.
    while (this.samples.length > 2 && this.samples[1]!.at <= sample.at - this.windowMs) this.samples.shift();
    return this.estimate();
  }

  estimate(): Backlog {
    const newest = this.samples.at(-1);
    if (newest === undefined) return NO_BACKLOG;
    const oldest = this.samples[0]!;
    const seconds = (newest.at - oldest.at) / 1000;
    const drainPerSecond = seconds > 0 ? Math.max(0, newest.done - oldest.done) / seconds : 0;
    const inflowPerSecond = seconds > 0 ? Math.max(0, newest.appended - oldest.appended) / seconds : 0;
    const events = newest.lag;
    let catchUpSeconds: number | null = 0;
    if (events > 0) {
      const shrinking = drainPerSecond - inflowPerSecond;
      catchUpSeconds = shrinking > 0 ? Math.ceil(events / shrinking) : null;
    }
    return { events, drainPerSecond: round(drainPerSecond), inflowPerSecond: round(inflowPerSecond), catchUpSeconds };
  }
}

function round(rate: number): number {
  return Math.round(rate * 10) / 10;
}

/**
 * Samples the detect group's progress on the events topic every `intervalMs` in the
 * background and keeps the latest estimate, so a hot path (ingest's admission check)
 * reads it without a round trip to the bus. A failed read keeps the last estimate.
 */
export class BacklogMonitor {
  private readonly estimator = new BacklogEstimator();
  private latest: Backlog = NO_BACKLOG;
  private readonly timer: NodeJS.Timeout;
  private sampling: Promise<void> | undefined;

  constructor(
    private readonly read: () => Promise<TopicProgress>,
    intervalMs = 2_000,
  ) {
    this.timer = setInterval(() => void this.sample(), intervalMs);
    this.timer.unref();
    void this.sample();
  }

  current(): Backlog {
    return this.latest;
  }

  /** One sample now (also what the timer does); resolves once it is in. */
  sample(): Promise<void> {
    this.sampling ??= this.read()
      .then((progress) => {
        this.latest = this.estimator.add(progress);
      })
      .catch(() => undefined)
      .finally(() => {
        this.sampling = undefined;
      });
    return this.sampling;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
