// The embedded Store adapter: events and alerts in one SQLite file (better-sqlite3,
// WAL) with FTS5 for free text. It is the all-in-one default, so it must keep up with
// detect (≥10,000 events/s) on one machine. Reads run here, on the caller's thread,
// and apply the caller's Scope in SQL; writes run on a writer thread (writer-thread.ts)
// and are idempotent by id, so a replayed batch changes nothing.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Actor, Scope } from '../ports/scope.ts';
import type { ReportFigures, ReportFiguresQuery } from '../ports/report-figures.ts';
import type { AlertFilter, AlertGroupField, AlertGroups, AlertQuery, EventQuery, Page, RuleHits, Stats, StatsQuery, Store, TimeRange } from '../ports/store.ts';
import { parseEventQuery } from '../query/event-query.ts';
import type { Alert, AlertPatch, AlertStatus, Severity } from '../schemas/alert.ts';
import type { SecurityEvent } from '../schemas/event.ts';
import { BadInputError } from '../errors.ts';
import { alertGroups, alertPage } from './embedded-alert-query.ts';
import { alertHistogramSql } from './embedded-alert-histogram.ts';
import type { AlertHistogram, AlertHistogramQuery } from '../ports/alert-histogram.ts';
import { reportFiguresSql } from './report-queries-sql.ts';
import { alertTrendSql } from './alert-trend-sql.ts';
import { ruleHitsSql } from './rule-hits-sql.ts';
import type { AlertTrend, AlertTrendQuery } from '../ports/alert-trend.ts';
import { configureConnection, createSchema } from './embedded-schema.ts';
import { addEventQueryConditions, chooseIndexUse, FOLD_FUNCTION, foldCase, RANGE_KEY_FUNCTION, sqlRangeKey } from './event-query-sql.ts';
import { eventIdsMatchExpression } from './fts-match.ts';
import { eventHistogramSql } from './event-histogram-sql.ts';
import type { EventHistogram, EventHistogramQuery } from '../ports/event-histogram.ts';
import { decodePageToken, encodePageToken } from './page-token.ts';
import { clampLimit, normalizeRange, TOTAL_COUNT_CAP } from './search-bounds.ts';
import { SqlConditions } from './sql-conditions.ts';
import { StatementCache } from './statement-cache.ts';
import { WriterThread } from './writer-thread.ts';

export interface EmbeddedStoreOptions {
  /** Directory of `store.db`; created when missing. */
  dataDir: string;
}

export function openEmbeddedStore(options: EmbeddedStoreOptions): Store {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const file = path.join(options.dataDir, 'store.db');
  const db = new Database(file);
  try {
    configureConnection(db);
    createSchema(db);
    // This connection only reads from here on; the writer thread has its own.
    db.pragma('query_only = ON');
    db.function(FOLD_FUNCTION, { deterministic: true }, (value: unknown) =>
      value === null || value === undefined ? null : foldCase(String(value)),
    );
    db.function(RANGE_KEY_FUNCTION, { deterministic: true }, sqlRangeKey);
  } catch (error) {
    db.close();
    throw error;
  }
  return new EmbeddedStore(db, new WriterThread({ file }));
}

/** A row read back for paging: the sort key plus the stored JSON. */
interface KeyedRow {
  id: string;
  ts: string;
  /** Events only: the unit, the last part of an event's identity (ts, id, org). */
  org: string | null;
  doc: string;
}

/**
 * Where a page starts: after this time, id and (events only) unit. Two units' events
 * may share a time and an id, so events page on all three, or one of the pair could
 * fall between two pages and never be shown.
 */
interface PageStart {
  ts: string;
  id: string;
  org: string | null;
}

const TOP_N = 10;

class EmbeddedStore implements Store {
  private readonly statements: StatementCache;

  constructor(
    private readonly db: Database.Database,
    private readonly writer: WriterThread,
  ) {
    this.statements = new StatementCache(db);
  }

  async writeEvents(events: readonly SecurityEvent[]): Promise<void> {
    if (events.length > 0) await this.writer.call<void>({ op: 'writeEvents', events });
  }

  async writeAlerts(alerts: readonly Alert[]): Promise<Alert[]> {
    return alerts.length === 0 ? [] : this.writer.call<Alert[]>({ op: 'writeAlerts', alerts });
  }

  async updateAlert(id: string, patch: AlertPatch, actor: Actor, scope: Scope): Promise<Alert> {
    const at = new Date().toISOString();
    return this.writer.call<Alert>({ op: 'updateAlert', alertId: id, patch, actor, scope, at });
  }

  async getAlert(id: string, scope: Scope): Promise<Alert | null> {
    return this.readAlert(id, scope);
  }

