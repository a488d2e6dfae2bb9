// The all-in-one checkpoint store: <dataDir>/correlation.db (SQLite, WAL), one row per
// signals partition holding its gzipped state and the position it reflects, replaced
// in one statement: a crash leaves the old row or the new one, never a mix.
// (Before partitioned checkpoints, this file held state_values/state_rows tables; they
// are ignored, and a first start rebuilds the state by replaying the signals topic.)
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { UnavailableError } from '../../core/errors.ts';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint, type CheckpointStore } from './checkpoint-store.ts';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS partition_checkpoints (
    partition INTEGER PRIMARY KEY,
    position INTEGER NOT NULL,
    state BLOB NOT NULL
  );
`;

export function openSqliteCheckpointStore(dataDir: string): CheckpointStore {
  const file = path.join(dataDir, 'correlation.db');
  let db: Database.Database;
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    // NORMAL is enough here: a checkpoint lost to power failure is rebuilt by replaying
    // the signals topic from the last one that did reach the disk.
    db.pragma('synchronous = NORMAL');
    db.exec(SCHEMA);
  } catch (error) {
    throw new UnavailableError(`cannot open ${file}`, 'correlate', error);
  }
  const select = db.prepare<[number], { state: Buffer }>('SELECT state FROM partition_checkpoints WHERE partition = ?');
  const upsert = db.prepare<[number, number, Buffer]>(
    `INSERT INTO partition_checkpoints (partition, position, state) VALUES (?, ?, ?)
     ON CONFLICT (partition) DO UPDATE SET position = excluded.position, state = excluded.state`,
  );
  const saveAll = db.transaction((rows: [number, number, Buffer][]) => {
    for (const [partition, position, state] of rows) upsert.run(partition, position, state);
  });

  return {
    async load(partitions) {
      const found = new Map<number, Checkpoint>();
      for (const partition of partitions) {
        const row = select.get(partition);
        if (row !== undefined) found.set(partition, await decodeCheckpoint(row.state, `${file} partition ${partition}`));
      }
      return found;
    },
    async save(checkpoints) {
      const rows: [number, number, Buffer][] = [];
      for (const [partition, checkpoint] of checkpoints) rows.push([partition, checkpoint.position, await encodeCheckpoint(checkpoint)]);
      try {
        saveAll.immediate(rows);
      } catch (error) {
        throw new UnavailableError(`cannot save correlation checkpoints to ${file}`, 'correlate', error);
      }
    },
    async close() {
      db.close();
    },
  };
}
