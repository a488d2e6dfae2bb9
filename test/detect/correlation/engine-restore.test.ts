// Persistence: state taken with takeChanges() and restored into a fresh engine behaves
// exactly as the engine that never stopped (same firings, no double count), and a
// changed or removed rule drops its saved groups instead of misreading them.
import { describe, expect, it } from 'vitest';
import { createCorrelationEngine } from '../../../detect/correlation/engine.ts';
import type {
  CompiledCorrelation,
  CorrelationEngine,
  CorrelationFiring,
  CorrelationSignal,
  EngineLimits,
} from '../../../detect/correlation/contract.ts';
import { correlation, limits, MINUTE, SECOND, signal } from './correlation-fixture.ts';

const byUser = { groupBy: ['user'], timespanMs: MINUTE } as const;
const every: CompiledCorrelation[] = [
  correlation({ id: 'count-early', type: 'event_count', rules: ['a'], ...byUser, condition: { gte: 4 } }),
  correlation({ id: 'count-close', type: 'event_count', rules: ['a'], ...byUser, condition: { gt: 1, lte: 8 } }),
  correlation({ id: 'distinct', type: 'value_count', rules: ['a'], ...byUser, condition: { gte: 3, field: 'v' } }),
  correlation({ id: 'sum', type: 'value_sum', rules: ['a'], ...byUser, condition: { gte: 12.5, field: 'n' } }),
  correlation({ id: 'avg', type: 'value_avg', rules: ['a'], ...byUser, condition: { gt: 5, field: 'n' } }),
  correlation({ id: 'p90', type: 'value_percentile', rules: ['a'], ...byUser, condition: { lt: 8, percentile: 90, field: 'n' } }),
  correlation({ id: 'all-of', type: 'temporal', rules: ['a', 'b', 'c'], ...byUser }),
  correlation({ id: 'in-order', type: 'temporal_ordered', rules: ['a', 'b', 'c'], ...byUser }),
  correlation({ id: 'chained', type: 'event_count', rules: ['count-early', 'all-of'], ...byUser, timespanMs: 5 * MINUTE, condition: { gte: 2 } }),
  correlation({ id: 'chained-order', type: 'temporal_ordered', rules: ['count-close', 'in-order'], ...byUser, timespanMs: 10 * MINUTE }),
];
const engineLimits = limits({ allowedLatenessMs: 20 * SECOND, maxGroupsPerRule: 6, maxEntriesPerGroup: 12, sampleSize: 3 });

type Step = { readonly signal: CorrelationSignal } | { readonly advance: number };

/** A deterministic stream: every correlation, 8 users (more than the group cap), jitter within and beyond the lateness. */
function stream(length: number): Step[] {
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const steps: Step[] = [];
  let clock = 0;
  for (let index = 0; index < length; index++) {
    clock += Math.floor(random() * 300);
    if (random() < 0.05) {
      steps.push({ advance: clock });
      continue;
    }
    const target = every[Math.floor(random() * 8)]!;
    const time = Math.max(0, clock - Math.floor(random() * 25 * SECOND));
    const rule = target.rules[Math.floor(random() * target.rules.length)]!;
    const n = Math.round(random() * 1000) / 100 - (random() < 0.05 ? 5 : 0);
    steps.push({
      signal: signal(target.id, rule, time, {
        group: { user: `u${Math.floor(random() * 8)}` },
        value: target.type === 'value_count' ? `v${Math.floor(random() * 4)}` : n,
        eventId: `e${index}`,
      }),
    });
  }
  return steps;
}

function run(engine: CorrelationEngine, steps: readonly Step[]): CorrelationFiring[] {
  return steps.flatMap((step) => ('signal' in step ? engine.observe(step.signal) : engine.advance(step.advance)));
}

/** Saves what takeChanges returns the way a state file would: latest state per key, JSON round-tripped. */
class SavedState {
  meta: unknown = undefined;
  readonly groups = new Map<string, unknown>();

  save(engine: CorrelationEngine): void {
    const changes = JSON.parse(JSON.stringify(engine.takeChanges())) as { meta: unknown; groups: [string, unknown][] };
    this.meta = changes.meta;
    for (const [key, state] of changes.groups) {
      if (state === null) this.groups.delete(key);
      else this.groups.set(key, state);
    }
  }

