// The write side of the embedded store, over one SQLite connection: events (with their
// full-text entries), alert upserts that keep an analyst's triage, and a person's
// changes to an alert. It runs inside the writer thread (writer-thread.ts) so the
// process's main thread never waits on SQLite writes, but knows nothing of threads.
import type Database from 'better-sqlite3';
import { NotFoundError } from '../errors.ts';
import type { Actor, Scope } from '../ports/scope.ts';
import type { Alert, AlertPatch } from '../schemas/alert.ts';
import type { SecurityEvent } from '../schemas/event.ts';
import { applyAlertPatch, keepTriage } from './alert-triage.ts';
import { eventSearchText } from './event-text.ts';
import { toUtcIso } from './search-bounds.ts';
import { SqlConditions } from './sql-conditions.ts';

export class EmbeddedWriter {
  readonly writeEvents: (events: readonly SecurityEvent[]) => void;
  readonly writeAlerts: (alerts: readonly Alert[]) => Alert[];
  private readonly patchAlert: (id: string, patch: AlertPatch, actor: Actor, scope: Scope, at: string) => Alert;

  constructor(db: Database.Database) {
    const insertEvent = db.prepare('INSERT OR IGNORE INTO events (id, ts, org, host, doc) VALUES (?, ?, ?, ?, ?)');
    const insertText = db.prepare('INSERT INTO events_fts (rowid, text) VALUES (?, ?)');
    // One transaction per call: a batch is stored whole or not at all, and one commit
    // (one WAL sync) serves all of its events.
    this.writeEvents = db.transaction((events: readonly SecurityEvent[]) => {
      for (const event of events) {
        const result = insertEvent.run(
          event.event.id,
          toUtcIso(event['@timestamp'], '@timestamp'),
          event.organization.id,
          event.host?.id ?? event.host?.name ?? null,
          JSON.stringify(event),
        );
        // Only a row really inserted gets indexed, so a replay leaves the text index untouched too.
        if (result.changes === 1) insertText.run(result.lastInsertRowid, eventSearchText(event));
      }
    });

    const selectAlert = db.prepare('SELECT doc FROM alerts WHERE id = ?').pluck();
    const upsertAlert = db.prepare(`
      INSERT INTO alerts (id, org, rule_id, host_id, host_name, status, severity, last_seen, doc)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET
        org = excluded.org, rule_id = excluded.rule_id, host_id = excluded.host_id,
        host_name = excluded.host_name, status = excluded.status, severity = excluded.severity,
        last_seen = excluded.last_seen, doc = excluded.doc`);
    this.writeAlerts = db.transaction((alerts: readonly Alert[]) =>
      alerts.map((alert) => {
        // Documents read back are our own validated writes; see parseStored in embedded-store.ts.
        const existing = selectAlert.get(alert.id) as string | undefined;
        const stored = existing === undefined ? alert : keepTriage(JSON.parse(existing) as Alert, alert);
        upsertAlert.run(...alertColumns(stored));
        return stored;
      }),
    );

    const selectScoped = new Map<Scope['kind'], Database.Statement>();
    const updateAlert = db.prepare('UPDATE alerts SET status = ?, doc = ? WHERE id = ?');
    const patchAlert = db.transaction((id: string, patch: AlertPatch, actor: Actor, scope: Scope, at: string) => {
      const where = new SqlConditions().add('id = ?', id);
      // The same answer for "no such alert" and "not yours": existence is not revealed.
      const notFound = () => new NotFoundError(`alert ${id} not found`, 'store');
      if (!where.addScope(scope, 'org')) throw notFound();
      let select = selectScoped.get(scope.kind);
      if (select === undefined) {
        select = db.prepare(`SELECT doc FROM alerts ${where.sql}`).pluck();
        selectScoped.set(scope.kind, select);
      }
      const doc = select.get(...where.params) as string | undefined;
      if (doc === undefined) throw notFound();
      const next = applyAlertPatch(JSON.parse(doc) as Alert, patch, actor, at);
      updateAlert.run(next.status, JSON.stringify(next), id);
      return next;
    });
    // IMMEDIATE takes the write lock before the read, so nothing can change the alert
    // between our read and our write.
    this.patchAlert = (...args) => patchAlert.immediate(...args);
  }

  /** Applies a person's change at `at`; NotFoundError when the alert is unknown or outside scope. */
  updateAlert(id: string, patch: AlertPatch, actor: Actor, scope: Scope, at: string): Alert {
    return this.patchAlert(id, patch, actor, scope, at);
  }
}

function alertColumns(alert: Alert): [string, string, string, string | null, string | null, string, string, string, string] {
  return [
    alert.id,
    alert.organization.id,
    alert.rule.id,
    alert.host.id ?? null,
    alert.host.name ?? null,
    alert.status,
    alert.severity,
    toUtcIso(alert.last_seen, 'last_seen'),
    JSON.stringify(alert),
  ];
}
