// The correlate core of one signals partition, as the stage and `vigil rules match` use
// it: progress reaches every partition but only the owner of a unit reports its silence
// and its future-stamped events (no duplicate alerts across shards); a reload keeps the
// windows of unchanged correlations; a snapshot restores the same behaviour.
import { describe, expect, it } from 'vitest';
import { CorrelationOutput, Correlator, type CorrelationRules, type CorrelatorOptions } from '../../../detect/correlation/correlator.ts';
import { shardOf, type MatchRecord, type ProgressRecord } from '../../../detect/correlation/signal-record.ts';
import { correlation } from './correlation-fixture.ts';

const MIN = 60_000;
const T0 = Date.parse('2026-11-02T00:00:00Z');
const SHARDS = 3;

function options(partition: number): CorrelatorOptions {
  return {
    limits: { allowedLatenessMs: 0, maxGroupsPerRule: 1000, maxEntriesPerGroup: 1000, sampleSize: 100 },
    alertGroupWindowMs: 3_600_000,
    silence: { utcOffsetMinutes: 0 },
    sourceIdleMs: Number.POSITIVE_INFINITY,
    eventsPartitions: 1,
    ownsUnit: (unit) => shardOf(unit, SHARDS) === partition,
  };
}

const noRules: CorrelationRules = { correlations: [], ruleMeta: () => undefined, raisesOwnAlerts: () => false };

function progress(time: number, units: string[], future = 0): ProgressRecord {
  return {
    kind: 'progress',
    partition: 0,
    time,
    activity: units.map((unit) => ({ time, organization: { id: unit, name: unit }, agent: `${unit}-pc`, host: { id: `${unit}-pc` }, count: 5, future })),
  };
}

describe('Correlator', () => {
  it('reports a silent unit from one partition only, though every partition hears its progress', () => {
    const correlators = Array.from({ length: SHARDS }, (_, partition) => new Correlator(noRules, options(partition)));
    const raised: { partition: number; rule: string; unit: string }[] = [];
    const units = ['unit-1', 'unit-2', 'unit-3', 'unit-4'];
    const feed = (record: ProgressRecord) => {
      correlators.forEach((correlator, partition) => {
        const out = new CorrelationOutput(new Date(0));
        correlator.apply([record], record.time, out);
        for (const alert of out.alerts.values()) raised.push({ partition, rule: alert.rule.id, unit: alert.organization.id });
      });
    };
    // Eight days of round-the-clock traffic, then silence for six hours.
    for (let time = T0; time < T0 + 8 * 24 * 60 * MIN; time += 15 * MIN) feed(progress(time, units));
    for (let time = T0 + 8 * 24 * 60 * MIN; time < T0 + 8 * 24 * 60 * MIN + 6 * 60 * MIN; time += 15 * MIN) feed(progress(time, []));

    expect(raised.filter((alert) => alert.rule === 'vigil-silent-unit').sort((a, b) => a.unit.localeCompare(b.unit))).toEqual(
      units.map((unit) => ({ partition: shardOf(unit, SHARDS), rule: 'vigil-silent-unit', unit })),
    );
    // Each agent's silence is covered by its unit's one alert.
    expect(raised.filter((alert) => alert.rule === 'vigil-silent-agent')).toEqual([]);
  });

  it('counts future-stamped events per agent in the owning partition only', () => {
    const correlators = Array.from({ length: SHARDS }, (_, partition) => new Correlator(noRules, options(partition)));
    for (const correlator of correlators) correlator.apply([progress(T0, ['unit-b'], 2), progress(T0 + MIN, ['unit-b'], 1)], T0 + MIN, new CorrelationOutput(new Date(0)));
    const listed = correlators.map((correlator) => correlator.futureTimestamps());
    expect(listed.flat()).toEqual([{ unit: 'unit-b', agent: 'unit-b-pc', count: 3, lastSeen: new Date(T0 + MIN).toISOString() }]);
    expect(listed[shardOf('unit-b', SHARDS)]).toHaveLength(1);
  });

  it('keeps an open window through a snapshot and a reload of unchanged rules', () => {
    const threeFailures = correlation({
      id: 'corr-three',
      type: 'event_count',
      rules: ['failed_logon'],
      groupBy: ['host.id'],
      timespanMs: 10 * MIN,
      condition: { gte: 3 },
    });
    const rules: CorrelationRules = {
      correlations: [threeFailures],
      ruleMeta: (id) => (id === 'corr-three' ? { id, title: 'Three failed logons on one host', level: 'high', tags: [] } : undefined),
      raisesOwnAlerts: (id) => id === 'corr-three',
    };
    const match = (offset: number, minute: number): MatchRecord => ({
      kind: 'match',
      src: { p: 0, o: offset, i: 0 },
      rule: 'failed_logon',
      time: T0 + minute * MIN,
      eventId: `e${offset}`,
      organization: { id: 'unit-1', name: 'Unit 1' },
      correlations: [{ correlation: 'corr-three', group: { 'host.id': 'dc-1' } }],
    });
    const first = new Correlator(rules, options(0));
    first.apply([match(0, 0), progress(T0, []), match(1, 1), progress(T0 + MIN, [])], 0, new CorrelationOutput(new Date(0)));
    const restored = Correlator.restore(rules, options(0), JSON.parse(JSON.stringify(first.snapshot())));
    // A reload with a new (equal) rules object keeps the window.
    restored.reload({ ...rules });
    const out = new CorrelationOutput(new Date(0));
    // The replayed second signal is recognised; the third completes the window.
    restored.apply([match(1, 1), match(2, 2)], 0, out);
    expect([...out.alerts.values()].map((alert) => [alert.rule.id, alert.count, alert.event_ids])).toEqual([['corr-three', 3, ['e0', 'e1', 'e2']]]);
  });
  it('counts an event once in its per-PC alert when it reaches the events topic twice (a producer retry), under two offsets', () => {
    const rules: CorrelationRules = {
      correlations: [],
      ruleMeta: (id) => ({ id, title: id, level: 'medium', tags: [] }),
      raisesOwnAlerts: () => false,
    };
    // Two rules matched event e-7 on one PC; after a broker restart the ingest producer
    // retried, so the same event sits at offsets 7 and 9: src differs, AppliedSignals passes both.
    const match = (offset: number, rule: string, index: number, eventId: string): MatchRecord => ({
      kind: 'match',
      src: { p: 0, o: offset, i: index },
      rule,
      time: T0,
      eventId,
      organization: { id: 'unit-5', name: 'Unit 5' },
      host: { id: 'u5-r7-pc2' },
      alert: { 'host.id': 'u5-r7-pc2' },
      correlations: [],
    });
    const correlator = new Correlator(rules, options(0));
    const out = new CorrelationOutput(new Date(0));
    correlator.apply([match(7, 'rule-a', 0, 'e-7'), match(7, 'rule-b', 1, 'e-7'), match(8, 'rule-a', 0, 'e-8')], 0, out);
    correlator.apply([match(9, 'rule-a', 0, 'e-7'), match(9, 'rule-b', 1, 'e-7')], 0, out);
    const counts = Object.fromEntries([...out.alerts.values()].map((alert) => [alert.rule.id, alert.count]));
    expect(counts).toEqual({ 'rule-a': 2, 'rule-b': 1 });
  });
});
