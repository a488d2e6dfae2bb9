// Tables, indexes and connection settings of the embedded (SQLite) store. Kept apart
// from the queries so the layout can be read, and later migrated, in one place.
import type Database from 'better-sqlite3';
import { VigilError } from '../errors.ts';

/**
 * 2: an event's identity is (@timestamp, event.id, unit). Version 1 left the unit out,
 * so one unit's event could silently take the place of another's with the same id and
 * time; opening a version 1 file migrates it (see migrateToIdentityWithUnit).
 */
export const SCHEMA_VERSION = 2;

export function configureConnection(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  // FULL, not NORMAL: detect commits its bus position once writeEvents resolves, so a
  // write must survive a power cut too, or the events would be lost for good. In WAL
  // mode that is one WAL fsync per transaction, i.e. per batch, not per event.
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -65536'); // 64 MiB of page cache: searches scan recent pages repeatedly.
  db.pragma('temp_store = MEMORY');
  // Checkpoint every ~40 MiB of WAL rather than 4: index pages that every batch touches
  // (one per unit in the (org, time) index) are then copied to the database once per
  // checkpoint instead of once per batch, ~10% more events/s. The checkpoint runs on
  // the writer thread, so its longer pause never reaches the caller.
  db.pragma('wal_autocheckpoint = 10000');
  db.pragma('journal_size_limit = 67108864');
}

export function createSchema(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === SCHEMA_VERSION) return;
  if (version > SCHEMA_VERSION) {
    throw new VigilError(
      'store_too_new',
      `${db.name} has store schema version ${version}, newer than this Vigil understands (${SCHEMA_VERSION}); ` +
        'run the Vigil version that wrote it, or move the file away to start an empty store',
      'store',
    );
  }
  if (version === 1) {
    migrateToIdentityWithUnit(db);
    return;
  }
  db.exec(`
    -- No primary key on id: event ids are random (UUIDs), and a B-tree keyed by them
    -- dirties one random page per insert, so every 500-event commit rewrote ~500 pages
    -- to the WAL (half the store's write cost). Uniqueness is on the event's identity,
    -- (ts, id, org), time first: events arrive roughly in time order, so inserts land at
    -- the index's right edge. A replay or an agent's retry repeats all three, so writes
    -- stay idempotent; the unit is part of it so that one unit can never take the place
    -- of another unit's event by sending its id and time first. Lookups by id go
    -- through the full-text index, which holds event.id (see getEvents).
    CREATE TABLE IF NOT EXISTS events (
      id   TEXT NOT NULL,
      ts   TEXT NOT NULL,  -- @timestamp as UTC ISO text, so text order is time order
      org  TEXT NOT NULL,
      host TEXT,
      doc  TEXT NOT NULL   -- the whole event as JSON
    );
    -- id is the tie-breaker of the newest-first order and of keyset paging.
    CREATE INDEX IF NOT EXISTS events_org_ts ON events (org, ts, id);
    CREATE UNIQUE INDEX IF NOT EXISTS events_identity ON events (ts, id, org);

    -- Contentless: the index alone, keyed by events.rowid. The text it indexes is
    -- derived from events.doc, so storing it again (a content column, or an
    -- external-content table that would need that text materialized somewhere) would
    -- roughly double the disk per event for nothing: matches are read back from events.
    -- contentless_delete lets retention delete rows later.
    CREATE VIRTUAL TABLE IF NOT EXISTS events_fts USING fts5(
      text,
      content = '',
      contentless_delete = 1,
      tokenize = 'unicode61 remove_diacritics 2'  -- "ha noi" finds "Hà Nội"
    );
    -- Merge index segments 16 at a time instead of 4: each batch's commit writes a
    -- small segment, and merging less eagerly writes ~10% less, for ~12% more events/s.
    INSERT INTO events_fts (events_fts, rank) VALUES ('automerge', 16);

    CREATE TABLE IF NOT EXISTS alerts (
      id        TEXT PRIMARY KEY,
      org       TEXT NOT NULL,
      rule_id   TEXT NOT NULL,
      host_id   TEXT,
      host_name TEXT,
      status    TEXT NOT NULL,
      severity  TEXT NOT NULL,
      last_seen TEXT NOT NULL,  -- UTC ISO text, like events.ts
      doc       TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS alerts_org_seen ON alerts (org, last_seen, id);
    CREATE INDEX IF NOT EXISTS alerts_seen ON alerts (last_seen, id);
    CREATE INDEX IF NOT EXISTS alerts_status_seen ON alerts (status, last_seen, id);
    CREATE INDEX IF NOT EXISTS alerts_severity_seen ON alerts (severity, last_seen, id);
    CREATE INDEX IF NOT EXISTS alerts_rule_seen ON alerts (rule_id, last_seen, id);
    CREATE INDEX IF NOT EXISTS alerts_host_id ON alerts (host_id);
    CREATE INDEX IF NOT EXISTS alerts_host_name ON alerts (host_name);
  `);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
}

/**
 * Version 1 to 2: the unique index gains the unit. Nothing is lost or rewritten: every
 * row already differs from the others in (ts, id), so it differs in (ts, id, org) too.
 * (Events a version 1 store refused because another unit had taken their id and time
 * were never stored, so there is nothing to recover.) One transaction: a crash midway
 * leaves version 1, migrated again on the next start.
 */
function migrateToIdentityWithUnit(db: Database.Database): void {
  db.transaction(() => {
    db.exec(`
      DROP INDEX IF EXISTS events_ts;
      CREATE UNIQUE INDEX IF NOT EXISTS events_identity ON events (ts, id, org);
    `);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
