// The Store port: where events and alerts are kept and searched. Every read takes a
// Scope; writes are idempotent by id so detect may replay a batch safely.
import type { Alert, AlertPatch, AlertStatus, Severity } from '../schemas/alert.ts';
import type { SecurityEvent } from '../schemas/event.ts';
import type { EventHistogram, EventHistogramQuery } from './event-histogram.ts';
import type { AlertHistogram, AlertHistogramQuery } from './alert-histogram.ts';
import type { AlertTrend, AlertTrendQuery } from './alert-trend.ts';
import type { ReportFigures, ReportFiguresQuery } from './report-figures.ts';
import type { Actor, Scope } from './scope.ts';

export interface Page<T> {
  items: T[];
  /** Matching items in all (may be a lower bound when `totalIsExact` is false). */
  total: number;
  totalIsExact: boolean;
  /** Opaque token for the next page, or null on the last one. */
  next: string | null;
}

export interface TimeRange {
  /** Inclusive lower bound, ISO 8601. */
  from?: string;
  /** Exclusive upper bound, ISO 8601. */
  to?: string;
}

export interface EventQuery extends TimeRange {
  /** The event search language: field:value, free text, AND/OR/NOT, ranges; see core/query/event-query.ts. */
  q?: string;
  limit: number;
  cursor?: string;
}

/** Columns an alert list may be sorted by; `time` is last_seen. */
export const alertSortFields = ['time', 'severity', 'status', 'rule', 'host', 'unit', 'assignee', 'count'] as const;
export type AlertSortField = (typeof alertSortFields)[number];

/**
 * An alert list's order. Severity sorts by urgency (informational < … < critical),
 * status by workflow (new < acknowledged < in_progress < resolved < false_positive),
 * rule by title, host by name (else id), unit by name, assignee by name; a missing
 * host or assignee sorts as the smallest value. Ties are broken by last_seen, newest
 * first, then by id, so paging is stable.
 */
export interface AlertSort {
  field: AlertSortField;
  direction: 'asc' | 'desc';
}

/** What an alert list is filtered by; every filter given must hold. */
export interface AlertFilter extends TimeRange {
  status?: AlertStatus[];
  severity?: Severity[];
  /** Rule id. */
  rule?: string;
  /** Host id or host name. */
  host?: string;
  /** Unit (organization.id). */
  unit?: string;
  /** ATT&CK tactic as alerts carry it (`credential-access`). */
  tactic?: string;
  /** Username; null: unassigned alerts only. */
  assignee?: string | null;
  /**
   * Text found, case-insensitively, anywhere in the rule title, the rule id or the
   * host name or id ("mimi" finds "Mimikatz detected").
   */
  text?: string;
}

export interface AlertQuery extends AlertFilter {
  /** Default: time, newest first. */
  sort?: AlertSort;
  limit: number;
  /** A `next` token of the same search and sort; anything else is BadInputError. */
  cursor?: string;
}

/** What alerts may be grouped and counted by; threat is the signature (group `rule.name`). */
export const alertGroupFields = ['rule', 'host', 'unit', 'threat', 'severity', 'status'] as const;
export type AlertGroupField = (typeof alertGroupFields)[number];

export interface AlertGroup {
  /** Rule id, host name (else id), unit id, signature, severity or status; null: alerts without one. */
  key: string | null;
  /** What a person reads: the rule's title, the unit's name; else the key. */
  label: string;
  count: number;
}

export interface AlertGroups {
  /** Largest first, ties by key; at most MAX_ALERT_GROUPS. */
  groups: AlertGroup[];
  /** Alerts matching the filter in all groups (not capped). */
  total: number;
}

/** Most groups a grouping answers; the rest are left out (`total` still counts them). */
export const MAX_ALERT_GROUPS = 500;

/**
 * How often one rule matched: the Rules page's hit count. An alert groups repeats of a
 * rule on one group (alert.count), so alerts undercount matches; this sums them.
 */