  async getEvents(ids: readonly string[], scope: Scope): Promise<SecurityEvent[]> {
    const where = new SqlConditions();
    if (ids.length === 0 || !where.addScope(scope, 'org')) return [];
    // The index narrows to the few rows holding these ids' words; the exact check follows.
    const match = eventIdsMatchExpression(ids);
    if (match !== null) where.add('rowid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)', match);
    where.add('id IN (SELECT value FROM json_each(?))', JSON.stringify(ids));
    const docs = this.statements
      .get(`SELECT doc FROM events ${where.sql} ORDER BY ts DESC, id DESC`)
      .pluck()
      .all(...where.params) as string[];
    return docs.map((doc) => parseStored<SecurityEvent>(doc));
  }

  async searchEvents(query: EventQuery, scope: Scope): Promise<Page<SecurityEvent>> {
    const limit = clampLimit(query.limit);
    const parsed = parseEventQuery(query.q ?? '');
    const range = normalizeRange(query);
    const after = query.cursor === undefined ? null : decodeEventPageStart(query.cursor);
    const where = new SqlConditions();
    if (!where.addScope(scope, 'org')) return emptyPage();
    if (range.from !== undefined) where.add('ts >= ?', range.from);
    if (range.to !== undefined) where.add('ts < ?', range.to);
    addEventQueryConditions(where, parsed, chooseIndexUse(parsed, (match, limit) => this.countMatches(match, limit)));
    return this.page<SecurityEvent>('events', 'ts', where, after, limit);
  }

  async eventHistogram(query: EventHistogramQuery, scope: Scope): Promise<EventHistogram> {
    return eventHistogramSql(this.statements, query, scope, (match, limit) => this.countMatches(match, limit));
  }

  async searchAlerts(query: AlertQuery, scope: Scope): Promise<Page<Alert>> {
    return alertPage(this.statements, query, scope);
  }

  async groupAlerts(filter: AlertFilter, by: AlertGroupField, scope: Scope): Promise<AlertGroups> {
    return alertGroups(this.statements, filter, by, scope);
  }

  async ruleHits(range: TimeRange, scope: Scope): Promise<RuleHits[]> {
    return ruleHitsSql(this.statements, range, scope);
  }

  async alertHistogram(query: AlertHistogramQuery, scope: Scope): Promise<AlertHistogram> {
    return alertHistogramSql(this.statements, query, scope);
  }

  async stats(query: StatsQuery, scope: Scope): Promise<Stats> {
    const range = normalizeRange(query);
    const events = new SqlConditions();
    const alerts = new SqlConditions();
    if (!events.addScope(scope, 'org') || !alerts.addScope(scope, 'org')) return emptyStats();
    if (range.from !== undefined) {
      events.add('ts >= ?', range.from);
      alerts.add('last_seen >= ?', range.from);
    }
    if (range.to !== undefined) {
      events.add('ts < ?', range.to);
      alerts.add('last_seen < ?', range.to);
    }
    const eventCount = this.statements
      .get(`SELECT count(*) FROM events ${events.sql}`)
      .pluck()
      .get(...events.params) as number;
    const byStatus = this.statements
      .get(`SELECT status AS key, count(*) AS n FROM alerts ${alerts.sql} GROUP BY status`)
      .all(...alerts.params) as { key: AlertStatus; n: number }[];
    const bySeverity = this.statements
      .get(`SELECT severity AS key, count(*) AS n FROM alerts ${alerts.sql} GROUP BY severity`)
      .all(...alerts.params) as { key: Severity; n: number }[];
    // The title comes from the most recently seen alert of each rule (SQLite takes bare
    // columns from the row that supplied max()), so a retitled rule shows its new title.
    const topRules = this.statements
      .get(
        `SELECT rule_id AS rule, json_extract(doc, '$.rule.title') AS title, max(last_seen) AS seen, count(*) AS count
         FROM alerts ${alerts.sql} GROUP BY rule_id ORDER BY count DESC, rule_id LIMIT ${TOP_N}`,
      )
      .all(...alerts.params) as { rule: string; title: string; count: number }[];
    const hostAlerts = alerts.copy().add('coalesce(host_name, host_id) IS NOT NULL');
    const topHosts = this.statements
      .get(
        `SELECT coalesce(host_name, host_id) AS host, org AS unit, count(*) AS count
         FROM alerts ${hostAlerts.sql} GROUP BY org, coalesce(host_name, host_id)
         ORDER BY count DESC, host, unit LIMIT ${TOP_N}`,
      )
      .all(...hostAlerts.params) as { host: string; unit: string; count: number }[];

    const stats = emptyStats();
    stats.events = eventCount;
    for (const { key, n } of byStatus) {
      stats.alertsByStatus[key] = n;
      stats.alerts += n;
    }
    for (const { key, n } of bySeverity) stats.alertsBySeverity[key] = n;
    stats.topRules = topRules.map(({ rule, title, count }) => ({ rule, title, count }));
    stats.topHosts = topHosts;
    return stats;
  }

  async reportFigures(query: ReportFiguresQuery, scope: Scope): Promise<ReportFigures> {
    return reportFiguresSql(this.statements, query, scope);
  }

