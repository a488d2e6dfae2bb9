// The cluster checkpoint store: checkpoints on the compacted topic TOPICS.correlateState
// (over the Bus port, so Kafka in a cluster), so whichever correlate replica is assigned
// a signals partition restores its state, wherever the last owner ran.
//
// Atomic per partition without transactions, by double buffering. A checkpoint is
// gzipped and cut into chunks (a Kafka record has a size limit) written under one of
// two slots of this writer (one store instance), `p<N>/<writer>/a/<i>` or `.../b/<i>`,
// alternating; then one manifest record `p<N>` names the writer, slot, epoch, chunk
// count, a sha256 of the bytes and the position. A crash before the manifest leaves the
// previous manifest pointing at chunks this save did not touch: another slot, or
// another writer's. Chunk keys carry the writer because on Kafka a replica learns that
// a partition moved only after the move (kafkajs announces revocation late), so the old
// owner may still save while the new one does: each then overwrites only its own
// chunks, and the manifest that lands last names chunks that are whole. Either is a
// consistent state and position; the stage replays from it.
//
// Compaction keeps the newest record per key: the manifest and each writer's two slots.
// Chunks of other writers older than GC_AFTER_MS (long after any save in flight) are
// overwritten with empty records when a partition is loaded, so dead replicas' state
// does not linger with data.
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { VigilError } from '../../core/errors.ts';
import { TOPICS, type Bus, type BusMessage, type BusRecord, type Positions } from '../../core/ports/bus.ts';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint, type CheckpointStore } from './checkpoint-store.ts';

/** Bytes per chunk: well under Kafka's default 1 MB record limit. */
const CHUNK_BYTES = 512 * 1024;
const READ_LIMIT = 500;
/** Other writers' chunks older than this are blanked on load: no save takes ten minutes. */
const GC_AFTER_MS = 10 * 60_000;

const manifestSchema = z.object({
  writer: z.string().regex(/^[a-z0-9-]{1,64}$/),
  epoch: z.number().int().nonnegative(),
  slot: z.enum(['a', 'b']),
  chunks: z.number().int().positive(),
  sha256: z.string(),
  position: z.number().int().min(-1),
});
type Manifest = z.infer<typeof manifestSchema>;

const chunkHeaderSchema = z.object({ epoch: z.number().int().nonnegative(), index: z.number().int().nonnegative() });

export interface BusCheckpointStoreOptions {
  topic?: string;
  /** Bytes per chunk (tests make it small to exercise several chunks). */
  chunkBytes?: number;
  /** Names this writer's chunks; a random one per store instance by default. */
  writer?: string;
  clock?: () => number;
}

