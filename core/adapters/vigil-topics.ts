// The topics Vigil's stages talk through, created at every process's start (creating
// an existing topic changes nothing, so replicas can race to it). The signals topic's
// partition count is the number of correlation shards, and the correlate stage's
// checkpoints have one key per signals partition, so both share that count.
import type { VigilConfig } from '../config.ts';
import { TOPICS, type Bus, type TopicSpec } from '../ports/bus.ts';

export function vigilTopics(partitions: VigilConfig['partitions']): TopicSpec[] {
  return [
    { name: TOPICS.events, partitions: partitions.events },
    { name: TOPICS.signals, partitions: partitions.signals },
    { name: TOPICS.alerts, partitions: partitions.alerts },
    { name: TOPICS.correlateState, partitions: partitions.signals, compacted: true },
    // One snapshot per correlate member, newest kept: small, read whole by each api.
    { name: TOPICS.health, partitions: 1, compacted: true },
  ];
}

export async function ensureVigilTopics(bus: Bus, partitions: VigilConfig['partitions']): Promise<void> {
  await bus.ensureTopics(vigilTopics(partitions));
}
