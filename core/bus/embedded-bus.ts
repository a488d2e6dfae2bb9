// The embedded Bus adapter for the all-in-one deployment: an append-only log per topic in
// SQLite (<dataDir>/bus.db, WAL) with committed consumer-group positions, so one machine
// gets the same delivery guarantees as Kafka without running a broker.
import fs from 'node:fs';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import { BroadcastChannel } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { Bus, BusMessage, BusRecord, Positions, SubscribeOptions, Subscription, TopicSpec } from '../ports/bus.ts';
import { UnavailableError, VigilError } from '../errors.ts';

export interface EmbeddedBusOptions {
  /** Directory holding bus.db; created if missing. */
  dataDir: string;
  /** How often an idle subscription looks for records appended by other processes. */
  pollIntervalMs?: number;
}

// The embedded log has exactly one partition per topic.
const PARTITION = 0;
const DEFAULT_POLL_INTERVAL_MS = 100;
const DEFAULT_MAX_BATCH_RECORDS = 1000;
const RETRY_FIRST_MS = 200;
const RETRY_MAX_MS = 5000;

type RecordRow = [offset: number, key: string, value: Buffer, timestamp: number];

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS records (
    topic TEXT NOT NULL,
    "offset" INTEGER NOT NULL,
    key TEXT NOT NULL,
    value BLOB NOT NULL,
    timestamp INTEGER NOT NULL,
    PRIMARY KEY (topic, "offset")
  );
  CREATE TABLE IF NOT EXISTS group_offsets (
    topic TEXT NOT NULL,
    grp TEXT NOT NULL,
    partition INTEGER NOT NULL,
    committed_offset INTEGER NOT NULL,
    PRIMARY KEY (topic, grp, partition)
  );
