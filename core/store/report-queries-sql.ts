// The report's figures from the embedded (SQLite) store: counts grouped in SQL over the
// caller's scope and the range [from, to); events by @timestamp, alerts by last_seen
// (as the console's counts). Only the triage sums read alert histories, and only of
// alerts that have one.
import type { Scope } from '../ports/scope.ts';
import { MAX_REPORT_TOP, type ReportFigures, type ReportFiguresQuery } from '../ports/report-figures.ts';
import type { HistoryEntry, Severity } from '../schemas/alert.ts';
import { toUtcIso } from './search-bounds.ts';
import { SqlConditions } from './sql-conditions.ts';
import type { StatementCache } from './statement-cache.ts';
import { addTriageSample, emptyTriageTimes } from './triage-times.ts';

/** An antivirus event: from an antivirus module, or any malware detection. */
const ANTIVIRUS_EVENT = `(json_extract(doc, '$.event.module') = 'antivirus'
  OR EXISTS (SELECT 1 FROM json_each(doc, '$.event.category') WHERE value = 'malware'))`;
/** A host as reports name it: host.name, else host.id. */
const EVENT_HOST = `coalesce(json_extract(doc, '$.host.name'), json_extract(doc, '$.host.id'))`;
const ITEMS_CAP = 200;

export function emptyReportFigures(): ReportFigures {
  return {
    events: 0,
    eventsPerDay: {},
    eventSeverities: [],
    alerts: 0,
    alertsBySeverity: {},
    alertsPerDay: {},
    antivirusActions: [],
    threats: [],
    hosts: [],
    triage: {},
    reinfections: { count: 0, items: [] },
    silentAgentAlerts: { count: 0, items: [] },
  };
}

