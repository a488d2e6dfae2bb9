// The Bus port: an ordered, durable log of records per topic partition, consumed in
// batches by named groups whose positions are committed only after the handler
// succeeded. Two adapters: embedded (SQLite, core/bus/embedded-bus.ts) and Kafka
// (kafkajs, core/bus/kafka-bus.ts); stages see only this, and one conformance suite
// (test/core/bus-conformance.ts) holds both to it.
//
// Positions mean the same thing on both adapters: per partition, the offset of the LAST
// record handled (inclusive). `{}` or an absent partition means "nothing handled yet".
// (Kafka's own committed offset is the NEXT one to read; the Kafka adapter converts.)
// A group's committed position only moves forward: records handed over again after
// onAssigned answered an older position are committed as handled, never un-committed.
//
// Topics are created by ensureTopics before anyone publishes or subscribes: Kafka runs
// with topic auto-creation off; the embedded adapter gives a topic used before that one
// partition. The key → partition choice is Kafka's default (murmur2) on both adapters.

export interface BusMessage {
  key: string;
  value: Uint8Array;
  /**
   * The partition to append to. When absent the adapter picks one from the key (the
   * same key always lands in the same partition). Stages that shard by something other
   * than the key (detect's signals, keyed by rule and group) name it.
   */
  partition?: number;
}

export interface BusRecord {
  key: string;
  value: Uint8Array;
  topic: string;
  partition: number;
  /** Position within the partition; strictly increasing. */
  offset: number;
  /** When the record was appended, epoch ms. */
  timestamp: number;
}

/** Last position handled per partition (inclusive). `{}` means "nothing seen yet". */
export type Positions = Record<number, number>;

export interface TopicSpec {
  name: string;
  partitions: number;
  /** Keep only the newest record per key (Kafka log compaction), for checkpoints. */
  compacted?: boolean;
  /**
   * Kafka: delete records older than this (retention.ms) whether consumed or not, set when
   * the topic is created. The embedded bus keeps its own rule (core/bus/retention.ts:
   * never a record a group has yet to handle) and ignores this.
   */
  retentionMs?: number;
}

export interface SubscribeOptions {
  /** Where a group with no committed position starts: the oldest record (default) or only new ones. */
  start?: 'earliest' | 'latest';
  /** Most records handed to one onBatch call. */
  maxBatchRecords?: number;
  /**
   * How many partitions' batches may be in onBatch at once (default 1). Batches of one
   * partition are always handed over one after another, in order; a stage whose onBatch
   * keeps no state across partitions (detect) can let one partition's batch be
   * evaluated while another's waits on the store. The embedded bus hands over one batch
   * at a time whatever this says.
   */
  concurrentPartitions?: number;
  /** Told about every failed onBatch; the batch is retried after a pause, never skipped. */
  onError?: (error: unknown) => void;
  /**
   * false: a tail that never commits and leaves no consumer group behind when it stops
   * (the console stream hub of each api process). Every member of such a subscription
   * gets every partition. Default true.
   */
  commit?: boolean;
  /**
   * Partitions this member now owns (after a start or a rebalance), announced before
   * their first batch. A stage whose state is checkpointed with a position may answer,
   * per partition, the position its checkpoint reflects: delivery then resumes right
   * after it, so records between the checkpoint and the committed position are handed
   * over again (the stage replays them into its state; see committed()). A throwing
   * onAssigned is reported to onError and called again; nothing is handed over until it
   * resolved. Only newly owned partitions are announced: one kept across a rebalance is
   * not announced again (its state is still right). After a Kafka consumer crash (it left
   * its group) everything is announced revoked, then assigned again.
   */
  onAssigned?: (partitions: readonly number[]) => Promise<Positions | void>;
  /**
   * Partitions this member no longer owns, announced after their last batch was handled
   * and committed, so partition-owned state can be checkpointed and dropped. On stop()
   * this comes before anyone else may own them. On Kafka, a rebalance caused by another
   * member (joining, leaving, dying) is announced only once it is over (kafkajs 2.2.4 has
   * no pre-rebalance hook): the new owner may already be restoring, so a stage must not
   * let a checkpoint written here overwrite the new owner's; handover rests on the last
   * checkpoint plus the replay after it (onAssigned positions).
   */
  onRevoked?: (partitions: readonly number[]) => Promise<void>;
}

export interface Subscription {
  /** Finishes the batch in hand, commits it, announces revocation, and stops fetching. */
  stop(): Promise<void>;
}

export interface Bus {
  /** Creates the topics that do not exist yet; existing ones are left as they are. */
  ensureTopics(topics: readonly TopicSpec[]): Promise<void>;
  /** How many partitions a topic has (after ensureTopics). */
  partitionCount(topic: string): Promise<number>;
  /** Appends records; resolves only when they are durable (embedded: committed; Kafka: acks=all). */
  publish(topic: string, records: readonly BusMessage[]): Promise<void>;
  /** Hands batches to onBatch in order per partition and commits the group's position after it resolves. */
  subscribe(
    topic: string,
    group: string,
    onBatch: (batch: BusRecord[]) => Promise<void>,
    options?: SubscribeOptions,
  ): Subscription;
  /**
   * Up to `limit` records after `positions` (exclusive), oldest first per partition;
   * a bounded, group-less read (Kafka: a short-lived reader whose group is deleted
   * after). For consoles that resume their stream and for restoring checkpoints.
   */
  readAfter(topic: string, positions: Positions, limit: number): Promise<BusRecord[]>;
  /** Position of the newest record per partition (absent partitions have none yet). */
  endPositions(topic: string): Promise<Positions>;
  /** Records appended but not yet committed by the group, summed over partitions. */
  lag(topic: string, group: string): Promise<number>;
  /** The group's committed position per partition (`{}` before its first commit). */
  committed(topic: string, group: string): Promise<Positions>;
  close(): Promise<void>;
}

export const TOPICS = {
  events: 'vigil.events',
  alerts: 'vigil.alerts',
  /** Rule matches and correlation inputs, keyed by rule and group (detect → correlate). */
  signals: 'vigil.signals',
  /** The correlate stage's checkpoints, one key per signals partition (compacted). */
  correlateState: 'vigil.correlate-state',
  /** Each correlate member's newest detection-health snapshot, for every api process (compacted). */
  health: 'vigil.health',
} as const;
