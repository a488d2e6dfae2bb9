// The checkpoint port of the correlate stage: per signals partition, the correlator's
// whole state and the signals position it reflects (the offset of the last record
// applied). Saving is atomic per partition: a reader sees the previous checkpoint or
// the new one, never rows newer than the position they claim. Two implementations:
// sqlite-checkpoint-store.ts (all-in-one: <dataDir>/correlation.db) and
// bus-checkpoint-store.ts (a cluster: the compacted topic TOPICS.correlateState, so
// whichever replica is assigned a partition restores it).
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { z } from 'zod';
import { VigilError } from '../../core/errors.ts';

export interface Checkpoint {
  /** Offset of the last signals record the state reflects; -1: none. */
  readonly position: number;
  /** Correlator state (correlator.ts CorrelatorState), plain JSON. */
  readonly state: unknown;
}

export interface CheckpointStore {
  /** The latest checkpoint of each partition asked for that has one. */
  load(partitions: readonly number[]): Promise<Map<number, Checkpoint>>;
  /** Saves each partition's checkpoint, each atomically; resolves when durable. */
  save(checkpoints: ReadonlyMap<number, Checkpoint>): Promise<void>;
  close(): Promise<void>;
}

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** A checkpoint as bytes: gzipped JSON, compressed off the event loop (the thread pool). */
export async function encodeCheckpoint(checkpoint: Checkpoint): Promise<Buffer> {
  return gzipAsync(Buffer.from(JSON.stringify({ position: checkpoint.position, state: checkpoint.state })));
}

const checkpointSchema = z.object({ position: z.number().int().min(-1), state: z.unknown() });

/** Reads back what encodeCheckpoint wrote; `where` names it in the error (the partition, the store). */
export async function decodeCheckpoint(bytes: Uint8Array, where: string): Promise<Checkpoint> {
  try {
    return checkpointSchema.parse(JSON.parse((await gunzipAsync(bytes)).toString('utf8')));
  } catch (error) {
    throw new VigilError('bad_checkpoint', `${where}: unreadable checkpoint: ${(error as Error).message}`, 'correlate', 500, undefined, { cause: error });
  }
}