export function reportFiguresSql(statements: StatementCache, query: ReportFiguresQuery, scope: Scope): ReportFigures {
  const figures = emptyReportFigures();
  const events = new SqlConditions();
  const alerts = new SqlConditions();
  if (!events.addScope(scope, 'org') || !alerts.addScope(scope, 'org')) return figures;
  const from = toUtcIso(query.from, 'from');
  const to = toUtcIso(query.to, 'to');
  events.add('ts >= ?', from).add('ts < ?', to);
  alerts.add('last_seen >= ?', from).add('last_seen < ?', to);
  const top = Math.max(1, Math.min(MAX_REPORT_TOP, Math.trunc(query.top)));
  const shift = `${query.utcOffsetMinutes >= 0 ? '+' : ''}${Math.trunc(query.utcOffsetMinutes)} minutes`;

  const eventDays = statements
    .get(`SELECT date(ts, ?) AS day, count(*) AS n FROM events ${events.sql} GROUP BY day`)
    .all(shift, ...events.params) as { day: string; n: number }[];
  for (const { day, n } of eventDays) {
    figures.eventsPerDay[day] = n;
    figures.events += n;
  }

  figures.eventSeverities = sortEventSeverities(
    statements
      .get(
        `SELECT json_extract(doc, '$.event.module') AS module, json_extract(doc, '$.event.severity') AS severity, count(*) AS count
         FROM events ${events.sql} GROUP BY module, severity`,
      )
      .all(...events.params) as ReportFigures['eventSeverities'],
  );

  const alertDays = statements
    .get(`SELECT date(last_seen, ?) AS day, severity, count(*) AS n FROM alerts ${alerts.sql} GROUP BY day, severity`)
    .all(shift, ...alerts.params) as { day: string; severity: Severity; n: number }[];
  for (const { day, severity, n } of alertDays) {
    figures.alertsPerDay[day] = (figures.alertsPerDay[day] ?? 0) + n;
    figures.alertsBySeverity[severity] = (figures.alertsBySeverity[severity] ?? 0) + n;
    figures.alerts += n;
    (figures.triage[severity] ??= emptyTriageTimes()).alerts += n;
  }

  const antivirus = events.copy().add(ANTIVIRUS_EVENT);
  figures.antivirusActions = statements
    .get(
      `SELECT json_extract(doc, '$.event.action') AS action, json_extract(doc, '$.event.outcome') AS outcome, count(*) AS count
       FROM events ${antivirus.sql} GROUP BY action, outcome ORDER BY count DESC, action, outcome`,
    )
    .all(...antivirus.params) as ReportFigures['antivirusActions'];

  const named = antivirus.copy().add(`json_extract(doc, '$.rule.name') IS NOT NULL`);
  figures.threats = statements
    .get(
      `SELECT json_extract(doc, '$.rule.name') AS name, count(*) AS count, count(DISTINCT org || char(0) || ${EVENT_HOST}) AS hosts
       FROM events ${named.sql} GROUP BY name ORDER BY count DESC, name LIMIT ?`,
    )
    .all(...named.params, top) as ReportFigures['threats'];

  const withHost = alerts.copy().add('coalesce(host_name, host_id) IS NOT NULL');
  figures.hosts = statements
    .get(
      `SELECT coalesce(host_name, host_id) AS host, org AS unit, count(*) AS alerts
       FROM alerts ${withHost.sql} GROUP BY org, coalesce(host_name, host_id)
       ORDER BY alerts DESC, host, unit LIMIT ?`,
    )
    .all(...withHost.params, top) as ReportFigures['hosts'];

  const triaged = alerts.copy().add(`json_array_length(doc, '$.history') > 0`);
  const histories = statements
    .get(`SELECT severity, json_extract(doc, '$.first_seen') AS firstSeen, json_extract(doc, '$.history') AS history FROM alerts ${triaged.sql}`)
    .all(...triaged.params) as { severity: Severity; firstSeen: string; history: string }[];
  for (const row of histories) {
    addTriageSample(figures.triage, { severity: row.severity, firstSeen: row.firstSeen, history: JSON.parse(row.history) as HistoryEntry[] });
  }

  figures.reinfections = ruleAlerts(statements, alerts, query.reinfectionRules, (doc) => ({
    host: doc.host,
    unit: doc.unit,
    threat: doc.threat ?? '',
    lastSeen: doc.lastSeen,
  }));
  figures.silentAgentAlerts = ruleAlerts(statements, alerts, query.silentAgentRules, (doc) => ({
    agent: doc.agent ?? doc.host,
    unit: doc.unit,
    lastSeen: doc.lastSeen,
  }));
  return figures;
}

/** The port's order for eventSeverities, the same in every adapter: count, then module, then severity (nulls first). */
export function sortEventSeverities(rows: ReportFigures['eventSeverities']): ReportFigures['eventSeverities'] {
  const nullsFirst = <T extends string | number>(a: T | null, b: T | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);
  return rows.sort((a, b) => b.count - a.count || nullsFirst(a.module, b.module) || nullsFirst(a.severity, b.severity));
}

interface RuleAlertRow {
  host: string;
  unit: string;
  threat: string | null;
  agent: string | null;
  lastSeen: string;
}

function ruleAlerts<T>(
  statements: StatementCache,
  alerts: SqlConditions,
  rules: readonly string[],
  item: (row: RuleAlertRow) => T,
): { count: number; items: T[] } {
  if (rules.length === 0) return { count: 0, items: [] };
  const where = alerts.copy().add('rule_id IN (SELECT value FROM json_each(?))', JSON.stringify(rules));
  const count = statements.get(`SELECT count(*) FROM alerts ${where.sql}`).pluck().get(...where.params) as number;
  const rows = statements
    .get(
      `SELECT coalesce(host_name, host_id, '') AS host, org AS unit, last_seen AS lastSeen,
              json_extract(doc, '$.group."rule.name"') AS threat, json_extract(doc, '$.group."agent.id"') AS agent
       FROM alerts ${where.sql} ORDER BY last_seen DESC, id LIMIT ?`,
    )
    .all(...where.params, ITEMS_CAP) as RuleAlertRow[];
  return { count, items: rows.map(item) };
}
