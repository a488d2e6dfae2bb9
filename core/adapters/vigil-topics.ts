// The topics Vigil's stages talk through, created at every process's start (creating
// an existing topic changes nothing, so replicas can race to it). The signals topic's
// partition count is the number of correlation shards, and the correlate stage's
// checkpoints have one key per signals partition, so both share that count.
import type { VigilConfig } from '../config.ts';
import { UnavailableError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { TOPICS, type Bus, type TopicSpec } from '../ports/bus.ts';

// On Kafka, events, signals and alerts are kept `retentionMs` (VIGIL_BUS_RETENTION_HOURS),
// set when a topic is created; an existing topic keeps what it has (change it with
// kafka-configs.sh). Compacted topics keep their newest record per key for good.
export function vigilTopics(partitions: VigilConfig['partitions'], retentionMs?: number): TopicSpec[] {
  const retention = retentionMs === undefined ? {} : { retentionMs };
  return [
    { name: TOPICS.events, partitions: partitions.events, ...retention },
    { name: TOPICS.signals, partitions: partitions.signals, ...retention },
    { name: TOPICS.alerts, partitions: partitions.alerts, ...retention },
    { name: TOPICS.correlateState, partitions: partitions.signals, compacted: true },
    // One snapshot per correlate member, newest kept: small, read whole by each api.
    { name: TOPICS.health, partitions: 1, compacted: true },
  ];
}

export interface BusWait {
  log?: Logger;
  /** How long to keep trying while the bus is unreachable. Default 2 minutes. */
  waitMs?: number;
}

const FIRST_RETRY_MS = 250;
const LONGEST_RETRY_MS = 5_000;

/**
 * Creates the topics, waiting while the bus is unreachable: processes of a cluster
 * start in any order (a broker that is still starting, a restart of everything), and a
 * process that gives up at once only turns a wait into a crash loop. Anything other
 * than unavailability (a bad partition count, a refused setting) fails at once.
 */
export async function ensureVigilTopics(
  bus: Bus,
  partitions: VigilConfig['partitions'],
  retentionMs?: number,
  wait: BusWait = {},
): Promise<void> {
  const giveUpAt = Date.now() + (wait.waitMs ?? 120_000);
  for (let delay = FIRST_RETRY_MS; ; delay = Math.min(delay * 2, LONGEST_RETRY_MS)) {
    try {
      await bus.ensureTopics(vigilTopics(partitions, retentionMs));
      return;
    } catch (error) {
      if (!(error instanceof UnavailableError) || Date.now() + delay > giveUpAt) throw error;
      wait.log?.warn({ err: error, retryInMs: delay }, 'the bus is unreachable; waiting for it before starting');
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
