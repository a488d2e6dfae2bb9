// A report for one unit or the whole SOC over [from, to): the Store's figures for the
// period and for the one just before it (same length), folded into what a reader
// wants: antivirus outcomes, mean triage times against their targets, silent agents
// and the change of each headline figure. Pure assembly: every count comes from the
// Store (reportFigures) and the agents from Accounts, both read in the given scope.
import type { Accounts, Agent } from '../accounts/accounts.ts';
import { BadInputError, NotFoundError } from '../errors.ts';
import type { ReportFigures } from '../ports/report-figures.ts';
import type { Scope } from '../ports/scope.ts';
import type { Store } from '../ports/store.ts';
import { severities, type Severity } from '../schemas/alert.ts';
import { countAntivirusOutcomes, type AntivirusOutcome } from './antivirus-outcome.ts';
import { countEventSeverities, type EventSeverityLevel } from './event-severity.ts';
import { DEFAULT_TRIAGE_TARGETS, type TriageTargets } from './triage-targets.ts';

/** The shipped correlation "Same Threat Back on a PC After It Was Removed" (rules/correlation/av-reinfection.yml). */
export const REINFECTION_RULES = ['dd2fd50a-0e56-4063-97e5-6bc1dfca96b4'];
/** detect/correlation/silence-monitor.ts's "Agent went silent". */
export const SILENT_AGENT_RULES = ['vigil-silent-agent'];
const TOP = 10;
/** Longest period a report covers: a year and a day (a leap year, a zone's offset). */
const MAX_PERIOD_MS = 367 * 24 * 3600_000;

export interface ReportRequest {
  /** A unit id, or null for the whole SOC (what `scope` lets the caller see). */
  unit: string | null;
  from: string;
  to: string;
  utcOffsetMinutes: number;
  targets?: TriageTargets;
}

export interface SeverityTriage {
  severity: Severity;
  alerts: number;
  acknowledged: number;
  resolved: number;
  /** Mean time to acknowledge, ms; null when no alert was acknowledged. */
  mttaMs: number | null;
  mttrMs: number | null;
  target: { acknowledgeMs: number; resolveMs: number };
  /** Whether the mean met the target; null without a mean. */
  acknowledgeMet: boolean | null;
  resolveMet: boolean | null;
}

export interface Headline {
  events: number;
  alerts: number;
  /** Critical and high alerts. */
  urgentAlerts: number;
  detections: number;
  /** Detections the antivirus did not remediate. */
  failed: number;
  reinfections: number;
  silentAgentAlerts: number;
  mttaMs: number | null;
  mttrMs: number | null;
}

export interface Report {
  unit: { id: string; name: string } | null;
  from: string;
  to: string;
  previous: { from: string; to: string };
  utcOffsetMinutes: number;
  generated: string;
  headline: Headline;
  previousHeadline: Headline;
  figures: ReportFigures;
  /** Events by the level their source's severity reads as (event-severity.ts), this period and the one before. */
  eventsBySeverity: Record<EventSeverityLevel, number>;
  previousEventsBySeverity: Record<EventSeverityLevel, number>;
  antivirus: Record<AntivirusOutcome, number>;
  triage: SeverityTriage[];
  /** Agents not seen since before the period ended (and not revoked), longest silent first. */
  silentAgents: { id: string; name: string; unit: string; lastSeen: string | null }[];
}

export interface ReportSources {
  store: Pick<Store, 'reportFigures'>;
  accounts: Pick<Accounts, 'getUnit' | 'listAgents'>;
}