export interface RuleHits {
  rule: string;
  /** Sum of alert.count over the rule's alerts in range: the times it matched (a correlation: the times it fired). */
  matches: number;
  /** The rule's alerts in range. */
  alerts: number;
  /** Newest last_seen among them, ISO. */
  lastHit: string;
}

/** Most rules a hit count answers, largest first; far beyond any rules folder. */
export const MAX_RULE_HITS = 10_000;

export type StatsQuery = TimeRange;

export interface Stats {
  events: number;
  alerts: number;
  alertsByStatus: Partial<Record<AlertStatus, number>>;
  alertsBySeverity: Partial<Record<Severity, number>>;
  topRules: { rule: string; title: string; count: number }[];
  topHosts: { host: string; unit: string; count: number }[];
}

export interface Store {
  /**
   * Idempotent: writing the same event (same event.id and @timestamp) twice keeps one,
   * so a replayed batch or an agent's retried post changes nothing.
   */
  writeEvents(events: readonly SecurityEvent[]): Promise<void>;
  /**
   * Upsert by alert.id. Detection fields (rule, severity, host, group, first_seen,
   * last_seen, count, event_ids, attack, updated) come from the written alert; triage
   * fields an analyst set (status, assignee, notes, history, created) are kept.
   * Answers the alerts as stored, so what is published matches what a console reads.
   */
  writeAlerts(alerts: readonly Alert[]): Promise<Alert[]>;
  /** Applies a person's change and records it in history. NotFoundError outside scope. */
  updateAlert(id: string, patch: AlertPatch, actor: Actor, scope: Scope): Promise<Alert>;
  getAlert(id: string, scope: Scope): Promise<Alert | null>;
  /** The events with these ids that the scope may see, newest first. */
  getEvents(ids: readonly string[], scope: Scope): Promise<SecurityEvent[]>;
  /** Newest first. */
  searchEvents(query: EventQuery, scope: Scope): Promise<Page<SecurityEvent>>;
  /** Events matching a search, counted per time bucket (core/ports/event-histogram.ts). */
  eventHistogram(query: EventHistogramQuery, scope: Scope): Promise<EventHistogram>;
  /** Most recently seen first unless `query.sort` says otherwise; keyset pages with no depth limit. */
  searchAlerts(query: AlertQuery, scope: Scope): Promise<Page<Alert>>;
  /** Counts of the alerts matching `filter`, by `by`, largest first. */
  groupAlerts(filter: AlertFilter, by: AlertGroupField, scope: Scope): Promise<AlertGroups>;
  /**
   * Per rule, its matches and alerts among the alerts whose last_seen is in range (an
   * alert seen in range counts all its matches, also those before `from`), most
   * matches first, ties by rule id; rules without alerts are absent.
   */
  ruleHits(range: TimeRange, scope: Scope): Promise<RuleHits[]>;
  /** The alerts matching the filter per time bucket and severity (core/ports/alert-histogram.ts). */
  alertHistogram(query: AlertHistogramQuery, scope: Scope): Promise<AlertHistogram>;
  stats(query: StatsQuery, scope: Scope): Promise<Stats>;
  /** A report's counts over [from, to) in the caller's scope (core/ports/report-figures.ts). */
  reportFigures(query: ReportFiguresQuery, scope: Scope): Promise<ReportFigures>;
  /** The dashboard's alerts per time bucket and severity, and triage sums per unit (core/ports/alert-trend.ts). */
  alertTrend(query: AlertTrendQuery, scope: Scope): Promise<AlertTrend>;
  /**
   * Everything written before this resolved is visible to every read (searches,
   * getEvents, stats). Search clusters make writes searchable on a timer (refresh);
   * tests and tools call this instead of sleeping. Reads of one alert by id
   * (getAlert) never need it.
   */
  refresh(): Promise<void>;
  close(): Promise<void>;
}
