// The Store port: where events and alerts are kept and searched. Every read takes a
// Scope; writes are idempotent by id so detect may replay a batch safely.
import type { Alert, AlertPatch, AlertStatus, Severity } from '../schemas/alert.ts';
import type { SecurityEvent } from '../schemas/event.ts';
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
  /** `field:value` terms (ANDed, `*` wildcards) plus free text; see core/query/event-query.ts. */
  q?: string;
  limit: number;
  cursor?: string;
}

export interface AlertQuery extends TimeRange {
  status?: AlertStatus[];
  severity?: Severity[];
  /** Rule id. */
  rule?: string;
  /** Host id or host name. */
  host?: string;
  limit: number;
  cursor?: string;
}

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
  /** Most recently seen first. */
  searchAlerts(query: AlertQuery, scope: Scope): Promise<Page<Alert>>;
  stats(query: StatsQuery, scope: Scope): Promise<Stats>;
  /**
   * Everything written before this resolved is visible to every read (searches,
   * getEvents, stats). Search clusters make writes searchable on a timer (refresh);
   * tests and tools call this instead of sleeping. Reads of one alert by id
   * (getAlert) never need it.
   */
  refresh(): Promise<void>;
  close(): Promise<void>;
}
