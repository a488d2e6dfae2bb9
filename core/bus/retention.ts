// Keeps the embedded bus from growing forever, as Kafka's retention.ms does for a Kafka
// topic: every event is also in the store, so the log only needs what its consumers have
// not committed yet, plus a margin for replays and for consoles resuming their alert
// stream. A record a named group has not committed is never deleted, however old (a
// stopped detect must lose nothing). Compacted topics (checkpoints) are never pruned by
// age: their newest record per key is the state itself.
import type { EmbeddedBus } from './embedded-bus.ts';
import type { Logger } from '../log.ts';

const EVERY_MS = 10 * 60_000;

export interface RetentionOptions {
  retentionHours: number;
  /** Topics to prune, each with the consumer groups whose uncommitted records it keeps. */
  topics: Readonly<Record<string, readonly string[]>>;
  everyMs?: number;
  clock?: () => number;
}

export interface BusRetention {
  /** Deletes what is past retention now; answers how many records per topic. */
  prune(): Record<string, number>;
  stop(): void;
}

export function startBusRetention(bus: EmbeddedBus, options: RetentionOptions, log: Logger): BusRetention {
  const prune = () => {
    const olderThan = (options.clock ?? Date.now)() - options.retentionHours * 3600_000;
    const deleted: Record<string, number> = {};
    try {
      for (const [topic, keepFor] of Object.entries(options.topics)) deleted[topic] = bus.prune(topic, { olderThan, keepFor });
      if (Object.values(deleted).some((count) => count > 0)) {
        log.info({ stage: 'bus', deleted, retentionHours: options.retentionHours }, 'pruned old bus records');
      }
    } catch (error) {
      log.error({ stage: 'bus', err: error }, 'bus retention failed; will try again');
    }
    return deleted;
  };
  const timer = setInterval(prune, options.everyMs ?? EVERY_MS);
  timer.unref();
  prune();
  return {
    prune,
    stop: () => clearInterval(timer),
  };
}
