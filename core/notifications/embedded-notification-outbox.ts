// The embedded NotificationOutbox: SQLite in <dataDir>/notify.db (WAL), written by the
// notify stage and read by the api (both may be separate processes on one data dir).
// Each call is one transaction, durable when it returns: the notify stage commits its
// alerts position only after `record` returned, so no alert is lost between "written"
// and "sent". The unique `key` column is the idempotency key. A claim is one guarded
// UPDATE (pending, due, lease free or run out), which SQLite serialises across every
// connection to the file: of two notify processes claiming at once exactly one wins.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { NotFoundError } from '../errors.ts';
import {
  notificationPayloadSchema,
  type ChannelInfo,
  type Delivery,
  type DeliveryAttempt,
  type DigestUnitCount,
  type FailureOutcome,
  type NewDelivery,
  type NotificationOutbox,
} from '../ports/notifications.ts';
import type { Scope } from '../ports/scope.ts';
import { isoTime as iso, toDelivery as recordToDelivery, type DeliveryRecord } from './delivery-record.ts';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS channels (
    name TEXT PRIMARY KEY, type TEXT NOT NULL, unit TEXT, language TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    channel TEXT NOT NULL,
    kind TEXT NOT NULL,
    alert_id TEXT,
    unit TEXT,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    due_at INTEGER NOT NULL,
    sent_at INTEGER,
    last_error TEXT,
    digest_key TEXT,
    payload TEXT NOT NULL,
    lease_owner TEXT,
    lease_until INTEGER);
  CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (state, due_at);
  CREATE INDEX IF NOT EXISTS deliveries_by_alert ON deliveries (alert_id);
  CREATE INDEX IF NOT EXISTS deliveries_by_digest ON deliveries (digest_key);
  CREATE INDEX IF NOT EXISTS deliveries_by_admission ON deliveries (created_at);
  CREATE TABLE IF NOT EXISTS attempts (
    delivery_id INTEGER NOT NULL, at INTEGER NOT NULL, ok INTEGER NOT NULL, error TEXT);
  CREATE INDEX IF NOT EXISTS attempts_by_delivery ON attempts (delivery_id, at);
`;

interface DeliveryRow extends Omit<DeliveryRecord, 'payload'> {
  payload: string;
}

const toDelivery = (row: DeliveryRow): Delivery => recordToDelivery({ ...row, payload: JSON.parse(row.payload) as unknown });

/** notify.db files written before claims existed lack the lease columns. */
function addLeaseColumns(db: Database.Database): void {
  const columns = new Set(db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('deliveries')`).all().map((c) => c.name));
  if (!columns.has('lease_owner')) db.exec('ALTER TABLE deliveries ADD COLUMN lease_owner TEXT');
  if (!columns.has('lease_until')) db.exec('ALTER TABLE deliveries ADD COLUMN lease_until INTEGER');
}