  restoreInto(correlations: readonly CompiledCorrelation[], engineLimits: EngineLimits): CorrelationEngine {
    const engine = createCorrelationEngine(correlations, engineLimits);
    engine.restore(this.meta, this.groups);
    return engine;
  }
}

describe('takeChanges / restore', () => {
  it('a restart after every batch gives exactly the firings of one engine fed everything', () => {
    const steps = stream(3000);
    const continuous = createCorrelationEngine(every, engineLimits);
    const expected = [...run(continuous, steps), ...continuous.flush()];
    expect(new Set(expected.map((fired) => fired.correlation))).toEqual(new Set(every.map((each) => each.id)));

    for (const batchSize of [1, 7, 250]) {
      const saved = new SavedState();
      let engine = createCorrelationEngine(every, engineLimits);
      const firings: CorrelationFiring[] = [];
      for (let from = 0; from < steps.length; from += batchSize) {
        firings.push(...run(engine, steps.slice(from, from + batchSize)));
        saved.save(engine);
        engine = saved.restoreInto(every, engineLimits);
      }
      firings.push(...engine.flush());
      expect(firings).toEqual(expected);
      expect(engine.health()).toEqual(continuous.health());
    }
  });

  it('a restart mid-window neither loses nor double counts entries', () => {
    const brute = every[0]!;
    const saved = new SavedState();
    const before = createCorrelationEngine([brute], engineLimits);
    [0, 1, 2].forEach((time) => before.observe(signal('count-early', 'a', time, { group: { user: 'alice' } })));
    saved.save(before);
    saved.save(before); // nothing changed: the meta only
    expect(saved.groups.size).toBe(1);
    const after = saved.restoreInto([brute], engineLimits);
    expect(after.health().activeGroups).toBe(1);
    const [fired, ...rest] = after.observe(signal('count-early', 'a', 3, { group: { user: 'alice' } }));
    expect(rest).toEqual([]);
    expect(fired).toMatchObject({ count: 4, eventIds: ['a@0', 'a@1', 'a@2'] });
    expect(after.observe(signal('count-early', 'a', 4, { group: { user: 'alice' } }))).toEqual([]);
  });

  it('drops saved groups whose rule changed or is gone, and reports them removed', () => {
    const [countEarly, countClose] = every as [CompiledCorrelation, CompiledCorrelation];
    const saved = new SavedState();
    const before = createCorrelationEngine([countEarly, countClose], engineLimits);
    before.observe(signal('count-early', 'a', 0, { group: { user: 'alice' } }));
    before.observe(signal('count-close', 'a', 0, { group: { user: 'alice' } }));
    saved.save(before);

    const changed = { ...countEarly, timespanMs: 2 * MINUTE };
    const after = saved.restoreInto([changed], engineLimits);
    expect(after.health().activeGroups).toBe(0);
    const removed = after.takeChanges().groups;
    expect(removed).toHaveLength(2);
    expect(removed.every(([, state]) => state === null)).toBe(true);
    // The new rule counts from scratch: three more are not four.
    expect([1, 2, 3].flatMap((time) => after.observe(signal('count-early', 'a', time, { group: { user: 'alice' } })))).toEqual([]);

    const unchanged = saved.restoreInto([countEarly, countClose], engineLimits);
    expect(unchanged.health().activeGroups).toBe(2);
    expect(unchanged.takeChanges().groups).toEqual([]);
  });

  it('restores the counters and the late list', () => {
    const saved = new SavedState();
    const before = createCorrelationEngine(every, engineLimits);
    before.observe(signal('count-early', 'a', MINUTE));
    before.observe(signal('count-early', 'a', 0));
    saved.save(before);
    const after = saved.restoreInto(every, engineLimits);
    expect(after.health()).toEqual(before.health());
    expect(after.health().late).toEqual({ 'count-early': 1 });
  });

  it('refuses to restore into an engine that has already run', () => {
    const engine = createCorrelationEngine(every, engineLimits);
    engine.advance(0);
    expect(() => engine.restore({}, [])).toThrow(/fresh engine/);
  });
});
