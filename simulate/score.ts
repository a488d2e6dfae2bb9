// Scores a simulation against what Vigil raised: for every injected scenario, whether an
// alert of one of its rules names its units and hosts (or addresses, signature) and when
// the first one began (time to detect, in simulated time); how many alerts an analyst
// would face per simulated hour; and the share of alerts that belong to no scenario.
// Pure: the caller fetches the alerts and the health view (vigil-api.ts).
import type { Alert } from '../core/schemas/alert.ts';
import type { Scenario, Truth } from './truth.ts';
import type { ClockAhead } from './vigil-api.ts';

const MINUTE = 60_000;
/** An alert may begin a little before the scenario's first event is stamped (grouping), and long after its last (silence, correlation windows). */
const BEFORE_MS = 10 * MINUTE;
const AFTER_MS = 3 * 60 * MINUTE;

export interface ScenarioScore {
  id: string;
  kind: Scenario['kind'];
  detected: boolean;
  /** First matching alert's first_seen (a silence: when it became abnormal) minus the scenario's start, ms of simulated time. */
  timeToDetectMs?: number;
  /** The rule (or health view) that showed it first. */
  via?: string;
  /** Alerts attributed to the scenario (any rule). */
  alerts: number;
}

export interface Score {
  scenarios: ScenarioScore[];
  alerts: number;
  simulatedHours: number;
  alertsPerAnalystHour: number;
  noiseAlerts: number;
  noiseShare: number;
  missed: string[];
}

/**
 * Whether an alert is about the scenario: it cites one of the scenario's events, or it is
 * from one of the scenario's rules and names its hosts, addresses or signature (a
 * correlation's evidence is a sample), in its units and time. A background detection on
 * a host the scenario also used is not the scenario's.
 */
function belongs(alert: Alert, scenario: Scenario, eventIds: ReadonlySet<string>): boolean {
  if (alert.event_ids.some((id) => eventIds.has(id))) return true;
  const first = Date.parse(alert.first_seen);
  if (first < Date.parse(scenario.start) - BEFORE_MS || first > Date.parse(scenario.end) + AFTER_MS) return false;
  if (alert.organization.id !== '*' && !scenario.units.includes(alert.organization.id)) return false;
  if (!scenario.rules.some((rule) => rule.id === alert.rule.id)) return false;
  if (alert.host.id !== undefined && scenario.hosts.includes(alert.host.id)) return true;
  const keys = new Set([...scenario.values, ...scenario.hosts]);
  if (Object.values(alert.group).some((value) => keys.has(value))) return true;
  // A unit's silence names the unit only.
  return scenario.kind === 'unit-silent';
}

export function scoreRun(truth: Truth, alerts: readonly Alert[], clocks: readonly ClockAhead[]): Score {
  const windowStart = Date.parse(truth.start);
  const windowEnd = Date.parse(truth.end) + 60 * MINUTE;
  const inWindow = alerts.filter((alert) => {
    const first = Date.parse(alert.first_seen);
    return first >= windowStart - BEFORE_MS && first < windowEnd;
  });
  const attributed = new Set<Alert>();
  const scenarios = truth.scenarios.map((scenario): ScenarioScore => {
    const eventIds = new Set(scenario.eventIds ?? []);
    const mine = inWindow.filter((alert) => belongs(alert, scenario, eventIds));
    for (const alert of mine) attributed.add(alert);
    if (scenario.health === 'clocks-ahead') {
      const clock = clocks.find((entry) => scenario.units.includes(entry.unit));
      return { id: scenario.id, kind: scenario.kind, detected: clock !== undefined, ...(clock === undefined ? {} : { via: `Health: clocks ahead (${clock.count} events)` }), alerts: mine.length };
    }
    const detecting = mine
      .filter((alert) => scenario.rules.some((rule) => rule.id === alert.rule.id))
      .sort((a, b) => Date.parse(a.first_seen) - Date.parse(b.first_seen));
    const first = detecting[0];
    if (first === undefined) return { id: scenario.id, kind: scenario.kind, detected: false, alerts: mine.length };
    // A silence alert begins when the source was last heard; it is raised once the silence is abnormal (its last_seen).
    const seen = first.event_ids.length === 0 && first.rule.id.startsWith('vigil-silent-') ? first.last_seen : first.first_seen;
    return { id: scenario.id, kind: scenario.kind, detected: true, timeToDetectMs: Date.parse(seen) - Date.parse(scenario.start), via: first.rule.title, alerts: mine.length };
  });
  const simulatedHours = (Date.parse(truth.end) - windowStart) / (60 * MINUTE);
  const noiseAlerts = inWindow.filter((alert) => !attributed.has(alert)).length;
  return {
    scenarios,
    alerts: inWindow.length,
    simulatedHours,
    alertsPerAnalystHour: simulatedHours > 0 ? inWindow.length / simulatedHours : 0,
    noiseAlerts,
    noiseShare: inWindow.length > 0 ? noiseAlerts / inWindow.length : 0,
    missed: scenarios.filter((scenario) => !scenario.detected).map((scenario) => scenario.id),
  };
}

function duration(ms: number): string {
  const minutes = Math.round(ms / MINUTE);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The report `vigil simulate score` prints. */
export function formatScore(score: Score): string {
  const lines = score.scenarios.map((scenario) =>
    scenario.detected
      ? `  detected  ${scenario.id.padEnd(18)} ${scenario.timeToDetectMs === undefined ? '' : `after ${duration(scenario.timeToDetectMs)}, `}by ${scenario.via} (${scenario.alerts} alerts)`
      : `  MISSED    ${scenario.id.padEnd(18)} (${scenario.alerts} related alerts, none from its rules)`,
  );
  return [
    'Scenarios:',
    ...lines,
    `Alerts: ${score.alerts} over ${score.simulatedHours.toFixed(1)} simulated hours = ${score.alertsPerAnalystHour.toFixed(1)} per analyst-hour`,
    `Alerts belonging to no scenario: ${score.noiseAlerts} (${(score.noiseShare * 100).toFixed(1)} %)`,
    score.missed.length === 0 ? 'Every injected scenario was detected.' : `Missed: ${score.missed.join(', ')}`,
    '',
  ].join('\n');
}
