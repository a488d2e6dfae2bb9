// Health of the partitions one correlate member owns, as one view: event time is the
// slowest partition's, counters add up, late signals merge newest first, and the lists
// (silent sources, future-stamped agents) join.
import { describe, expect, it } from 'vitest';
import { detectionHealth, mergedEngineHealth } from '../../../detect/correlation/correlate-health.ts';
import { CorrelationOutput, Correlator, type CorrelationRules, type CorrelatorOptions } from '../../../detect/correlation/correlator.ts';
import { correlation, MINUTE } from './correlation-fixture.ts';

const T0 = Date.parse('2026-11-22T08:00:00Z');
const threeFailures = correlation({ id: 'three', type: 'event_count', rules: ['failed_logon'], groupBy: ['host.id'], timespanMs: 10 * MINUTE, condition: { gte: 3 } });
const rules: CorrelationRules = { correlations: [threeFailures], ruleMeta: () => undefined, raisesOwnAlerts: () => false };
const options: CorrelatorOptions = {
  limits: { allowedLatenessMs: 0, maxGroupsPerRule: 1000, maxEntriesPerGroup: 1000, sampleSize: 100 },
  alertGroupWindowMs: 3_600_000,
  silence: {},
  sourceIdleMs: Number.POSITIVE_INFINITY,
  eventsPartitions: 1,
  ownsUnit: () => true,
};

function partition(reached: number, lateAt: number[], future: number) {
  const correlator = new Correlator(rules, options);
  const out = new CorrelationOutput(new Date(0));
  correlator.apply(
    [{ kind: 'progress', partition: 0, time: reached, activity: [{ time: reached, organization: { id: 'unit-1', name: 'Unit 1' }, agent: `pc-${reached}`, count: 1, future }] }],
    reached,
    out,
  );
  lateAt.forEach((time, offset) => {
    const late = { kind: 'match' as const, src: { p: 0, o: offset, i: 0 }, rule: 'failed_logon', time, eventId: `late-${time}`, organization: { id: 'unit-1', name: 'Unit 1' } };
    correlator.apply([{ ...late, correlations: [{ correlation: 'three', group: { 'host.id': 'dc-1' } }] }], reached, out);
  });
  return correlator;
}

describe('correlate health', () => {
  it('reports the slowest partition’s event time and the sum of its counters', () => {
    const slow = partition(T0 + 5 * MINUTE, [T0], 0);
    const fast = partition(T0 + 30 * MINUTE, [T0 + MINUTE, T0 + 2 * MINUTE], 2);
    const merged = mergedEngineHealth([slow, fast]);
    expect(merged.watermark).toBe(T0 + 5 * MINUTE);
    expect(merged.late).toEqual({ three: 3 });
    expect(merged.recentLate.map((late) => late.eventId)).toEqual([`late-${T0 + 2 * MINUTE}`, `late-${T0 + MINUTE}`, `late-${T0}`]);

    const health = detectionHealth([slow, fast], { events: 4, signals: 1 }, rules);
    expect(health.correlation).toMatchObject({ rules: 1, titles: { three: 'three' } });
    expect(health.lag).toEqual({ events: 4, signals: 1 });
    expect(health.futureTimestamps).toEqual([{ unit: 'unit-1', agent: `pc-${T0 + 30 * MINUTE}`, count: 2, lastSeen: new Date(T0 + 30 * MINUTE).toISOString() }]);
  });

  it('owning no partition reports no event time yet', () => {
    expect(mergedEngineHealth([])).toEqual({ watermark: null, activeGroups: 0, late: {}, groupsRefused: {}, entriesDropped: {}, recentLate: [] });
  });
});