export function openEmbeddedNotificationOutbox(options: { dataDir: string }): NotificationOutbox {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const db = new Database(path.join(options.dataDir, 'notify.db'));
  db.pragma('journal_mode = WAL');
  // The api and the notify process share the file: wait for the other's write, do not fail.
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  addLeaseColumns(db);

  const insert = db.prepare(
    `INSERT OR IGNORE INTO deliveries (key, channel, kind, alert_id, unit, state, created_at, due_at, digest_key, payload)
     VALUES (@key, @channel, @kind, @alertId, @unit, @state, @createdAt, @dueAt, @digestKey, @payload)`,
  );
  const hasKey = db.prepare<[string], { key: string }>('SELECT key FROM deliveries WHERE key = ?');
  const dueRows = db.prepare<[number, number, number], DeliveryRow>(
    `SELECT * FROM deliveries WHERE state = 'pending' AND due_at <= ? AND (lease_until IS NULL OR lease_until <= ?) ORDER BY due_at, id LIMIT ?`,
  );
  const claimRow = db.prepare<[string, number, number, number, number]>(
    `UPDATE deliveries SET lease_owner = ?, lease_until = ?
     WHERE id = ? AND state = 'pending' AND due_at <= ? AND (lease_until IS NULL OR lease_until <= ?)`,
  );
  const nextDueRow = db.prepare<[], { due: number | null }>(`SELECT min(due_at) AS due FROM deliveries WHERE state = 'pending'`);
  const byId = db.prepare<[number], DeliveryRow>('SELECT * FROM deliveries WHERE id = ?');
  const addAttempt = db.prepare('INSERT INTO attempts (delivery_id, at, ok, error) VALUES (?, ?, ?, ?)');
  // `@owner IS NULL`: an unclaimed mark (a single sender, tools); else only the holder's counts.
  const sent = db.prepare(
    `UPDATE deliveries SET state = 'sent', attempts = attempts + 1, sent_at = @at, last_error = NULL, lease_owner = NULL, lease_until = NULL
     WHERE id = @id AND (@owner IS NULL OR lease_owner = @owner)`,
  );
  const failed = db.prepare(
    `UPDATE deliveries SET state = @state, attempts = attempts + 1, due_at = @dueAt, last_error = @error, lease_owner = NULL, lease_until = NULL
     WHERE id = @id AND (@owner IS NULL OR lease_owner = @owner)`,
  );

  const recordAll = db.transaction((deliveries: readonly NewDelivery[]) => {
    const inserted: string[] = [];
    for (const delivery of deliveries) {
      const result = insert.run({
        key: delivery.key,
        channel: delivery.channel,
        kind: delivery.payload.type,
        alertId: delivery.alertId,
        unit: delivery.unit,
        state: delivery.state,
        createdAt: delivery.createdAt,
        dueAt: delivery.dueAt,
        digestKey: delivery.digestKey ?? null,
        payload: JSON.stringify(delivery.payload),
      });
      if (result.changes > 0) inserted.push(delivery.key);
    }
    return inserted;
  });
  const markSent = db.transaction((id: number, at: number, owner: string | null): boolean => {
    if (sent.run({ at, id, owner }).changes === 0) return false;
    addAttempt.run(id, at, 1, null);
    return true;
  });
  const markFailed = db.transaction((id: number, at: number, error: string, outcome: FailureOutcome, owner: string | null): boolean => {
    const state = outcome.next === 'retry' ? 'pending' : outcome.next;
    const row = byId.get(id);
    if (failed.run({ state, dueAt: outcome.next === 'retry' ? outcome.at : (row?.due_at ?? at), error, id, owner }).changes === 0) return false;
    addAttempt.run(id, at, 0, error);
    return true;
  });
  const replaceChannels = db.transaction((channels: readonly ChannelInfo[]) => {
    db.prepare('DELETE FROM channels').run();
    const add = db.prepare('INSERT INTO channels (name, type, unit, language) VALUES (?, ?, ?, ?)');
    for (const channel of channels) add.run(channel.name, channel.type, channel.unit, channel.language);
  });

  return {
    async registerChannels(channels) {
      replaceChannels(channels);
    },
    async listChannels() {
      return db.prepare<[], ChannelInfo>('SELECT name, type, unit, language FROM channels ORDER BY name').all();
    },
    async record(deliveries) {
      return deliveries.length === 0 ? [] : recordAll(deliveries);
    },
    async existingKeys(keys) {
      const found = new Set<string>();
      for (const key of keys) if (hasKey.get(key)) found.add(key);
      return found;
    },
    async due(now, limit) {
      return dueRows.all(now, now, limit).map(toDelivery);
    },
    async claim(id, owner, now, leaseMs) {
      if (claimRow.run(owner, now + leaseMs, id, now, now).changes === 0) return null;
      const row = byId.get(id);
      return row ? toDelivery(row) : null;
    },
    async nextDue() {
      return nextDueRow.get()?.due ?? null;
    },
    async pendingByChannel() {
      return db
        .prepare<[], { channel: string; count: number }>(`SELECT channel, count(*) AS count FROM deliveries WHERE state = 'pending' GROUP BY channel ORDER BY channel`)
        .all();
    },
    async markSent(id, at, owner) {
      return markSent(id, at, owner ?? null);
    },
    async markFailed(id, at, error, outcome, owner) {
      return markFailed(id, at, error, outcome, owner ?? null);
    },
    async digestCounts(digestKey) {
      return db
        .prepare<[string], DigestUnitCount>(
          `SELECT coalesce(unit, '*') AS unit, coalesce(max(json_extract(payload, '$.alert.unit.name')), '') AS unitName, count(*) AS count
           FROM deliveries WHERE digest_key = ? AND state = 'folded' GROUP BY unit ORDER BY count DESC, unit`,
        )
        .all(digestKey);
    },
    async admissionsSince(since) {
      return db
        .prepare<[number], { channel: string; at: number }>(
          `SELECT channel, created_at AS at FROM deliveries WHERE created_at >= ? AND kind = 'alert' AND state != 'folded' ORDER BY created_at`,
        )
        .all(since);
    },
    async openDigests() {
      return db
        .prepare<[], { channel: string; key: string; payload: string }>(`SELECT channel, key, payload FROM deliveries WHERE kind = 'digest' AND state = 'pending'`)
        .all()
        .flatMap((row) => {
          const payload = notificationPayloadSchema.parse(JSON.parse(row.payload));
          return payload.type === 'digest' ? [{ channel: row.channel, key: row.key, windowStart: payload.windowStart, windowEnd: payload.windowEnd }] : [];
        });
    },
    async deadLetters(scope: Scope, limit) {
      const rows = db.prepare<[], DeliveryRow>(`SELECT * FROM deliveries WHERE state = 'dead' ORDER BY id DESC`).iterate();
      const out: Delivery[] = [];
      for (const row of rows) {
        const visible = scope.kind === 'all' || (row.unit !== null && row.unit !== '*' && scope.units.includes(row.unit));
        if (!visible) continue;
        out.push(toDelivery(row));
        if (out.length >= limit) break;
      }
      return out;
    },
    async deliveriesForAlert(alertId) {
      const attemptsOf = db.prepare<[number], { at: number; ok: number; error: string | null }>(
        'SELECT at, ok, error FROM attempts WHERE delivery_id = ? ORDER BY at, rowid',
      );
      return db
        .prepare<[string], DeliveryRow>('SELECT * FROM deliveries WHERE alert_id = ? ORDER BY id')
        .all(alertId)
        .map((row) => ({
          ...toDelivery(row),
          attemptLog: attemptsOf.all(row.id).map((a): DeliveryAttempt => ({ at: iso(a.at), ok: a.ok === 1, error: a.error })),
        }));
    },
    async getDelivery(id) {
      const row = byId.get(id);
      return row ? toDelivery(row) : null;
    },
    async requeue(id, now) {
      const changed = db.prepare(`UPDATE deliveries SET state = 'pending', attempts = 0, due_at = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND state = 'dead'`).run(now, id);
      const row = changed.changes > 0 ? byId.get(id) : undefined;
      return row ? toDelivery(row) : null;
    },
    async prune(before) {
      return db.transaction(() => {
        db.prepare(
          `DELETE FROM attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE created_at < ? AND state IN ('sent', 'folded', 'failed'))`,
        ).run(before);
        return db.prepare(`DELETE FROM deliveries WHERE created_at < ? AND state IN ('sent', 'folded', 'failed')`).run(before).changes;
      })();
    },
    async requestTest(channel, requestedBy, now) {
      const info = db.prepare<[string], { unit: string | null }>('SELECT unit FROM channels WHERE name = ?').get(channel);
      if (!info) throw new NotFoundError(`no notification channel ${channel}`, 'api');
      const key = `test:${channel}:${randomUUID()}`;
      recordAll([{ key, channel, alertId: null, unit: info.unit, payload: { type: 'test', requestedBy }, state: 'pending', createdAt: now, dueAt: now }]);
      const row = db.prepare<[string], DeliveryRow>('SELECT * FROM deliveries WHERE key = ?').get(key);
      return toDelivery(row!);
    },
    async close() {
      db.close();
    },
  };
}
