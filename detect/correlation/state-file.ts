// The correlate stage's durable state, <dataDir>/correlation.db (SQLite, WAL): open
// correlation windows, alert groups and learned source activity, stored together with
// the signals-topic position they reflect, in ONE transaction per batch. On restart the
// stage reloads the state and skips every signal at or before that position, so a
// SIGKILL between "state saved" and "bus committed" neither loses nor double counts.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { UnavailableError } from '../../core/errors.ts';

/** Groups of rows: the engine's windows, the grouper's alerts, the silence monitor's sources. */
export type StateSpace = 'engine' | 'grouper' | 'silence';

export interface StateChanges {
  /** Small named values (positions, engine meta), JSON-encoded. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Rows per space: state, or null to delete. */
  readonly rows: Readonly<Partial<Record<StateSpace, readonly (readonly [string, unknown])[]>>>;
}

export interface CorrelationStateFile {
  value(name: string): unknown;
  rows(space: StateSpace): IterableIterator<[string, unknown]>;
  save(changes: StateChanges): void;
  close(): void;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS state_values (name TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS state_rows (
    space TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (space, key)
  ) WITHOUT ROWID;
`;

export function openCorrelationState(dataDir: string): CorrelationStateFile {
  const file = path.join(dataDir, 'correlation.db');
  let db: Database.Database;
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    // NORMAL is enough here: a state lost to power failure is rebuilt by replaying the
    // signals topic from the last position that did reach the disk.
    db.pragma('synchronous = NORMAL');
    db.exec(SCHEMA);
  } catch (error) {
    throw new UnavailableError(`cannot open ${file}: ${(error as Error).message}`, 'correlate');
  }
  const selectValue = db.prepare<[string], string>('SELECT value FROM state_values WHERE name = ?').pluck();
  const upsertValue = db.prepare<[string, string]>(
    'INSERT INTO state_values (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
  );
  const selectRows = db.prepare<[string], { key: string; value: string }>('SELECT key, value FROM state_rows WHERE space = ?');
  const upsertRow = db.prepare<[string, string, string]>(
    'INSERT INTO state_rows (space, key, value) VALUES (?, ?, ?) ON CONFLICT (space, key) DO UPDATE SET value = excluded.value',
  );
  const deleteRow = db.prepare<[string, string]>('DELETE FROM state_rows WHERE space = ? AND key = ?');
  const save = db.transaction((changes: StateChanges) => {
    for (const [name, value] of Object.entries(changes.values)) upsertValue.run(name, JSON.stringify(value));
    for (const [space, rows] of Object.entries(changes.rows)) {
      for (const [key, value] of rows ?? []) {
        if (value === null || value === undefined) deleteRow.run(space, key);
        else upsertRow.run(space, key, JSON.stringify(value));
      }
    }
  });

  return {
    value(name) {
      const text = selectValue.get(name);
      return text === undefined ? undefined : (JSON.parse(text) as unknown);
    },
    *rows(space) {
      for (const row of selectRows.iterate(space)) yield [row.key, JSON.parse(row.value) as unknown];
    },
    save(changes) {
      save.immediate(changes);
    },
    close() {
      db.close();
    },
  };
}
