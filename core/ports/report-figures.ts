// What a report needs from the Store, as one query: counts over a time range [from, to)
// that both adapters answer the same way, raw enough that the report's rules (which
// antivirus action counts as what, how a mean is taken) live once, in core/report/.
import type { Severity } from '../schemas/alert.ts';

export interface ReportFiguresQuery {
  /** Inclusive, ISO 8601. */
  from: string;
  /** Exclusive, ISO 8601. */
  to: string;
  /** Days (alerts and events per day) are local days at this offset from UTC. */
  utcOffsetMinutes: number;
  /** Rule ids whose alerts are reinfections (the shipped av-reinfection correlation). */
  reinfectionRules: readonly string[];
  /** Rule ids whose alerts say an agent went silent. */
  silentAgentRules: readonly string[];
  /** How many threat families and hosts to answer; at most 50. */
  top: number;
}

/** Triage times of the alerts of one severity, as sums so that periods and adapters add up. */
export interface TriageTimes {
  alerts: number;
  /** Alerts whose status left `new` (acknowledged, in progress, resolved, false positive). */
  acknowledged: number;
  /** Sum over those of (first status change − first_seen), milliseconds. */
  acknowledgeMsTotal: number;
  /** Alerts set to resolved or false_positive. */
  resolved: number;
  /** Sum over those of (first resolved/false_positive − first_seen), milliseconds. */
  resolveMsTotal: number;
}

export interface ReportFigures {
  events: number;
  /** Local day (YYYY-MM-DD) → events; days without any are absent. */
  eventsPerDay: Record<string, number>;
  /** Alerts whose last_seen falls in the range (as the console's counts). */
  /**
   * Events by the severity their source gave them: event.module and the raw
   * event.severity (each source has its own scale; core/report/event-severity.ts reads
   * them), null where the event has none. Largest first, then module, then severity.
   */
  eventSeverities: { module: string | null; severity: number | null; count: number }[];
  alerts: number;
  alertsBySeverity: Partial<Record<Severity, number>>;
  /** Local day of last_seen → alerts. */
  alertsPerDay: Record<string, number>;
  /**
   * Antivirus events (event.module antivirus or event.category malware) by their raw
   * event.action and event.outcome; null where the event has none.
   */
  antivirusActions: { action: string | null; outcome: string | null; count: number }[];
  /** Antivirus events by threat signature (rule.name), largest first, ties by name. */
  threats: { name: string; count: number; hosts: number }[];
  /** Hosts by alerts, largest first, ties by host then unit; host is host.name, else host.id. */
  hosts: { host: string; unit: string; alerts: number }[];
  triage: Partial<Record<Severity, TriageTimes>>;
  /** Reinfection alerts: how many, and the (host, threat) pairs they name, most recent first. */
  reinfections: { count: number; items: { host: string; unit: string; threat: string; lastSeen: string }[] };
  /** "Agent went silent" alerts, most recent first. */
  silentAgentAlerts: { count: number; items: { agent: string; unit: string; lastSeen: string }[] };
}

export const MAX_REPORT_TOP = 50;
