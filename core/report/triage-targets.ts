// How fast the SOC means to acknowledge and to resolve an alert of each severity: the
// targets a report's mean times are held against. Set with VIGIL_REPORT_TARGETS as
// "critical=15m/4h,high=30m/8h" (acknowledge/resolve; m, h or d); severities left out
// keep their default.
import { BadInputError } from '../errors.ts';
import { severities, type Severity } from '../schemas/alert.ts';

export interface TriageTarget {
  acknowledgeMs: number;
  resolveMs: number;
}
export type TriageTargets = Record<Severity, TriageTarget>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const DEFAULT_TRIAGE_TARGETS: TriageTargets = {
  critical: { acknowledgeMs: 15 * MINUTE, resolveMs: 4 * HOUR },
  high: { acknowledgeMs: 30 * MINUTE, resolveMs: 8 * HOUR },
  medium: { acknowledgeMs: 4 * HOUR, resolveMs: 3 * DAY },
  low: { acknowledgeMs: 1 * DAY, resolveMs: 7 * DAY },
  informational: { acknowledgeMs: 3 * DAY, resolveMs: 14 * DAY },
};

const UNIT_MS: Record<string, number> = { m: MINUTE, h: HOUR, d: DAY };

function parseDuration(text: string, where: string): number {
  const match = /^(\d+(?:\.\d+)?)([mhd])$/.exec(text.trim());
  if (!match) throw new BadInputError(`${where}: "${text}" is not a duration like 15m, 4h or 2d`, 'config');
  return Math.round(Number(match[1]) * (UNIT_MS[match[2] ?? 'm'] ?? MINUTE));
}

export function parseTriageTargets(spec: string | undefined): TriageTargets {
  const targets: TriageTargets = { ...DEFAULT_TRIAGE_TARGETS };
  if (spec === undefined || spec.trim() === '') return targets;
  for (const part of spec.split(',')) {
    const [name, times] = part.split('=').map((s) => s.trim());
    if (!severities.includes(name as Severity) || times === undefined) {
      throw new BadInputError(`VIGIL_REPORT_TARGETS: "${part}" should be severity=acknowledge/resolve, e.g. critical=15m/4h`, 'config');
    }
    const [ack, resolve] = times.split('/');
    if (ack === undefined || resolve === undefined) {
      throw new BadInputError(`VIGIL_REPORT_TARGETS: "${part}" needs both times, acknowledge/resolve`, 'config');
    }
    targets[name as Severity] = {
      acknowledgeMs: parseDuration(ack, `VIGIL_REPORT_TARGETS ${name}`),
      resolveMs: parseDuration(resolve, `VIGIL_REPORT_TARGETS ${name}`),
    };
  }
  return targets;
}
