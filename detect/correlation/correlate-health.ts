// The health of the partitions one correlate member owns, as one view: for the console
// (DetectionHealth) and for the metrics. Each partition has its own engine; event time
// is reported as the slowest partition's, counters as sums.
import type { Metrics } from '../../core/metrics.ts';
import type { DetectionHealth, EngineHealth } from '../../core/schemas/detection-health.ts';
import type { Correlator } from './correlator.ts';

const RECENT_LATE_LIMIT = 50;

export function mergedEngineHealth(correlators: readonly Correlator[]): EngineHealth {
  const healths = correlators.map((correlator) => correlator.engineHealth());
  const watermarks = healths.map((health) => health.watermark).filter((watermark): watermark is number => watermark !== null);
  const sum = (pick: (health: EngineHealth) => Readonly<Record<string, number>>) => {
    const total: Record<string, number> = {};
    for (const health of healths) for (const [rule, count] of Object.entries(pick(health))) total[rule] = (total[rule] ?? 0) + count;
    return total;
  };
  return {
    watermark: watermarks.length === 0 ? null : Math.min(...watermarks),
    activeGroups: healths.reduce((total, health) => total + health.activeGroups, 0),
    late: sum((health) => health.late),
    groupsRefused: sum((health) => health.groupsRefused),
    entriesDropped: sum((health) => health.entriesDropped),
    recentLate: healths
      .flatMap((health) => health.recentLate)
      .sort((a, b) => b.time - a.time)
      .slice(0, RECENT_LATE_LIMIT),
  };
}

export function detectionHealth(correlators: readonly Correlator[], lag: DetectionHealth['lag'], rules: Correlator['currentRules']): DetectionHealth {
  return {
    correlation: {
      ...mergedEngineHealth(correlators),
      rules: rules.correlations.length,
      titles: Object.fromEntries(rules.correlations.map((correlation) => [correlation.id, correlation.title])),
    },
    lag,
    silentSources: correlators.flatMap((correlator) => correlator.silentSources()),
    futureTimestamps: correlators.flatMap((correlator) => correlator.futureTimestamps()),
  };
}

/** Sets the correlation gauges from the partitions owned now. */
export function reportHealthMetrics(metrics: Metrics, correlators: readonly Correlator[]): void {
  const health = mergedEngineHealth(correlators);
  metrics.correlationActiveGroups.set(health.activeGroups);
  metrics.alertGroupsOpen.set(correlators.reduce((total, correlator) => total + correlator.openAlertGroups, 0));
  if (health.watermark !== null) metrics.correlationWatermark.set(health.watermark / 1000);
  for (const [rule, count] of Object.entries(health.late)) metrics.correlationLateSignals.set({ rule }, count);
  for (const [rule, count] of Object.entries(health.groupsRefused)) metrics.correlationGroupsRefused.set({ rule }, count);
  for (const [rule, count] of Object.entries(health.entriesDropped)) metrics.correlationEntriesDropped.set({ rule }, count);
}