export function createBusCheckpointStore(bus: Bus, options: BusCheckpointStoreOptions = {}): CheckpointStore {
  const topic = options.topic ?? TOPICS.correlateState;
  const chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
  const writer = options.writer ?? randomUUID().slice(0, 8);
  const clock = options.clock ?? Date.now;
  /** The manifest each partition's last load or save saw: the next epoch follows from it. */
  const manifests = new Map<number, Manifest | null>();
  /** This writer's last slot per partition: the next save uses the other one. */
  const lastSlot = new Map<number, 'a' | 'b'>();
  /** Chunks this writer last wrote per partition and slot, so a shorter save blanks the rest. */
  const slotSizes = new Map<string, number>();
  let topicPartitions: number | undefined;

  const statePartition = async (partition: number) => {
    topicPartitions ??= Math.max(1, await bus.partitionCount(topic));
    return partition % topicPartitions;
  };

  /** The newest record per key among those of `partitions`, read up to the end the topic had when asked. */
  const readNewest = async (wanted: ReadonlySet<number>): Promise<Map<string, BusRecord>> => {
    const statePartitions = new Set(await Promise.all([...wanted].map(statePartition)));
    const end = await bus.endPositions(topic);
    // Start the partitions we do not need at their end, so only ours are read.
    const positions: Positions = {};
    for (const [partition, offset] of Object.entries(end)) if (!statePartitions.has(Number(partition))) positions[Number(partition)] = offset;
    const newest = new Map<string, BusRecord>();
    for (;;) {
      const records = (await bus.readAfter(topic, positions, READ_LIMIT)).filter(
        (record) => statePartitions.has(record.partition) && record.offset <= (end[record.partition] ?? -1),
      );
      if (records.length === 0) return newest;
      for (const record of records) {
        newest.set(record.key, record);
        positions[record.partition] = Math.max(positions[record.partition] ?? -1, record.offset);
      }
    }
  };

  const assemble = async (partition: number, manifest: Manifest, newest: Map<string, BusRecord>): Promise<Checkpoint> => {
    const where = `${topic} partition ${partition} epoch ${manifest.epoch}`;
    const parts: Buffer[] = [];
    for (let index = 0; index < manifest.chunks; index++) {
      const record = newest.get(chunkKey(partition, manifest.writer, manifest.slot, index));
      const chunk = record === undefined ? undefined : readChunk(record.value);
      if (chunk === undefined || chunk.header.epoch !== manifest.epoch || chunk.header.index !== index) {
        throw new VigilError('bad_checkpoint', `${where}: chunk ${index} is missing or from another save`, 'correlate');
      }
      parts.push(chunk.data);
    }
    const bytes = Buffer.concat(parts);
    if (sha256(bytes) !== manifest.sha256) throw new VigilError('bad_checkpoint', `${where}: checksum mismatch`, 'correlate');
    return decodeCheckpoint(bytes, where);
  };

  /** Blanks the chunks of writers other than `keep` that are older than GC_AFTER_MS. */
  const collectGarbage = async (partition: number, keep: ReadonlySet<string>, newest: Map<string, BusRecord>) => {
    const prefix = `p${partition}/`;
    const stale: BusMessage[] = [];
    for (const [key, record] of newest) {
      if (!key.startsWith(prefix) || record.value.length === 0) continue;
      const owner = key.slice(prefix.length).split('/')[0] ?? '';
      if (!keep.has(owner) && record.timestamp < clock() - GC_AFTER_MS) {
        stale.push({ key, partition: await statePartition(partition), value: new Uint8Array(0) });
      }
    }
    if (stale.length > 0) await bus.publish(topic, stale);
  };

  return {
    async load(partitions) {
      const found = new Map<number, Checkpoint>();
      if (partitions.length === 0) return found;
      const newest = await readNewest(new Set(partitions));
      for (const partition of partitions) {
        const record = newest.get(manifestKey(partition));
        const manifest = record === undefined || record.value.length === 0 ? null : manifestSchema.parse(JSON.parse(Buffer.from(record.value).toString('utf8')));
        manifests.set(partition, manifest);
        await collectGarbage(partition, new Set([writer, ...(manifest === null ? [] : [manifest.writer])]), newest);
        if (manifest !== null) found.set(partition, await assemble(partition, manifest, newest));
      }
      return found;
    },

    async save(checkpoints) {
      for (const [partition, checkpoint] of checkpoints) {
        if (!manifests.has(partition)) await this.load([partition]);
        const previous = manifests.get(partition) ?? null;
        const epoch = previous === null ? 0 : previous.epoch + 1;
        const slot = lastSlot.get(partition) === 'a' ? 'b' : 'a';
        const bytes = await encodeCheckpoint(checkpoint);
        const target = await statePartition(partition);
        const chunks: BusMessage[] = [];
        for (let index = 0, start = 0; start < bytes.length || index === 0; index++, start += chunkBytes) {
          const header = Buffer.from(JSON.stringify({ epoch, index }));
          const value = Buffer.concat([header, Buffer.from([0]), bytes.subarray(start, start + chunkBytes)]);
          chunks.push({ key: chunkKey(partition, writer, slot, index), partition: target, value });
        }
        // Chunks first (durable), then the manifest that makes them the checkpoint.
        await bus.publish(topic, chunks);
        const manifest: Manifest = { writer, epoch, slot, chunks: chunks.length, sha256: sha256(bytes), position: checkpoint.position };
        const stale: BusMessage[] = [];
        const sizeKey = `${partition}/${slot}`;
        for (let index = chunks.length; index < (slotSizes.get(sizeKey) ?? 0); index++) {
          stale.push({ key: chunkKey(partition, writer, slot, index), partition: target, value: new Uint8Array(0) });
        }
        slotSizes.set(sizeKey, chunks.length);
        await bus.publish(topic, [{ key: manifestKey(partition), partition: target, value: Buffer.from(JSON.stringify(manifest)) }, ...stale]);
        // Only now is this slot the live one: after a failed manifest the next save reuses it.
        lastSlot.set(partition, slot);
        manifests.set(partition, manifest);
      }
    },

    async close() {
      // The bus belongs to the caller.
    },
  };
}

const manifestKey = (partition: number) => `p${partition}`;
const chunkKey = (partition: number, writer: string, slot: 'a' | 'b', index: number) => `p${partition}/${writer}/${slot}/${index}`;

function readChunk(value: Uint8Array): { header: z.infer<typeof chunkHeaderSchema>; data: Buffer } | undefined {
  const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  const split = bytes.indexOf(0);
  if (split < 0) return undefined;
  const header = chunkHeaderSchema.safeParse(safeJson(bytes.subarray(0, split).toString('utf8')));
  return header.success ? { header: header.data, data: bytes.subarray(split + 1) } : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
