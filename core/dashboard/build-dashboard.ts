// The console's dashboard over [from, to) for what the caller may see (or one unit of
// it): alerts over time by severity, the top rules, hosts, units and threats, infections
// by the antivirus's action, agents online versus silent, and mean times to acknowledge
// and to resolve per unit. Pure assembly, like core/report/build-report.ts: every count
// comes from the Store (reportFigures, groupAlerts, alertTrend) and the agents from
// Accounts, each read in the given scope.
import type { Accounts, Agent } from '../accounts/accounts.ts';
import { BadInputError, NotFoundError } from '../errors.ts';
import type { Scope } from '../ports/scope.ts';
import type { Store } from '../ports/store.ts';
import type { Severity } from '../schemas/alert.ts';
import { antivirusOutcome, countAntivirusOutcomes, type AntivirusOutcome } from '../report/antivirus-outcome.ts';

const TOP = 10;
/** Units listed with their triage times; the busiest first. */
const TRIAGE_UNITS = 20;
const SILENT_LISTED = 10;
/** Longest range a dashboard covers: a year and a day. */
const MAX_RANGE_MS = 367 * 24 * 3600_000;
const MINUTE = 60_000;
/** Bucket lengths the chart may use; the first that gives at most about 60 bars. */
const BUCKETS_MS = [1, 5, 15, 30, 60, 180, 360, 720, 1440, 10080].map((m) => m * MINUTE);
const TARGET_BARS = 60;

export interface DashboardRequest {
  /** A unit id, or null for everything the scope sees. */
  unit: string | null;
  from: string;
  to: string;
  /** An agent not seen for this long is silent (the silence monitor's VIGIL_SILENT_AGENT_MINUTES). */
  silentAgentMs: number;
  now: number;
}

export interface Dashboard {
  unit: { id: string; name: string } | null;
  from: string;
  to: string;
  bucketMs: number;
  events: number;
  alerts: number;
  alertsBySeverity: Partial<Record<Severity, number>>;
  overTime: { start: string; bySeverity: Partial<Record<Severity, number>> }[];
  topRules: { rule: string; title: string; count: number }[];
  topHosts: { host: string; unit: string; count: number }[];
  topUnits: { unit: string; name: string; count: number }[];
  topThreats: { name: string; count: number; hosts: number }[];
  /** Antivirus events by outcome; `action` is the product's word most of them carry, for a link. */
  infections: { outcome: AntivirusOutcome; count: number; action: string | null }[];
  agents: {
    online: number;
    silent: number;
    silentAfterMs: number;
    /** The longest silent first (never seen before anyone seen). */
    silentList: { id: string; name: string; unit: string; lastSeen: string | null }[];
  };
  /** Per unit, busiest first: means in ms, null when no alert was acknowledged (resolved). */
  triage: { unit: string; name: string; alerts: number; acknowledged: number; resolved: number; mttaMs: number | null; mttrMs: number | null }[];
}

export interface DashboardSources {
  store: Pick<Store, 'reportFigures' | 'groupAlerts' | 'alertTrend'>;
  accounts: Pick<Accounts, 'getUnit' | 'listAgents' | 'listUnits'>;
}

/** The chart's bucket for a range: the shortest of BUCKETS_MS giving at most TARGET_BARS bars. */
export function bucketFor(rangeMs: number): number {
  return BUCKETS_MS.find((ms) => rangeMs / ms <= TARGET_BARS) ?? BUCKETS_MS[BUCKETS_MS.length - 1]!;
}

