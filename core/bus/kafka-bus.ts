// The Kafka Bus adapter for the distributed deployment (VIGIL_BUS=kafka): the Bus port on
// kafkajs. It wires the parts, each in its own file: publishing (kafka-publisher.ts),
// the consumer loop (kafka-subscription.ts), topic and group administration
// (kafka-topic-admin.ts) and the group-less bounded read (kafka-reader.ts).
import type { Kafka } from 'kafkajs';
import { UnavailableError, VigilError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Bus, BusMessage, BusRecord, Positions, SubscribeOptions, Subscription, TopicSpec } from '../ports/bus.ts';
import { createKafka } from './kafka-client.ts';
import { KafkaPublisher } from './kafka-publisher.ts';
import { readAfterOnKafka } from './kafka-reader.ts';
import { KafkaSubscription } from './kafka-subscription.ts';
import { KafkaTopicAdmin } from './kafka-topic-admin.ts';

export interface KafkaBusOptions {
  /** host:port of one or more brokers (config.kafka.brokers). */
  brokers: string[];
  clientId: string;
  /** Replication factor of the topics ensureTopics creates. */
  replicationFactor: number;
  log?: Logger;
}

const DEFAULT_MAX_BATCH_RECORDS = 1000;

export function openKafkaBus(options: KafkaBusOptions): KafkaBus {
  return new KafkaBus(options);
}

export class KafkaBus implements Bus {
  private readonly kafka: Kafka;
  private readonly admin: KafkaTopicAdmin;
  private readonly publisher: KafkaPublisher;
  private readonly subscriptions = new Set<KafkaSubscription>();
  private closing: Promise<void> | undefined;
  // Set when close() has finished. Between the two, batches still in hand may publish
  // (detect publishes signals before its commit), but nothing new may subscribe.
  private closed = false;

  constructor(private readonly options: KafkaBusOptions) {
    if (options.brokers.length === 0) throw new VigilError('invalid_option', 'the Kafka bus needs at least one broker (host:port)', 'bus');
    if (!Number.isInteger(options.replicationFactor) || options.replicationFactor < 1) {
      throw new VigilError('invalid_option', `replicationFactor must be a positive integer, got ${options.replicationFactor}`, 'bus');
    }
    this.kafka = createKafka(options);
    this.admin = new KafkaTopicAdmin(this.kafka, options.replicationFactor);
    this.publisher = new KafkaPublisher(this.kafka, (topic) => this.admin.partitionCount(topic));
  }

  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    this.assertOpen();
    await this.admin.ensureTopics(topics);
  }

  async partitionCount(topic: string): Promise<number> {
    this.assertOpen();
    return this.admin.partitionCount(topic);
  }

  async publish(topic: string, records: readonly BusMessage[]): Promise<void> {
    this.assertOpen();
    await this.publisher.publish(topic, records);
  }

  subscribe(
    topic: string,
    group: string,
    onBatch: (batch: BusRecord[]) => Promise<void>,
    options: SubscribeOptions = {},
  ): Subscription {
    if (this.closing) throw new UnavailableError('the Kafka bus is closing', 'bus');
    if (typeof topic !== 'string' || topic.length === 0) throw new VigilError('invalid_topic', 'a topic name must be a non-empty string', 'bus');
    if (typeof group !== 'string' || group.length === 0) throw new VigilError('invalid_option', 'a group name must be a non-empty string', 'bus');
    const maxBatchRecords = options.maxBatchRecords ?? DEFAULT_MAX_BATCH_RECORDS;
    if (!Number.isInteger(maxBatchRecords) || maxBatchRecords < 1) {
      throw new VigilError('invalid_option', `maxBatchRecords must be a positive integer, got ${maxBatchRecords}`, 'bus');
    }
    const concurrent = options.concurrentPartitions ?? 1;
    if (!Number.isInteger(concurrent) || concurrent < 1) {
      throw new VigilError('invalid_option', `concurrentPartitions must be a positive integer, got ${concurrent}`, 'bus');
    }
    const subscription = new KafkaSubscription(onBatch, {
      ...options,
      kafka: this.kafka,
      admin: this.admin,
      topic,
      group,
      maxBatchRecords,
      log: this.options.log,
    });
    this.subscriptions.add(subscription);
    const stop = subscription.stop.bind(subscription);
    return {
      stop: async () => {
        await stop();
        this.subscriptions.delete(subscription);
      },
    };
  }

  async readAfter(topic: string, positions: Positions, limit: number): Promise<BusRecord[]> {
    this.assertOpen();
    return readAfterOnKafka(
      { kafka: this.kafka, admin: this.admin, clientId: this.options.clientId, log: this.options.log },
      topic,
      positions,
      limit,
    );
  }

  async endPositions(topic: string): Promise<Positions> {
    this.assertOpen();
    return this.admin.endPositions(topic);
  }

  async lag(topic: string, group: string): Promise<number> {
    this.assertOpen();
    return this.admin.lag(topic, group);
  }

  async committed(topic: string, group: string): Promise<Positions> {
    this.assertOpen();
    return this.admin.committed(topic, group);
  }

  /** Group ids the cluster knows: for tests and operators looking for leftovers. */
  async listGroups(): Promise<string[]> {
    this.assertOpen();
    return this.admin.listGroups();
  }

  /** Stops every subscription (each finishes and commits its batch), then disconnects. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
      this.subscriptions.clear();
      await this.publisher.close();
      await this.admin.close();
      this.closed = true;
    })();
    return this.closing;
  }

  private assertOpen(): void {
    if (this.closed) throw new UnavailableError('the Kafka bus is closed', 'bus');
  }
}
