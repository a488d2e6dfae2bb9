// The embedded Bus adapter for the all-in-one deployment: an append-only log per topic
// partition in SQLite (<dataDir>/bus.db, WAL) with committed consumer-group positions, so
// one machine gets the same delivery guarantees as Kafka without running a broker.
import fs from 'node:fs';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import { BroadcastChannel } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { Bus, BusMessage, BusRecord, Positions, SubscribeOptions, Subscription, TopicSpec } from '../ports/bus.ts';
import { UnavailableError, VigilError } from '../errors.ts';
import { EmbeddedSubscription } from './embedded-subscription.ts';
import { choosePartition } from './key-partition.ts';
import { mergeByTime } from './merge-by-time.ts';

export interface EmbeddedBusOptions {
  /** Directory holding bus.db; created if missing. */
  dataDir: string;
  /** How often an idle subscription looks for records appended by other processes. */
  pollIntervalMs?: number;
}

const DEFAULT_POLL_INTERVAL_MS = 100;
const DEFAULT_MAX_BATCH_RECORDS = 1000;
// As many partitions as anyone would give one topic on one machine; a typo beyond it is refused.
const MAX_PARTITIONS = 1024;

type RecordRow = [offset: number, key: string, value: Buffer, timestamp: number];

// `log` replaced the single-partition `records` table; migrateSinglePartitionLog moves
// an older bus.db over, so an upgrade loses nothing a group has not committed.
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS topics (
    name TEXT PRIMARY KEY,
    partitions INTEGER NOT NULL,
    compacted INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE IF NOT EXISTS log (
    topic TEXT NOT NULL,
    partition INTEGER NOT NULL,
    "offset" INTEGER NOT NULL,
    key TEXT NOT NULL,
    value BLOB NOT NULL,
    timestamp INTEGER NOT NULL,
    PRIMARY KEY (topic, partition, "offset")
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

  private readonly selectPartitions: Database.Statement<[string], { partitions: number }>;
  private readonly insertTopic: Database.Statement<[string, number, number]>;
  private readonly selectEnd: Database.Statement<[string, number], { end: number | null }>;
  private readonly insertRecord: Database.Statement<[string, number, number, string, Uint8Array, number]>;
  private readonly selectAfter: Database.Statement<[string, number, number, number], RecordRow>;
  private readonly selectCommitted: Database.Statement<[string, string, number], { committed: number }>;
  private readonly selectAllCommitted: Database.Statement<[string, string], { partition: number; committed: number }>;
  private readonly commitForward: Database.Statement<[string, string, number, number]>;
  private readonly insertCommittedIfAbsent: Database.Statement<[string, string, number, number]>;
  private readonly deleteOld: Database.Statement<[string, number, number, number]>;
  private readonly appendAll: (topic: string, records: readonly BusMessage[]) => void;
  private readonly commitAll: (topic: string, group: string, positions: ReadonlyMap<number, number>) => void;

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
      migrateSinglePartitionLog(this.db);
    } catch (error) {
      throw new UnavailableError(`cannot open the embedded bus at ${file}`, 'bus', error);
    }

    this.selectPartitions = this.db.prepare('SELECT partitions FROM topics WHERE name = ?');
    this.insertTopic = this.db.prepare('INSERT OR IGNORE INTO topics (name, partitions, compacted) VALUES (?, ?, ?)');
    this.selectEnd = this.db.prepare('SELECT MAX("offset") AS end FROM log WHERE topic = ? AND partition = ?');
    this.insertRecord = this.db.prepare(
      'INSERT INTO log (topic, partition, "offset", key, value, timestamp) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.selectAfter = this.db
      .prepare<[string, number, number, number], RecordRow>(
        'SELECT "offset", key, value, timestamp FROM log WHERE topic = ? AND partition = ? AND "offset" > ? ORDER BY "offset" LIMIT ?',
      )
      .raw(true);
    this.selectCommitted = this.db.prepare(
      'SELECT committed_offset AS committed FROM group_offsets WHERE topic = ? AND grp = ? AND partition = ?',
    );
    this.selectAllCommitted = this.db.prepare(
      'SELECT partition, committed_offset AS committed FROM group_offsets WHERE topic = ? AND grp = ?',
    );
    // A position only moves forward: a stage that replays records below it (onAssigned
    // answered an older checkpoint) must still see them as already handled after a crash.
    this.commitForward = this.db.prepare(
      `INSERT INTO group_offsets (topic, grp, partition, committed_offset) VALUES (?, ?, ?, ?)
       ON CONFLICT (topic, grp, partition) DO UPDATE SET committed_offset = MAX(committed_offset, excluded.committed_offset)`,
    );
    this.insertCommittedIfAbsent = this.db.prepare(
      'INSERT OR IGNORE INTO group_offsets (topic, grp, partition, committed_offset) VALUES (?, ?, ?, ?)',
    );
    this.deleteOld = this.db.prepare('DELETE FROM log WHERE topic = ? AND partition = ? AND "offset" <= ? AND timestamp < ?');

    const append = (topic: string, records: readonly BusMessage[]): void => {
      const partitions = this.registerTopic(topic);
      const next = new Map<number, number>();
      const timestamp = Date.now();
      records.forEach((record, index) => {
        if (typeof record.key !== 'string' || !(record.value instanceof Uint8Array)) {
          throw new VigilError('invalid_record', `record ${index} for ${topic} needs a string key and a Uint8Array value`, 'bus');
        }
        const partition = choosePartition(topic, record, partitions, index);
        const offset = next.get(partition) ?? this.endOffset(topic, partition) + 1;
        this.insertRecord.run(topic, partition, offset, record.key, record.value, timestamp);
        next.set(partition, offset + 1);
      });
    };
    // IMMEDIATE takes the write lock before reading the end offsets, so two processes
    // appending to the same topic cannot both claim the same offsets.
    const appendTransaction = this.db.transaction(append);
    this.appendAll = (topic, records) => appendTransaction.immediate(topic, records);
    const commitTransaction = this.db.transaction((topic: string, group: string, positions: ReadonlyMap<number, number>) => {
      for (const [partition, offset] of positions) this.commitForward.run(topic, group, partition, offset);
    });
    this.commitAll = (topic, group, positions) => commitTransaction.immediate(topic, group, positions);

    this.appended.setMaxListeners(0);
    this.otherThreads = new BroadcastChannel(`vigil-bus:${path.resolve(file)}`);
    this.otherThreads.onmessage = (message) => {
      const topic = (message as { data: unknown }).data;
      if (typeof topic === 'string') this.appended.emit(topic);
    };
    // The channel must not keep the process alive on its own.
    this.otherThreads.unref();
  }

  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    this.assertOpen();
    for (const topic of topics) {
      assertTopic(topic.name);
      if (!Number.isInteger(topic.partitions) || topic.partitions < 1 || topic.partitions > MAX_PARTITIONS) {
        throw new VigilError('invalid_option', `${topic.name}: partitions must be an integer from 1 to ${MAX_PARTITIONS}, got ${topic.partitions}`, 'bus');
      }
    }
    try {
      this.db.transaction(() => {
        for (const topic of topics) this.insertTopic.run(topic.name, topic.partitions, topic.compacted ? 1 : 0);
      }).immediate();
    } catch (error) {
      throw new UnavailableError(`cannot create topics ${topics.map((topic) => topic.name).join(', ')}`, 'bus', error);
    }
  }

  // A topic nobody ensured has one partition: that is what its first use creates.
  async partitionCount(topic: string): Promise<number> {
    this.assertOpen();
    return this.knownPartitions(topic) ?? 1;
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
    this.assertOpen();
    assertTopic(topic);
    const maxBatchRecords = options.maxBatchRecords ?? DEFAULT_MAX_BATCH_RECORDS;
    if (!Number.isInteger(maxBatchRecords) || maxBatchRecords < 1) {
      throw new VigilError('invalid_option', `maxBatchRecords must be a positive integer, got ${maxBatchRecords}`, 'bus');
    }
    const commits = options.commit !== false;
    // One process is one group member holding every partition, so two live members of a
    // group would both get every record; refuse rather than silently deliver twice.
    if (commits) {
      for (const existing of this.subscriptions) {
        if (existing.commits && existing.topic === topic && existing.group === group) {
          throw new VigilError('group_busy', `group ${group} already has a subscription to ${topic} in this process`, 'bus');
        }
      }
    }

    // Positions are resolved now, synchronously, so a record published right after
    // subscribe() returns is delivered; a committing 'latest' start is recorded, so a
    // restart before the first batch does not skip what was appended in between.
    const positions = new Map<number, number>();
    let partitions: number;
    try {
      partitions = this.registerTopic(topic);
      for (let partition = 0; partition < partitions; partition += 1) {
        const end = this.endOffset(topic, partition);
        if (!commits) {
          positions.set(partition, options.start === 'latest' ? end : -1);
          continue;
        }
        if (options.start === 'latest') this.insertCommittedIfAbsent.run(topic, group, partition, end);
        positions.set(partition, this.selectCommitted.get(topic, group, partition)?.committed ?? -1);
      }
    } catch (error) {
      throw new UnavailableError(`cannot read the position of group ${group} on ${topic}`, 'bus', error);
    }

    const subscription = new EmbeddedSubscription(this, topic, group, positions, onBatch, {
      commits,
      maxBatchRecords,
      pollIntervalMs: this.pollIntervalMs,
      onError: options.onError,
      onAssigned: options.onAssigned,
      onRevoked: options.onRevoked,
    });
    this.subscriptions.add(subscription);
    void subscription.done.then(() => this.subscriptions.delete(subscription));
    return subscription;
  }

  async readAfter(topic: string, positions: Positions, limit: number): Promise<BusRecord[]> {
    this.assertOpen();
    if (!Number.isInteger(limit) || limit < 1) return [];
    const partitions = this.knownPartitions(topic) ?? 1;
    const perPartition: BusRecord[][] = [];
    for (let partition = 0; partition < partitions; partition += 1) {
      perPartition.push(this.fetch(topic, partition, positions[partition] ?? -1, limit));
    }
    return mergeByTime(perPartition, limit);
  }

  async endPositions(topic: string): Promise<Positions> {
    this.assertOpen();
    const positions: Positions = {};
    for (const { partition, end } of this.partitionEnds(topic)) positions[partition] = end;
    return positions;
  }

  async lag(topic: string, group: string): Promise<number> {
    this.assertOpen();
    const committed = await this.committed(topic, group);
    let lag = 0;
    for (const [partition, end] of Object.entries(await this.endPositions(topic))) {
      lag += Math.max(0, end - (committed[Number(partition)] ?? -1));
    }
    return lag;
  }

  async committed(topic: string, group: string): Promise<Positions> {
    this.assertOpen();
    const positions: Positions = {};
    for (const { partition, committed } of this.selectAllCommitted.all(topic, group)) {
      if (committed >= 0) positions[partition] = committed;
    }
    return positions;
  }

  /**
   * Retention, as Kafka's retention.ms: deletes records appended before `olderThan`
   * (epoch ms), but never one that a group in `keepFor` has not committed yet (a group
   * with no position keeps everything), and never the newest record of a partition,
   * whose offset the next publish continues from. Answers how many records were deleted.
   */
  prune(topic: string, options: { olderThan: number; keepFor: readonly string[] }): number {
    this.assertOpen();
    let deleted = 0;
    for (const { partition, end } of this.partitionEnds(topic)) {
      const committed = options.keepFor.map((group) => this.selectCommitted.get(topic, group, partition)?.committed ?? -1);
      const limit = Math.min(end - 1, ...committed);
      if (limit < 0) continue;
      deleted += this.deleteOld.run(topic, partition, limit, options.olderThan).changes;
    }
    return deleted;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
      this.otherThreads.close();
      this.db.close();
    })();
    return this.closing;
  }

  /** @internal Records of one partition after `offset`, oldest first. */
  fetch(topic: string, partition: number, offset: number, limit: number): BusRecord[] {
    const rows = this.selectAfter.all(topic, partition, offset, limit);
    return rows.map(([recordOffset, key, value, timestamp]) => ({
      topic,
      partition,
      offset: recordOffset,
      key,
      value,
      timestamp,
    }));
  }

  /** @internal Stores the group's positions (the offset of the last record handled per partition), never moving one back. */
  commit(topic: string, group: string, positions: ReadonlyMap<number, number>): void {
    this.commitAll(topic, group, positions);
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

  private endOffset(topic: string, partition: number): number {
    return this.selectEnd.get(topic, partition)?.end ?? -1;
  }

  /**
   * The newest offset of each partition that holds records. One MAX per partition,
   * which SQLite answers from the last entry of the primary key; a single
   * `GROUP BY partition` read the topic's whole index instead (127 ms at a million
   * records), on every lag and backlog sample of every thread.
   */
  private partitionEnds(topic: string): Array<{ partition: number; end: number }> {
    const ends: Array<{ partition: number; end: number }> = [];
    const partitions = this.knownPartitions(topic) ?? 0;
    for (let partition = 0; partition < partitions; partition += 1) {
      const end = this.selectEnd.get(topic, partition)?.end;
      if (end !== null && end !== undefined) ends.push({ partition, end });
    }
    return ends;
  }

  private knownPartitions(topic: string): number | undefined {
    return this.selectPartitions.get(topic)?.partitions;
  }

  /** The topic's partition count; a topic used before anyone ensured it gets one partition. */
  private registerTopic(topic: string): number {
    const known = this.knownPartitions(topic);
    if (known !== undefined) return known;
    this.insertTopic.run(topic, 1, 0);
    return this.knownPartitions(topic) ?? 1;
  }

  private assertOpen(): void {
    if (!this.db.open) throw new UnavailableError('the embedded bus is closed', 'bus');
  }
}

/** Moves a bus.db written before partitions existed (one `records` table) into `log` as partition 0. */
function migrateSinglePartitionLog(db: Database.Database): void {
  const old = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'records'").get();
  if (!old) return;
  db.transaction(() => {
    // Checked again under the write lock: another process may have migrated meanwhile.
    if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'records'").get()) return;
    db.exec(`
      INSERT OR IGNORE INTO topics (name, partitions, compacted) SELECT DISTINCT topic, 1, 0 FROM records;
      INSERT OR IGNORE INTO log (topic, partition, "offset", key, value, timestamp)
        SELECT topic, 0, "offset", key, value, timestamp FROM records;
      DROP TABLE records;
    `);
  }).immediate();
}

function assertTopic(topic: string): void {
  if (typeof topic !== 'string' || topic.length === 0) {
    throw new VigilError('invalid_topic', 'a topic name must be a non-empty string', 'bus');
  }
}
