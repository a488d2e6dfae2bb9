// Alerts over time stacked by severity, as the alerts histogram, the dashboard and the
// host and unit pages draw them: critical at the bottom of the stack, on the axis,
// where it is easiest to see; each severity in the theme's colour for it.
import { severityOrder, type SeverityName } from '../ui/severity-badge.tsx';
import { themeColor } from './echart.tsx';
import { barCounts, type TimeBars } from './time-bars.ts';

/** Bottom of the stack first. */
export const SEVERITY_STACK: readonly SeverityName[] = [...severityOrder].reverse();
export type StackedSeverity = SeverityName;

/** The theme's colour of a severity (the tags' own: --sev-critical … --sev-info). */
function colorVar(severity: StackedSeverity): string {
  return severity === 'informational' ? '--sev-info' : `--sev-${severity}`;
}

/** An alert histogram's bucket as the API answers it. */
export interface SeverityBucket {
  start: string;
  bySeverity: Partial<Record<StackedSeverity, number>>;
}

export type SeverityCounts = Record<StackedSeverity, number[]>;

export function severityCounts(bars: TimeBars, buckets: SeverityBucket[]): SeverityCounts {
  return Object.fromEntries(SEVERITY_STACK.map((s) => [s, barCounts(bars, buckets, (b) => b.bySeverity[s] ?? 0)])) as SeverityCounts;
}

/** One stacked bar series per severity, named in the user's language. */
export function severitySeries(counts: SeverityCounts, name: (severity: StackedSeverity) => string): Record<string, unknown>[] {
  return SEVERITY_STACK.map((severity) => ({
    type: 'bar',
    name: name(severity),
    stack: 'alerts',
    barCategoryGap: '15%',
    itemStyle: { color: themeColor(colorVar(severity), '#888') },
    data: counts[severity],
  }));
}
