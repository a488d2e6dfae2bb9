// The topics Vigil's stages talk through, created at every process's start (creating
// an existing topic changes nothing, so replicas can race to it). The signals topic's
// partition count is the number of correlation shards, and the correlate stage's
// checkpoints have one key per signals partition, so both share that count.
import type { VigilConfig } from '../config.ts';
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

export async function ensureVigilTopics(bus: Bus, partitions: VigilConfig['partitions'], retentionMs?: number): Promise<void> {
  await bus.ensureTopics(vigilTopics(partitions, retentionMs));
}