export async function buildDashboard(sources: DashboardSources, request: DashboardRequest, callerScope: Scope): Promise<Dashboard> {
  const fromMs = Date.parse(request.from);
  const toMs = Date.parse(request.to);
  if (Number.isNaN(fromMs) || Number.isNaN(toMs)) throw new BadInputError('from and to must be ISO 8601 times', 'api');
  if (toMs <= fromMs) throw new BadInputError('to must be after from', 'api', { param: 'to' });
  if (toMs - fromMs > MAX_RANGE_MS) throw new BadInputError('a dashboard covers at most a year', 'api', { param: 'from' });
  const scope = unitScope(request.unit, callerScope);
  const from = new Date(fromMs).toISOString();
  const to = new Date(toMs).toISOString();
  const bucketMs = bucketFor(toMs - fromMs);
  const range = { from, to };
  const [unit, figures, rules, units, trend, agents, unitList] = await Promise.all([
    request.unit === null ? null : sources.accounts.getUnit(request.unit),
    sources.store.reportFigures({ from, to, utcOffsetMinutes: 0, reinfectionRules: [], silentAgentRules: [], top: TOP }, scope),
    sources.store.groupAlerts(range, 'rule', scope),
    sources.store.groupAlerts(range, 'unit', scope),
    sources.store.alertTrend({ from, to, bucketMs }, scope),
    sources.accounts.listAgents(scope),
    sources.accounts.listUnits(scope),
  ]);
  if (request.unit !== null && unit === null) throw new NotFoundError(`unknown unit "${request.unit}"`, 'api');
  const names = new Map(unitList.map((u) => [u.id, u.name]));
  return {
    unit: unit === null ? null : { id: unit.id, name: unit.name },
    from,
    to,
    bucketMs,
    events: figures.events,
    alerts: figures.alerts,
    alertsBySeverity: figures.alertsBySeverity,
    overTime: trend.buckets,
    topRules: rules.groups.slice(0, TOP).map((g) => ({ rule: g.key ?? '', title: g.label, count: g.count })),
    topHosts: figures.hosts.map((h) => ({ host: h.host, unit: h.unit, count: h.alerts })),
    topUnits: units.groups.slice(0, TOP).map((g) => ({ unit: g.key ?? '', name: names.get(g.key ?? '') ?? g.label, count: g.count })),
    topThreats: figures.threats,
    infections: infections(figures.antivirusActions),
    agents: agentCounts(agents, request.now, request.silentAgentMs),
    triage: trend.units.slice(0, TRIAGE_UNITS).map(({ unit: id, times }) => ({
      unit: id,
      name: names.get(id) ?? id,
      alerts: times.alerts,
      acknowledged: times.acknowledged,
      resolved: times.resolved,
      mttaMs: times.acknowledged === 0 ? null : Math.round(times.acknowledgeMsTotal / times.acknowledged),
      mttrMs: times.resolved === 0 ? null : Math.round(times.resolveMsTotal / times.resolved),
    })),
  };
}

/** One unit's dashboard reads that unit only, and only when the caller may see it (else 404, as if absent). */
function unitScope(unit: string | null, caller: Scope): Scope {
  if (unit === null) return caller;
  if (caller.kind === 'units' && !caller.units.includes(unit)) throw new NotFoundError(`unknown unit "${unit}"`, 'api');
  return { kind: 'units', units: [unit] };
}

function infections(rows: readonly { action: string | null; outcome: string | null; count: number }[]): Dashboard['infections'] {
  const counts = countAntivirusOutcomes(rows);
  // rows come largest first, so the first row of an outcome is its commonest action.
  const commonest = new Map<AntivirusOutcome, string | null>();
  for (const row of rows) {
    const outcome = antivirusOutcome(row.action, row.outcome);
    if (!commonest.has(outcome)) commonest.set(outcome, row.action);
  }
  return (['blocked', 'quarantined', 'cleaned', 'deleted', 'failed', 'other'] as const).map((outcome) => ({
    outcome,
    count: counts[outcome],
    action: commonest.get(outcome) ?? null,
  }));
}

/** Whether an agent counts as silent now: revoked agents are left out; never seen is silent. */
export function isSilent(agent: Pick<Agent, 'lastSeen'>, now: number, silentAfterMs: number): boolean {
  return agent.lastSeen === null || now - Date.parse(agent.lastSeen) > silentAfterMs;
}

function agentCounts(agents: readonly Agent[], now: number, silentAfterMs: number): Dashboard['agents'] {
  const active = agents.filter((a) => a.revoked === null);
  const silent = active
    .filter((a) => isSilent(a, now, silentAfterMs))
    .sort((a, b) => (a.lastSeen ?? '').localeCompare(b.lastSeen ?? '') || a.id.localeCompare(b.id));
  return {
    online: active.length - silent.length,
    silent: silent.length,
    silentAfterMs,
    silentList: silent.slice(0, SILENT_LISTED).map((a) => ({ id: a.id, name: a.name, unit: a.unit.id, lastSeen: a.lastSeen })),
  };
}
