// The Bus port: an ordered, durable log of records per topic, consumed in batches by
// named groups whose positions are committed only after the handler succeeded. The
// embedded adapter (SQLite) and the Kafka adapter both implement it; stages see only this.

export interface BusMessage {
  key: string;
  value: Uint8Array;
}

export interface BusRecord extends BusMessage {
  topic: string;
  partition: number;
  /** Position within the partition; strictly increasing. */
  offset: number;
  /** When the record was appended, epoch ms. */
  timestamp: number;
}

/** Last position seen per partition. `{}` means "nothing seen yet". */
export type Positions = Record<number, number>;

export interface SubscribeOptions {
  /** Where a group with no committed position starts: the oldest record (default) or only new ones. */
  start?: 'earliest' | 'latest';
  /** Most records handed to one onBatch call. */
  maxBatchRecords?: number;
  /** Told about every failed onBatch; the batch is retried after a pause, never skipped. */
  onError?: (error: unknown) => void;
}

export interface Subscription {
  /** Finishes the batch in hand, commits it, and stops fetching. */
  stop(): Promise<void>;
}

export interface Bus {
  /** Appends records; resolves only when they are durable (embedded: committed; Kafka: acks=all). */
  publish(topic: string, records: readonly BusMessage[]): Promise<void>;
  /** Hands batches to onBatch in order and commits the group's position after it resolves. */
  subscribe(
    topic: string,
    group: string,
    onBatch: (batch: BusRecord[]) => Promise<void>,
    options?: SubscribeOptions,
  ): Subscription;
  /** Up to `limit` records after `positions` (exclusive), oldest first. For consoles that resume. */
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
} as const;