  async alertTrend(query: AlertTrendQuery, scope: Scope): Promise<AlertTrend> {
    return alertTrendSql(this.statements, query, scope);
  }

  /** A write is committed (and visible to this connection) when its call resolves. */
  async refresh(): Promise<void> {}

  async close(): Promise<void> {
    await this.writer.close();
    if (this.db.open) this.db.close();
  }

  private countMatches(match: string, limit: number): number {
    return this.statements
      .get('SELECT count(*) FROM (SELECT rowid FROM events_fts WHERE events_fts MATCH ? LIMIT ?)')
      .pluck()
      .get(match, limit + 1) as number;
  }

  private readAlert(id: string, scope: Scope): Alert | null {
    const where = new SqlConditions();
    if (!where.addScope(scope, 'org')) return null;
    where.add('id = ?', id);
    const doc = this.statements
      .get(`SELECT doc FROM alerts ${where.sql}`)
      .pluck()
      .get(...where.params) as string | undefined;
    return doc === undefined ? null : parseStored<Alert>(doc);
  }

  /**
   * One keyset page, newest first by (`timeColumn`, id), plus the total. The total is
   * counted without the cursor, and only up to TOTAL_COUNT_CAP + 1 rows so a broad
   * search over millions of rows stays cheap.
   */
  private page<T>(
    table: 'events' | 'alerts',
    timeColumn: 'ts' | 'last_seen',
    where: SqlConditions,
    after: PageStart | null,
    limit: number,
  ): Page<T> {
    // Events sort by their identity (ts, id, org); an alert's id alone is unique.
    const key = table === 'events' ? 'id, org' : 'id, NULL AS org';
    const order = table === 'events' ? `${timeColumn} DESC, id DESC, org DESC` : `${timeColumn} DESC, id DESC`;
    const counted = this.statements
      .get(`SELECT count(*) FROM (SELECT 1 FROM ${table} ${where.sql} LIMIT ?)`)
      .pluck()
      .get(...where.params, TOTAL_COUNT_CAP + 1) as number;
    const pageWhere = where.copy();
    if (after !== null) {
      if (table === 'events') pageWhere.add(`(${timeColumn}, id, org) < (?, ?, ?)`, after.ts, after.id, after.org);
      else pageWhere.add(`(${timeColumn}, id) < (?, ?)`, after.ts, after.id);
    }
    // One row more than asked tells whether another page exists, so the last page
    // says next: null instead of sending the caller to an empty one.
    // The page is chosen from (rowid, sort key) alone and the documents are read for
    // its rows only, so ordering thousands of candidates never drags their JSON along.
    const rows = this.statements
      .get(
        `SELECT page.id, page.ts, page.org, t.doc
         FROM (SELECT rowid AS r, ${timeColumn} AS ts, ${key} FROM ${table} ${pageWhere.sql}
               ORDER BY ${order} LIMIT ?) AS page
         JOIN ${table} AS t ON t.rowid = page.r
         ORDER BY page.ts DESC, page.id DESC${table === 'events' ? ', page.org DESC' : ''}`,
      )
      .all(...pageWhere.params, limit + 1) as KeyedRow[];
    const more = rows.length > limit;
    if (more) rows.length = limit;
    const last = rows[rows.length - 1];
    return {
      items: rows.map((row) => parseStored<T>(row.doc)),
      total: Math.min(counted, TOTAL_COUNT_CAP),
      totalIsExact: counted <= TOTAL_COUNT_CAP,
      next: more && last !== undefined ? encodePageStart(last) : null,
    };
  }
}

/** An event page's token carries the unit beside the id; an alert page's, the id alone. */
function encodePageStart(row: KeyedRow): string {
  return encodePageToken({ ts: row.ts, id: row.org === null ? row.id : JSON.stringify([row.id, row.org]) });
}

function decodeEventPageStart(cursor: string): PageStart {
  const { ts, id } = decodePageToken(cursor);
  let key: unknown;
  try {
    key = JSON.parse(id);
  } catch {
    key = undefined;
  }
  if (!Array.isArray(key) || key.length !== 2 || typeof key[0] !== 'string' || typeof key[1] !== 'string') {
    throw new BadInputError('cursor: not a paging token from this search', 'store', { param: 'cursor' });
  }
  return { ts, id: key[0], org: key[1] };
}

/**
 * Documents read back are not re-validated with zod: this store wrote them, from
 * values validated before they were written, and parsing 1,000 rows through the
 * schemas would cost more than the query itself.
 */
function parseStored<T>(doc: string): T {
  return JSON.parse(doc) as T;
}

function emptyPage<T>(): Page<T> {
  return { items: [], total: 0, totalIsExact: true, next: null };
}

function emptyStats(): Stats {
  return { events: 0, alerts: 0, alertsByStatus: {}, alertsBySeverity: {}, topRules: [], topHosts: [] };
}
