// One member of a consumer group on Kafka (kafkajs eachBatch, autoCommit off). Batches
// go to the stage at most maxBatchRecords at a time; each is committed (as Kafka's next
// offset, last + 1) only after the stage resolved; a failed batch is sought back and its
// partition paused for a backoff, so it is retried, never skipped, while the other
// partitions go on. Assignment changes are announced through onAssigned/onRevoked.
//
// What kafkajs 2.2.4 allows, and what this does with it:
// - It has no rebalance listener, only a GROUP_JOIN event (the new assignment) once a
//   rebalance is over, and it uses the eager protocol. So revocation during a rebalance
//   is announced when the member has rejoined: the partitions have already moved, and
//   everything this member handled of them was committed (batches commit as they
//   finish, and kafkajs rejoins only after the batch in hand). A stage must not rely
//   on onRevoked to hand state over in that case; its checkpoint plus a replay after the
//   checkpoint (onAssigned positions) is what carries state. On stop() the order is
//   exact: last batch committed, onRevoked, then the group is left.
// - A crashed consumer (kafkajs restarts it) has left its group: everything is announced
//   revoked, and assigned again when it rejoins.
// - Hooks run one after another, and a batch waits until they are done; positions that
//   onAssigned answers are applied with seek(), and a batch fetched before that seek is
//   dropped unhandled (kafkajs marks it stale).
// - commit: false: each member joins a group of its own (the name plus a random
//   suffix), so it reads every partition, and that group is deleted on stop. A member
//   killed without stop leaves an empty group with no offsets, which the broker removes.
import { randomUUID } from 'node:crypto';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { UnavailableError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { BusRecord, Positions, SubscribeOptions, Subscription } from '../ports/bus.ts';
import { RETRY } from './kafka-client.ts';
import { toBusRecord } from './kafka-record.ts';
import type { KafkaTopicAdmin } from './kafka-topic-admin.ts';

const RETRY_FIRST_MS = 200;
const RETRY_MAX_MS = 5_000;

export interface KafkaSubscriptionOptions extends SubscribeOptions {
  kafka: Kafka;
  admin: KafkaTopicAdmin;
  topic: string;
  group: string;
  maxBatchRecords: number;
  log?: Logger;
}

export class KafkaSubscription implements Subscription {
  /** The Kafka group id: the stage's group, or a private one for a non-committing tail. */
  readonly groupId: string;
  private readonly commits: boolean;
  private consumer: Consumer | undefined;
  private stopping = false;
  private stopped: Promise<void> | undefined;
  private starting: Promise<void>;
  private wakeStart: (() => void) | undefined;
  private startRetryMs = RETRY_FIRST_MS;

  /** The partitions of the latest join; `announced` follows it through the hook chain. */
  private latestAssignment: ReadonlySet<number> = new Set();
  private readonly announced = new Set<number>();
  private hooks: Promise<void> = Promise.resolve();
  /** Batches in onBatch now: one per partition at most, up to concurrentPartitions. */
  private readonly inHand = new Set<Promise<void>>();
  /** Kafka offsets (next to read) known to be committed, so a replay never commits backwards. */
  private readonly committedNext = new Map<number, number>();
  private readonly retryMs = new Map<number, number>();
  private readonly resumeTimers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly onBatch: (batch: BusRecord[]) => Promise<void>,
    private readonly options: KafkaSubscriptionOptions,
  ) {
    this.commits = options.commit !== false;
    this.groupId = this.commits ? options.group : `${options.group}.tail.${randomUUID()}`;
    this.starting = this.start();
  }

  stop(): Promise<void> {
    this.stopping = true;
    this.wakeStart?.();
    this.stopped ??= (async () => {
      await this.starting;
      await Promise.allSettled([...this.inHand]);
      await this.hooks;
      for (const timer of this.resumeTimers) clearTimeout(timer);
      this.resumeTimers.clear();
      const owned = [...this.announced].sort((a, b) => a - b);
      this.announced.clear();
      // Before leaving the group: nothing of these partitions is handled by anyone yet.
      if (owned.length > 0) await this.revoke(owned);
      await this.consumer?.disconnect().catch((error: unknown) => this.report(error));
      this.consumer = undefined;
      if (!this.commits) await this.options.admin.deleteGroup(this.groupId).catch((error: unknown) => this.report(error));
    })();
    return this.stopped;
  }

  /** Creates, connects and runs a consumer; retried with backoff until it runs or stop() is called. */
  private async start(): Promise<void> {
    const { kafka, topic } = this.options;
    while (!this.stopping) {
      const consumer = kafka.consumer({
        groupId: this.groupId,
        allowAutoTopicCreation: false,
        // A member gone without leaving (killed, or cut off by a broker restart: kafkajs
        // rejoins as a new member, and the group waits for the old one to expire) is
        // noticed after this; a new one within a heartbeat. kafkajs heartbeats only
        // between batches, so a batch taking longer than this costs a rebalance and a
        // redelivery (never a loss).
        sessionTimeout: 15_000,
        heartbeatInterval: 1_000,
        rebalanceTimeout: 30_000,
        // The longest an idle fetch waits; also how long stop() may wait for one.
        maxWaitTimeInMs: 500,
        retry: RETRY.consume,
      });
      consumer.on(consumer.events.GROUP_JOIN, (event) => {
        this.announce(new Set(event.payload.memberAssignment[topic] ?? []));
      });
      consumer.on(consumer.events.CRASH, (event) => {
        this.report(new UnavailableError(`the Kafka consumer of group ${this.groupId} on ${topic} crashed`, 'bus', event.payload.error));
        // It left the group: whatever it owned may be someone else's by now.
        this.announce(new Set());
        if (!event.payload.restart && !this.stopping && this.consumer === consumer) {
          this.consumer = undefined;
          this.starting = this.start();
        }
      });
      this.consumer = consumer;
      try {
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: this.options.start !== 'latest' });
        await consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          partitionsConsumedConcurrently: this.options.concurrentPartitions ?? 1,
          eachBatch: (payload) => this.handle(payload),
        });
        this.startRetryMs = RETRY_FIRST_MS;
        return;
      } catch (error) {
        this.report(new UnavailableError(`cannot start consuming ${topic} as group ${this.groupId}`, 'bus', error));
        this.consumer = undefined;
        await consumer.disconnect().catch(() => undefined);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.startRetryMs);
          this.wakeStart = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wakeStart = undefined;
        this.startRetryMs = Math.min(this.startRetryMs * 2, RETRY_MAX_MS);
      }
    }
  }

  /** Queues the hook calls that take `announced` to `assignment`. */
  private announce(assignment: ReadonlySet<number>): void {
    this.latestAssignment = assignment;
    this.hooks = this.hooks.then(async () => {
      const revoked = [...this.announced].filter((partition) => !assignment.has(partition)).sort((a, b) => a - b);
      for (const partition of revoked) this.announced.delete(partition);
      if (revoked.length > 0) await this.revoke(revoked);
      const added = [...assignment].filter((partition) => !this.announced.has(partition)).sort((a, b) => a - b);
      if (added.length > 0 && (await this.assign(added, assignment))) {
        for (const partition of added) this.announced.add(partition);
      }
    });
  }

  private async revoke(partitions: number[]): Promise<void> {
    for (const partition of partitions) {
      this.committedNext.delete(partition);
      this.retryMs.delete(partition);
    }
    try {
      await this.options.onRevoked?.(partitions);
    } catch (error) {
      // Already gone: there is nothing to retry it for.
      this.report(error);
    }
  }

  /**
   * Calls onAssigned (retried while it throws, for as long as this assignment holds) and
   * sets where each partition starts: after the position onAssigned answered; for a
   * committing 'latest' group with no position yet, at the current end, committed at once
   * so a restart before its first batch does not skip what arrives meanwhile.
   */
  private async assign(partitions: number[], assignment: ReadonlySet<number>): Promise<boolean> {
    const { admin, topic } = this.options;
    let retryMs = RETRY_FIRST_MS;
    while (!this.stopping && this.latestAssignment === assignment) {
      try {
        const answered: Positions = (await this.options.onAssigned?.(partitions)) ?? {};
        const seeks = new Map<number, number>();
        if (this.commits) {
          const committed = await admin.committed(topic, this.groupId);
          const unpositioned = partitions.filter((partition) => committed[partition] === undefined && answered[partition] === undefined);
          const marks = this.options.start === 'latest' && unpositioned.length > 0 ? await admin.watermarks(topic) : undefined;
          for (const partition of partitions) {
            if (committed[partition] !== undefined) this.committedNext.set(partition, committed[partition]! + 1);
            const high = marks?.get(partition)?.high;
            if (high !== undefined && unpositioned.includes(partition)) seeks.set(partition, high);
          }
          const starts = [...seeks].map(([partition, offset]) => ({ topic, partition, offset: String(offset) }));
          if (starts.length > 0) {
            await this.consumer?.commitOffsets(starts);
            for (const [partition, offset] of seeks) this.committedNext.set(partition, offset);
          }
        }
        for (const partition of partitions) {
          if (answered[partition] !== undefined) seeks.set(partition, answered[partition]! + 1);
        }
        for (const [partition, offset] of seeks) this.consumer?.seek({ topic, partition, offset: String(offset) });
        return true;
      } catch (error) {
        this.report(error);
        await new Promise((resolve) => setTimeout(resolve, retryMs));
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
      }
    }
    return false;
  }

  private async handle(payload: EachBatchPayload): Promise<void> {
    if (this.stopping) return;
    const work = this.handleBatch(payload);
    this.inHand.add(work);
    try {
      await work;
    } finally {
      this.inHand.delete(work);
    }
  }

  private async handleBatch({ batch, resolveOffset, heartbeat, pause, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { topic, maxBatchRecords } = this.options;
    await this.hooks;
    const partition = batch.partition;
    // Not announced (its onAssigned has not succeeded) or fetched before a seek: left
    // unresolved, so it is fetched again from the right place.
    if (this.stopping || !isRunning() || isStale() || !this.announced.has(partition)) return;
    const records = batch.messages.map((message) => toBusRecord(topic, partition, message));
    for (let from = 0; from < records.length; from += maxBatchRecords) {
      if (this.stopping || !isRunning() || isStale() || !this.announced.has(partition)) return;
      const chunk = records.slice(from, from + maxBatchRecords);
      try {
        await this.onBatch(chunk);
      } catch (error) {
        this.report(error);
        this.retryLater(partition, chunk[0]!.offset, pause);
        return;
      }
      this.retryMs.delete(partition);
      const last = chunk[chunk.length - 1]!.offset;
      resolveOffset(String(last));
      if (this.commits && last + 1 > (this.committedNext.get(partition) ?? 0)) {
        try {
          await this.consumer?.commitOffsets([{ topic, partition, offset: String(last + 1) }]);
          this.committedNext.set(partition, last + 1);
        } catch (error) {
          // Handled but not committed (a rebalance, the coordinator away): the next
          // commit covers it, or its next owner gets it again — at least once.
          this.report(new UnavailableError(`cannot commit ${topic}/${partition} for group ${this.groupId}`, 'bus', error));
          return;
        }
      }
      // Keeps the membership alive through a long batch; a rebalance surfaces here and
      // kafkajs rejoins after this batch.
      await heartbeat();
    }
  }

  /** Seeks the partition back to the failed records and pauses it for a growing backoff. */
  private retryLater(partition: number, offset: number, pause: () => () => void): void {
    const ms = this.retryMs.get(partition) ?? RETRY_FIRST_MS;
    this.retryMs.set(partition, Math.min(ms * 2, RETRY_MAX_MS));
    try {
      this.consumer?.seek({ topic: this.options.topic, partition, offset: String(offset) });
    } catch (error) {
      // The consumer is stopping or rejoining: the records are uncommitted and come back.
      this.report(error);
      return;
    }
    const resume = pause();
    const timer = setTimeout(() => {
      this.resumeTimers.delete(timer);
      resume();
    }, ms);
    this.resumeTimers.add(timer);
  }

  private report(error: unknown): void {
    try {
      this.options.onError?.(error);
    } catch {
      // A throwing error listener must not end the consumer.
    }
    if (!this.options.onError) this.options.log?.warn({ err: error, group: this.groupId, topic: this.options.topic }, 'kafka subscription problem');
  }
}
