// Time to acknowledge and to resolve one alert, from its history: the same rule for
// every Store adapter. Acknowledged is the first time a person moved its status away
// from `new` (to anything); resolved is the first time it was set to resolved or
// false_positive. Both are measured from first_seen; a clock oddity that puts a change
// before first_seen counts as zero, never as negative time.
import type { TriageTimes } from '../ports/report-figures.ts';
import type { HistoryEntry, Severity } from '../schemas/alert.ts';

export interface TriageSample {
  severity: Severity;
  firstSeen: string;
  history: readonly Pick<HistoryEntry, 'at' | 'field' | 'to'>[];
}

export function emptyTriageTimes(): TriageTimes {
  return { alerts: 0, acknowledged: 0, acknowledgeMsTotal: 0, resolved: 0, resolveMsTotal: 0 };
}

/** Adds one alert's history to its severity's sums (the alert itself is counted elsewhere). */
export function addTriageSample(into: Partial<Record<Severity, TriageTimes>>, sample: TriageSample): void {
  const start = Date.parse(sample.firstSeen);
  let acknowledged = Infinity;
  let resolved = Infinity;
  for (const entry of sample.history) {
    if (entry.field !== 'status') continue;
    const at = Date.parse(entry.at);
    if (Number.isNaN(at)) continue;
    acknowledged = Math.min(acknowledged, at);
    if (entry.to === 'resolved' || entry.to === 'false_positive') resolved = Math.min(resolved, at);
  }
  if (acknowledged === Infinity || Number.isNaN(start)) return;
  const times = (into[sample.severity] ??= emptyTriageTimes());
  times.acknowledged += 1;
  times.acknowledgeMsTotal += Math.max(0, acknowledged - start);
  if (resolved !== Infinity) {
    times.resolved += 1;
    times.resolveMsTotal += Math.max(0, resolved - start);
  }
}