export async function buildReport(sources: ReportSources, request: ReportRequest, callerScope: Scope): Promise<Report> {
  const fromMs = Date.parse(request.from);
  const toMs = Date.parse(request.to);
  if (Number.isNaN(fromMs) || Number.isNaN(toMs)) throw new BadInputError('from and to must be ISO 8601 times', 'api');
  if (toMs <= fromMs) throw new BadInputError('to must be after from', 'api');
  if (toMs - fromMs > MAX_PERIOD_MS) throw new BadInputError('a report covers at most a year', 'api');
  const scope = reportScope(request.unit, callerScope);
  const unit = request.unit === null ? null : await sources.accounts.getUnit(request.unit);
  if (request.unit !== null && unit === null) throw new NotFoundError(`unknown unit "${request.unit}"`, 'api');
  const from = new Date(fromMs).toISOString();
  const to = new Date(toMs).toISOString();
  const previous = { from: new Date(2 * fromMs - toMs).toISOString(), to: from };
  const query = {
    utcOffsetMinutes: request.utcOffsetMinutes,
    reinfectionRules: REINFECTION_RULES,
    silentAgentRules: SILENT_AGENT_RULES,
    top: TOP,
  };
  const [figures, previousFigures, agents] = await Promise.all([
    sources.store.reportFigures({ ...query, from, to }, scope),
    sources.store.reportFigures({ ...query, ...previous }, scope),
    sources.accounts.listAgents(scope),
  ]);
  const targets = request.targets ?? DEFAULT_TRIAGE_TARGETS;
  const silentAgents = agentsSilentAt(agents, toMs);
  return {
    unit: unit === null ? null : { id: unit.id, name: unit.name },
    from,
    to,
    previous,
    utcOffsetMinutes: request.utcOffsetMinutes,
    generated: new Date().toISOString(),
    headline: headline(figures),
    previousHeadline: headline(previousFigures),
    figures,
    eventsBySeverity: countEventSeverities(figures.eventSeverities),
    previousEventsBySeverity: countEventSeverities(previousFigures.eventSeverities),
    antivirus: countAntivirusOutcomes(figures.antivirusActions),
    triage: severities
      .slice()
      .reverse()
      .map((severity) => severityTriage(figures, severity, targets)),
    silentAgents,
  };
}

/** A unit report reads that unit only, and only when the caller may see it. */
function reportScope(unit: string | null, caller: Scope): Scope {
  if (unit === null) return caller;
  if (caller.kind === 'units' && !caller.units.includes(unit)) {
    throw new NotFoundError(`unknown unit "${unit}"`, 'api');
  }
  return { kind: 'units', units: [unit] };
}

function agentsSilentAt(agents: readonly Agent[], toMs: number): Report['silentAgents'] {
  return agents
    .filter((a) => a.revoked === null && Date.parse(a.created) < toMs && (a.lastSeen === null || Date.parse(a.lastSeen) < toMs))
    .sort((a, b) => (a.lastSeen ?? '').localeCompare(b.lastSeen ?? '') || a.id.localeCompare(b.id))
    .map((a) => ({ id: a.id, name: a.name, unit: a.unit.id, lastSeen: a.lastSeen }));
}

function headline(figures: ReportFigures): Headline {
  const av = countAntivirusOutcomes(figures.antivirusActions);
  let acknowledged = 0;
  let ackMs = 0;
  let resolved = 0;
  let resolveMs = 0;
  for (const times of Object.values(figures.triage)) {
    acknowledged += times.acknowledged;
    ackMs += times.acknowledgeMsTotal;
    resolved += times.resolved;
    resolveMs += times.resolveMsTotal;
  }
  return {
    events: figures.events,
    alerts: figures.alerts,
    urgentAlerts: (figures.alertsBySeverity.critical ?? 0) + (figures.alertsBySeverity.high ?? 0),
    detections: Object.values(av).reduce((sum, n) => sum + n, 0),
    failed: av.failed,
    reinfections: figures.reinfections.count,
    // Alerts, not the agents list: a past period's agents cannot be known afterwards.
    silentAgentAlerts: figures.silentAgentAlerts.count,
    mttaMs: acknowledged === 0 ? null : Math.round(ackMs / acknowledged),
    mttrMs: resolved === 0 ? null : Math.round(resolveMs / resolved),
  };
}

function severityTriage(figures: ReportFigures, severity: Severity, targets: TriageTargets): SeverityTriage {
  const times = figures.triage[severity];
  const target = targets[severity];
  const mttaMs = times && times.acknowledged > 0 ? Math.round(times.acknowledgeMsTotal / times.acknowledged) : null;
  const mttrMs = times && times.resolved > 0 ? Math.round(times.resolveMsTotal / times.resolved) : null;
  return {
    severity,
    alerts: times?.alerts ?? 0,
    acknowledged: times?.acknowledged ?? 0,
    resolved: times?.resolved ?? 0,
    mttaMs,
    mttrMs,
    target,
    acknowledgeMet: mttaMs === null ? null : mttaMs <= target.acknowledgeMs,
    resolveMet: mttrMs === null ? null : mttrMs <= target.resolveMs,
  };
}
