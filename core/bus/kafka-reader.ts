// readAfter on Kafka: kafkajs cannot read without a consumer group, so a bounded read is
// a short-lived consumer in a group of its own: it seeks each partition to right after
// the given position, takes up to `limit` records per partition (never past the end as
// it was when the read began), and is disconnected and its group deleted afterwards, so
// nothing is left behind. Partitions with nothing new are answered without any consumer.
import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { UnavailableError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { BusRecord, Positions } from '../ports/bus.ts';
import { RETRY, withDeadline } from './kafka-client.ts';
import { toBusRecord } from './kafka-record.ts';
import type { KafkaTopicAdmin } from './kafka-topic-admin.ts';
import { mergeByTime } from './merge-by-time.ts';

const READ_DEADLINE_MS = 30_000;

interface Wanted {
  /** First Kafka offset to read. */
  from: number;
  /** The end when the read began (exclusive). */
  high: number;
  records: BusRecord[];
  done: boolean;
}

export async function readAfterOnKafka(
  deps: { kafka: Kafka; admin: KafkaTopicAdmin; clientId: string; log?: Logger },
  topic: string,
  positions: Positions,
  limit: number,
): Promise<BusRecord[]> {
  if (!Number.isInteger(limit) || limit < 1) return [];
  const wanted = new Map<number, Wanted>();
  for (const [partition, { low, high }] of await deps.admin.watermarks(topic)) {
    const from = Math.max(low, (positions[partition] ?? -1) + 1);
    if (from < high) wanted.set(partition, { from, high, records: [], done: false });
  }
  if (wanted.size === 0) return [];

  const groupId = `${deps.clientId}.reader.${randomUUID()}`;
  const consumer = deps.kafka.consumer({
    groupId,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 100,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    // kafkajs restarts it after a retriable crash (a coordinator still loading after a
    // broker restart); the deadline below bounds the whole read.
    retry: RETRY.consume,
  });
  let finish!: () => void;
  let fail!: (error: unknown) => void;
  const finished = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const check = () => {
    if ([...wanted.values()].every((entry) => entry.done)) finish();
  };
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    const assigned = event.payload.memberAssignment[topic] ?? [];
    // Alone in its group, it gets every partition: seek the wanted ones, pause the rest.
    const idle = assigned.filter((partition) => !wanted.has(partition));
    if (idle.length > 0) consumer.pause([{ topic, partitions: idle }]);
    for (const [partition, entry] of wanted) consumer.seek({ topic, partition, offset: String(entry.from) });
  });
  consumer.on(consumer.events.CRASH, (event) => {
    if (!event.payload.restart) fail(event.payload.error);
  });

  try {
    await withDeadline(
      (async () => {
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: true });
        await consumer.run({
          autoCommit: false,
          eachBatch: async ({ batch, isStale, pause }) => {
            const entry = wanted.get(batch.partition);
            if (!entry || entry.done || isStale()) return;
            for (const message of batch.messages) {
              const offset = Number(message.offset);
              if (offset < entry.from) continue;
              if (offset >= entry.high || entry.records.length >= limit) break;
              entry.records.push(toBusRecord(topic, batch.partition, message));
            }
            if (entry.records.length >= limit || Number(batch.lastOffset()) >= entry.high - 1) {
              entry.done = true;
              pause();
              check();
            }
          },
        });
        await finished;
      })(),
      READ_DEADLINE_MS,
      () => new Error(`the read did not finish within ${READ_DEADLINE_MS} ms`),
    );
  } catch (error) {
    throw new UnavailableError(`cannot read ${topic} after ${JSON.stringify(positions)}`, 'bus', error);
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await deps.admin.deleteGroup(groupId).catch((error: unknown) => {
      deps.log?.warn({ err: error, group: groupId }, 'could not delete the group of a finished read');
    });
  }
  return mergeByTime([...wanted.values()].map((entry) => entry.records), limit);
}