`;

export function openEmbeddedBus(options: EmbeddedBusOptions): EmbeddedBus {
  return new EmbeddedBus(options);
}

export class EmbeddedBus implements Bus {
  private readonly db: Database.Database;
  private readonly pollIntervalMs: number;
  // Wakes idle subscriptions as soon as a publish commits, instead of waiting for the
  // next poll: this instance's own publishes directly, and those of other threads of
  // this process (all-in-one runs detect on its own thread) through a BroadcastChannel
  // named after the file. Other processes' appends are found by polling.
  private readonly appended = new EventEmitter();
  private readonly otherThreads: BroadcastChannel;
  private readonly subscriptions = new Set<EmbeddedSubscription>();
  // Set when close() begins: no new subscriptions, while in-flight batches may still
  // publish (detect publishes alerts before committing) until the database closes.
  private closing: Promise<void> | undefined;

  private readonly selectEnd: Database.Statement<[string], { end: number | null }>;
  private readonly insertRecord: Database.Statement<[string, number, string, Uint8Array, number]>;
  private readonly selectAfter: Database.Statement<[string, number, number], RecordRow>;
  private readonly selectCommitted: Database.Statement<[string, string, number], { committed: number }>;
  private readonly upsertCommitted: Database.Statement<[string, string, number, number]>;
  private readonly insertCommittedIfAbsent: Database.Statement<[string, string, number, number]>;
  private readonly appendAll: (topic: string, records: readonly BusMessage[]) => void;

  constructor(options: EmbeddedBusOptions) {
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    const file = path.join(options.dataDir, 'bus.db');
    try {
      fs.mkdirSync(options.dataDir, { recursive: true });
      this.db = new Database(file);
      this.db.pragma('journal_mode = WAL');
      // FULL: a commit is fsynced before publish resolves, so "202 accepted" survives a
      // power loss, not only a process crash (NORMAL in WAL may lose the last commits).
      this.db.pragma('synchronous = FULL');
      // Other processes (vigil ingest ×N) write the same file; wait for their lock.
      this.db.pragma('busy_timeout = 5000');
      this.db.exec(SCHEMA);
    } catch (error) {
      throw new UnavailableError(`cannot open the embedded bus at ${file}`, 'bus', error);
    }

    this.selectEnd = this.db.prepare<[string], { end: number | null }>('SELECT MAX("offset") AS end FROM records WHERE topic = ?');
    this.insertRecord = this.db.prepare<[string, number, string, Uint8Array, number]>(
      'INSERT INTO records (topic, "offset", key, value, timestamp) VALUES (?, ?, ?, ?, ?)',
    );
    this.selectAfter = this.db
      .prepare<[string, number, number], RecordRow>(
        'SELECT "offset", key, value, timestamp FROM records WHERE topic = ? AND "offset" > ? ORDER BY "offset" LIMIT ?',
      )
      .raw(true);
    this.selectCommitted = this.db.prepare<[string, string, number], { committed: number }>(
      'SELECT committed_offset AS committed FROM group_offsets WHERE topic = ? AND grp = ? AND partition = ?',
    );
    this.upsertCommitted = this.db.prepare<[string, string, number, number]>(
      `INSERT INTO group_offsets (topic, grp, partition, committed_offset) VALUES (?, ?, ?, ?)
       ON CONFLICT (topic, grp, partition) DO UPDATE SET committed_offset = excluded.committed_offset`,
    );
    this.insertCommittedIfAbsent = this.db.prepare<[string, string, number, number]>(
      'INSERT OR IGNORE INTO group_offsets (topic, grp, partition, committed_offset) VALUES (?, ?, ?, ?)',
    );

    const append = (topic: string, records: readonly BusMessage[]): void => {
      let offset = this.endOffset(topic) + 1;
      const timestamp = Date.now();
      for (const record of records) {
        if (typeof record.key !== 'string' || !(record.value instanceof Uint8Array)) {
          throw new VigilError('invalid_record', `record ${offset} for ${topic} needs a string key and a Uint8Array value`, 'bus');
        }
        this.insertRecord.run(topic, offset, record.key, record.value, timestamp);
        offset += 1;
      }
    };
    // IMMEDIATE takes the write lock before reading the end offset, so two processes
    // appending to the same topic cannot both claim the same offsets.
    const transaction = this.db.transaction(append);
    this.appendAll = (topic, records) => transaction.immediate(topic, records);
    this.appended.setMaxListeners(0);
    this.otherThreads = new BroadcastChannel(`vigil-bus:${path.resolve(file)}`);
    this.otherThreads.onmessage = (message) => {
      const topic = (message as { data: unknown }).data;
      if (typeof topic === 'string') this.appended.emit(topic);
    };
    // The channel must not keep the process alive on its own.
    this.otherThreads.unref();
  }

  // TODO(kafka-bus helper): partitions per topic; one partition until then.
  async ensureTopics(_topics: readonly TopicSpec[]): Promise<void> {
    this.assertOpen();
  }

  async partitionCount(_topic: string): Promise<number> {
    return 1;
  }

  async publish(topic: string, records: readonly BusMessage[]): Promise<void> {
    this.assertOpen();
    assertTopic(topic);
    if (records.length === 0) return;
    try {
      this.appendAll(topic, records);
    } catch (error) {
      if (error instanceof VigilError) throw error;
      throw new UnavailableError(`cannot append ${records.length} records to ${topic}`, 'bus', error);
    }
    this.appended.emit(topic);
    this.otherThreads.postMessage(topic);
  }

  subscribe(
    topic: string,
    group: string,
    onBatch: (batch: BusRecord[]) => Promise<void>,
    options: SubscribeOptions = {},
  ): Subscription {
    if (this.closing) throw new UnavailableError('the embedded bus is closing', 'bus');
    assertTopic(topic);
    const maxBatchRecords = options.maxBatchRecords ?? DEFAULT_MAX_BATCH_RECORDS;
    if (!Number.isInteger(maxBatchRecords) || maxBatchRecords < 1) {
      throw new VigilError('invalid_option', `maxBatchRecords must be a positive integer, got ${maxBatchRecords}`, 'bus');
    }
    // One partition means two live members of a group would both get every record;
    // refuse rather than silently deliver twice.
    for (const existing of this.subscriptions) {
      if (existing.topic === topic && existing.group === group) {
        throw new VigilError('group_busy', `group ${group} already has a subscription to ${topic} in this process`, 'bus');
      }
    }

    // 'latest' is resolved and recorded now, synchronously, so a record published right
    // after subscribe() returns is delivered, and a restart before the first batch does
    // not skip what was appended in between.
    let position: number;
    try {
      if (options.start === 'latest') {
        this.insertCommittedIfAbsent.run(topic, group, PARTITION, this.endOffset(topic));
      }
      position = this.committedOffset(topic, group);
    } catch (error) {
      throw new UnavailableError(`cannot read the position of group ${group} on ${topic}`, 'bus', error);
    }

    const subscription = new EmbeddedSubscription(this, topic, group, position, onBatch, {
      maxBatchRecords,
      pollIntervalMs: this.pollIntervalMs,
      onError: options.onError,
    });
    this.subscriptions.add(subscription);
    subscription.done.then(() => this.subscriptions.delete(subscription));
    return subscription;
  }

  async readAfter(topic: string, positions: Positions, limit: number): Promise<BusRecord[]> {
    this.assertOpen();
    if (!Number.isInteger(limit) || limit < 1) return [];
    return this.fetch(topic, positions[PARTITION] ?? -1, limit);
  }

  async endPositions(topic: string): Promise<Positions> {
    this.assertOpen();
    const end = this.endOffset(topic);
    return end < 0 ? {} : { [PARTITION]: end };
  }

  async lag(topic: string, group: string): Promise<number> {
    this.assertOpen();
    return Math.max(0, this.endOffset(topic) - this.committedOffset(topic, group));
  }

  async committed(topic: string, group: string): Promise<Positions> {
    this.assertOpen();
    const committed = this.committedOffset(topic, group);
    return committed < 0 ? {} : { [PARTITION]: committed };
  }

  /**
   * Retention, as Kafka's retention.ms: deletes records appended before `olderThan`
   * (epoch ms), but never one that a group in `keepFor` has not committed yet (a group
   * with no position keeps everything), and never the newest record, whose offset the
   * next publish continues from. Answers how many records were deleted.
   */
  prune(topic: string, options: { olderThan: number; keepFor: readonly string[] }): number {
    this.assertOpen();
    const end = this.endOffset(topic);
    const committed = options.keepFor.map((group) => this.committedOffset(topic, group));
    const limit = Math.min(end - 1, ...committed);
    if (limit < 0) return 0;
    return this.db
      .prepare('DELETE FROM records WHERE topic = ? AND "offset" <= ? AND timestamp < ?')
      .run(topic, limit, options.olderThan).changes;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
      this.otherThreads.close();
      this.db.close();
    })();
    return this.closing;
  }

  /** @internal Records after `offset`, oldest first; used by subscriptions and readAfter. */
  fetch(topic: string, offset: number, limit: number): BusRecord[] {
    const rows = this.selectAfter.all(topic, offset, limit);
    return rows.map(([recordOffset, key, value, timestamp]) => ({
      topic,
      partition: PARTITION,
      offset: recordOffset,
      key,
      value,
      timestamp,
    }));
  }

  /** @internal Stores the group's position: the offset of the last record it handled. */
  commit(topic: string, group: string, offset: number): void {
    this.upsertCommitted.run(topic, group, PARTITION, offset);
  }

  /** @internal Calls `listener` on the next publish to `topic` by this instance; returns the unsubscribe. */
  onAppended(topic: string, listener: () => void): () => void {
    this.appended.once(topic, listener);
    return () => this.appended.off(topic, listener);
  }

  /** @internal Whether the database is still usable. */
  get isOpen(): boolean {
    return this.db.open;
  }

  private endOffset(topic: string): number {
    return this.selectEnd.get(topic)?.end ?? -1;
  }

  private committedOffset(topic: string, group: string): number {
    return this.selectCommitted.get(topic, group, PARTITION)?.committed ?? -1;
  }

  private assertOpen(): void {
    if (!this.db.open) throw new UnavailableError('the embedded bus is closed', 'bus');
  }
}

interface LoopOptions {
  maxBatchRecords: number;
  pollIntervalMs: number;
  onError: ((error: unknown) => void) | undefined;
}

/** One group's consumer loop: fetch after the position, hand over, commit, repeat. */
class EmbeddedSubscription implements Subscription {
  readonly done: Promise<void>;
  private stopping = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly bus: EmbeddedBus,
    readonly topic: string,
    readonly group: string,
    private position: number,
    private readonly onBatch: (batch: BusRecord[]) => Promise<void>,
    private readonly options: LoopOptions,
  ) {
    this.done = this.run();
  }

  // Does not wait for itself: calling and awaiting stop() from inside onBatch would
  // deadlock, since stop waits for that very batch. Call it without awaiting there.
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.done;
  }

  private async run(): Promise<void> {
    let retryMs = RETRY_FIRST_MS;
    while (!this.stopping && this.bus.isOpen) {
      let batch: BusRecord[];
      try {
        batch = this.bus.fetch(this.topic, this.position, this.options.maxBatchRecords);
      } catch (error) {
        this.report(new UnavailableError(`cannot read ${this.topic} for group ${this.group}`, 'bus', error));
        await this.pause(retryMs, false);
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
        continue;
      }
      if (batch.length === 0) {
        await this.pause(this.options.pollIntervalMs, true);
        continue;
      }

      try {
        await this.onBatch(batch);
      } catch (error) {
        // Not committed, so the next turn fetches the same records again: a failing
        // batch is retried until it succeeds or the subscription stops, never skipped.
        this.report(error);
        await this.pause(retryMs, false);
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
        continue;
      }

      const last = batch[batch.length - 1]!.offset;
      try {
        this.bus.commit(this.topic, this.group, last);
        this.position = last;
        retryMs = RETRY_FIRST_MS;
      } catch (error) {
        // The batch was handled but its position is not stored: handing it over again
        // is the at-least-once promise, which idempotent writers absorb.
        this.report(new UnavailableError(`cannot commit ${this.topic} for group ${this.group}`, 'bus', error));
        await this.pause(retryMs, false);
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
        continue;
      }
      // A handler that resolves without real I/O would otherwise keep this loop in
      // microtasks while a backlog drains, starving HTTP and timers in the same process.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** Waits `ms`, or less if the subscription stops or (when asked) this topic gets a publish. */
  private pause(ms: number, wakeOnPublish: boolean): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let unlisten: (() => void) | undefined;
      const finish = (): void => {
        clearTimeout(timer);
        unlisten?.();
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      if (wakeOnPublish) unlisten = this.bus.onAppended(this.topic, finish);
      this.wake = finish;
    });
  }

  private report(error: unknown): void {
    try {
      this.options.onError?.(error);
    } catch {
      // A throwing error listener must not end the consumer loop.
    }
  }
}

function assertTopic(topic: string): void {
  if (typeof topic !== 'string' || topic.length === 0) {
    throw new VigilError('invalid_topic', 'a topic name must be a non-empty string', 'bus');
  }
}
