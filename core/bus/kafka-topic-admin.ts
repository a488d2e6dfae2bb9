// Topic and group administration on Kafka for the bus: creating topics, partition counts,
// end positions, a group's committed positions and lag (kafkajs admin), and deleting the
// short-lived groups of non-committing tails and readers. Converts Kafka's "next offset
// to read" into the port's "last offset handled" in one place.
import type { Admin, Kafka } from 'kafkajs';
import { UnavailableError, VigilError } from '../errors.ts';
import type { Positions, TopicSpec } from '../ports/bus.ts';
import { isUnknownTopic, withDeadline } from './kafka-client.ts';

const ADMIN_DEADLINE_MS = 15_000;
const DELETE_GROUP_ATTEMPTS = 10;
const MAX_PARTITIONS = 10_000;
const RETRIABLE_ATTEMPTS = 5;

export class KafkaTopicAdmin {
  private readonly admin: Admin;
  private connected: Promise<void> | undefined;
  // Partition counts only ever grow, and ours never change after creation: cached.
  private readonly partitions = new Map<string, number>();

  constructor(kafka: Kafka, private readonly replicationFactor: number) {
    this.admin = kafka.admin();
  }

  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    for (const topic of topics) {
      if (typeof topic.name !== 'string' || !/^[a-zA-Z0-9._-]{1,249}$/.test(topic.name)) {
        throw new VigilError('invalid_topic', `a Kafka topic name is 1-249 of [a-zA-Z0-9._-], got ${JSON.stringify(topic.name)}`, 'bus');
      }
      if (!Number.isInteger(topic.partitions) || topic.partitions < 1 || topic.partitions > MAX_PARTITIONS) {
        throw new VigilError('invalid_option', `${topic.name}: partitions must be an integer from 1 to ${MAX_PARTITIONS}, got ${topic.partitions}`, 'bus');
      }
    }
    await this.call(`create topics ${topics.map((topic) => topic.name).join(', ')}`, async (admin) => {
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((topic) => !existing.has(topic.name));
      if (missing.length === 0) return;
      // Resolves false instead of failing when another process created one meanwhile.
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic: topic.name,
          numPartitions: topic.partitions,
          replicationFactor: this.replicationFactor,
          configEntries: [
            ...(topic.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : []),
            ...(topic.retentionMs !== undefined && !topic.compacted ? [{ name: 'retention.ms', value: String(Math.round(topic.retentionMs)) }] : []),
          ],
        })),
      });
    });
  }

  async partitionCount(topic: string): Promise<number> {
    const cached = this.partitions.get(topic);
    if (cached !== undefined) return cached;
    const count = await this.call(`read the partitions of ${topic}`, async (admin) => {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      return topics.find((found) => found.name === topic)?.partitions.length ?? 0;
    });
    if (count === 0) throw new VigilError('unknown_topic', `topic ${topic} does not exist; ensureTopics creates it`, 'bus', 500);
    this.partitions.set(topic, count);
    return count;
  }

  /** Per partition: low (oldest still kept) and high (next to be written) Kafka offsets. */
  async watermarks(topic: string): Promise<Map<number, { low: number; high: number }>> {
    return this.call(`read the offsets of ${topic}`, async (admin) => {
      const offsets = new Map<number, { low: number; high: number }>();
      try {
        for (const entry of await admin.fetchTopicOffsets(topic)) {
          offsets.set(entry.partition, { low: Number(entry.low), high: Number(entry.high) });
        }
      } catch (error) {
        // A topic nobody created has no records: the same answer as the embedded bus.
        if (!isUnknownTopic(error)) throw error;
      }
      return offsets;
    });
  }

  async endPositions(topic: string): Promise<Positions> {
    const positions: Positions = {};
    for (const [partition, { high }] of await this.watermarks(topic)) {
      if (high > 0) positions[partition] = high - 1;
    }
    return positions;
  }

  async committed(topic: string, group: string): Promise<Positions> {
    return this.call(`read the offsets of group ${group} on ${topic}`, async (admin) => {
      const positions: Positions = {};
      let answer: Awaited<ReturnType<Admin['fetchOffsets']>>;
      try {
        answer = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      } catch (error) {
        if (isUnknownTopic(error)) return positions;
        throw error;
      }
      for (const { partitions } of answer.filter((entry) => entry.topic === topic)) {
        for (const { partition, offset } of partitions) {
          // Kafka stores the next offset to read; -1 means "never committed".
          const next = Number(offset);
          if (next > 0) positions[partition] = next - 1;
        }
      }
      return positions;
    });
  }

  async lag(topic: string, group: string): Promise<number> {
    const [watermarks, committed] = await Promise.all([this.watermarks(topic), this.committed(topic, group)]);
    let lag = 0;
    for (const [partition, { low, high }] of watermarks) {
      const next = committed[partition] === undefined ? low : committed[partition]! + 1;
      lag += Math.max(0, high - next);
    }
    return lag;
  }

  /**
   * Deletes a group that has no members left (a non-committing tail, a reader). Right
   * after its last member left, the coordinator may still answer "not empty": retried.
   */
  async deleteGroup(group: string): Promise<void> {
    await this.call(`delete group ${group}`, async (admin) => {
      for (let attempt = 1; ; attempt += 1) {
        try {
          await admin.deleteGroups([group]);
          return;
        } catch (error) {
          const types = groupErrorTypes(error);
          if (types.every((type) => type === 'GROUP_ID_NOT_FOUND')) return;
          if (attempt >= DELETE_GROUP_ATTEMPTS || !types.includes('NON_EMPTY_GROUP')) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
        }
      }
    });
  }

  /** Group ids the cluster knows (for tests and operators looking for leftovers). */
  async listGroups(): Promise<string[]> {
    return this.call('list groups', async (admin) => (await admin.listGroups()).groups.map((group) => group.groupId));
  }

  async close(): Promise<void> {
    if (!this.connected) return;
    this.connected = undefined;
    await this.admin.disconnect().catch(() => undefined);
  }

  private async call<T>(what: string, work: (admin: Admin) => Promise<T>): Promise<T> {
    try {
      return await withDeadline(
        (async () => {
          this.connected ??= this.admin.connect().catch((error: unknown) => {
            this.connected = undefined;
            throw error;
          });
          await this.connected;
          // kafkajs gives up on some retriable answers (a topic created a moment ago whose
          // leader this client's metadata does not know yet: NOT_LEADER_FOR_PARTITION).
          for (let attempt = 1; ; attempt += 1) {
            try {
              return await work(this.admin);
            } catch (error) {
              if (attempt >= RETRIABLE_ATTEMPTS || !isRetriable(error)) throw error;
              await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
            }
          }
        })(),
        ADMIN_DEADLINE_MS,
        () => new Error(`no answer from Kafka within ${ADMIN_DEADLINE_MS} ms`),
      );
    } catch (error) {
      if (error instanceof VigilError) throw error;
      throw new UnavailableError(`cannot ${what} on Kafka`, 'bus', error);
    }
  }
}

function groupErrorTypes(error: unknown): string[] {
  const { groups, type } = error as { groups?: Array<{ error?: { type?: string } }>; type?: string };
  if (Array.isArray(groups)) return groups.map((group) => group.error?.type ?? 'UNKNOWN');
  return [typeof type === 'string' ? type : 'UNKNOWN'];
}

function isRetriable(error: unknown): boolean {
  return (error as { retriable?: unknown } | null)?.retriable === true;
}
