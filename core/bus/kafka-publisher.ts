// Publishing to Kafka: one idempotent producer (acks=all, one request in flight, so
// retries never reorder or duplicate), each publish call one send that resolves only
// when every record is acknowledged. While the broker is unreachable a publish rejects
// within a few seconds with UnavailableError (ingest answers 503 + Retry-After), and the
// next publish after the broker is back simply works: a producer that failed is replaced.
import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import { UnavailableError, VigilError } from '../errors.ts';
import type { BusMessage } from '../ports/bus.ts';
import { RETRY, withDeadline } from './kafka-client.ts';
import { toKafkaMessage } from './kafka-record.ts';
import { choosePartition } from './key-partition.ts';

/** The longest a publish may take before the caller is told the bus is unavailable. */
export const PUBLISH_DEADLINE_MS = 5_000;

export class KafkaPublisher {
  private producer: Producer | undefined;
  private connected: Promise<void> | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly partitionCount: (topic: string) => Promise<number>,
  ) {}

  async publish(topic: string, records: readonly BusMessage[]): Promise<void> {
    if (records.length === 0) return;
    const partitions = await this.partitionCount(topic);
    const messages = records.map((record, index) => {
      if (typeof record.key !== 'string' || !(record.value instanceof Uint8Array)) {
        throw new VigilError('invalid_record', `record ${index} for ${topic} needs a string key and a Uint8Array value`, 'bus');
      }
      return toKafkaMessage(record, choosePartition(topic, record, partitions, index));
    });

    const producer = this.current();
    try {
      await withDeadline(
        (async () => {
          await this.connected;
          // acks -1 (all in-sync replicas) is what idempotence requires; kafkajs refuses less.
          await producer.send({ topic, messages, acks: -1 });
        })(),
        PUBLISH_DEADLINE_MS,
        () => new Error(`no acknowledgement from Kafka within ${PUBLISH_DEADLINE_MS} ms`),
      );
    } catch (error) {
      // A producer that failed may hold a dead connection or a broken idempotence
      // sequence: the next publish starts a fresh one. A send that timed out here may
      // still land later; the caller was told "unavailable", retries, and the store's
      // event identity makes the duplicate harmless.
      this.discard(producer);
      throw new UnavailableError(`cannot publish ${records.length} records to ${topic}`, 'bus', error);
    }
  }

  async close(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    this.connected = undefined;
    await producer?.disconnect().catch(() => undefined);
  }

  private current(): Producer {
    if (this.producer) return this.producer;
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      retry: RETRY.publish,
      // We always name the partition (key-partition.ts); this only silences kafkajs's
      // warning about its v2 default partitioner.
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    this.producer = producer;
    this.connected = producer.connect();
    // A failed connect is reported by the publish awaiting it; no unhandled rejection.
    this.connected.catch(() => undefined);
    return producer;
  }

  private discard(producer: Producer): void {
    if (this.producer !== producer) return;
    this.producer = undefined;
    this.connected = undefined;
    void producer.disconnect().catch(() => undefined);
  }
}

