// The engine against a brute-force model of the same semantics (every window measured
// from scratch, nothing pruned, no incremental state), on seeded random streams with
// out-of-order and late signals: the incremental windows, expiry and deadline queue
// must not change a single firing.
import { describe, expect, it } from 'vitest';
import { createCorrelationEngine } from '../../../detect/correlation/engine.ts';
import type { CompiledCorrelation, CorrelationSignal } from '../../../detect/correlation/contract.ts';
import { correlation, limits, MINUTE, SECOND, signal } from './correlation-fixture.ts';

interface ModelEntry {
  readonly time: number;
  readonly rule: string;
  readonly value: string | number;
  readonly eventId: string;
}

type Summary = [user: string, windowStart: number, time: number, count: number, value: number, eventIds: string];

/** The semantics of engine.ts written the slow, obvious way, for one correlation. */
class ModelEngine {
  private readonly groups = new Map<string, ModelEntry[]>();
  private maxTime = -Infinity;
  readonly early: boolean;

  constructor(
    private readonly rule: CompiledCorrelation,
    private readonly latenessMs: number,
  ) {
    const condition = rule.condition ?? {};
    this.early = condition.lt === undefined && condition.lte === undefined && condition.eq === undefined && condition.neq === undefined &&
      rule.type !== 'value_avg' && rule.type !== 'value_percentile';
  }

  observe(input: CorrelationSignal): Summary[] {
    const out: Summary[] = [];
    if (input.time > this.maxTime) out.push(...this.advance(input.time));
    if (input.time < this.maxTime - this.latenessMs || input.value === undefined) return out;
    const user = input.group.user!;
    const entries = this.groups.get(user) ?? [];
    this.groups.set(user, entries);
    let index = entries.length;
    while (index > 0 && entries[index - 1]!.time > input.time) index -= 1;
    entries.splice(index, 0, { time: input.time, rule: input.rule, value: input.value, eventId: input.eventId });
    if (!this.early) return out;
    const timespan = this.rule.timespanMs;
    for (let last = index; last < entries.length && entries[last]!.time <= input.time + timespan; last++) {
      const first = entries.findIndex((entry) => entry.time >= entries[last]!.time - timespan);
      if (first > index) break;
      const window = entries.slice(first, last + 1);
      const value = this.measure(window);
      if (this.passes(value)) {
        entries.splice(first, window.length);
        out.push(summary(user, window, value, window[0]!.time, window.at(-1)!.time));
        break;
      }
    }
    return out;
  }

  advance(time: number): Summary[] {
    const out: Summary[] = [];
    if (time <= this.maxTime) return out;
    this.maxTime = time;
    if (this.early) return out;
    const watermark = time - this.latenessMs;
    for (;;) {
      const due = [...this.groups]
        .filter(([, entries]) => entries.length > 0 && entries[0]!.time + this.rule.timespanMs < watermark)
        .sort(([a, x], [b, y]) => x[0]!.time - y[0]!.time || (JSON.stringify([a]) < JSON.stringify([b]) ? -1 : 1))[0];
      if (due === undefined) return out;
      const [user, entries] = due;
      const start = entries[0]!.time;
      const window = entries.filter((entry) => entry.time <= start + this.rule.timespanMs);
      entries.splice(0, window.length);
      const value = this.measure(window);
      if (this.passes(value)) out.push(summary(user, window, value, start, start + this.rule.timespanMs));
    }
  }

  private measure(window: readonly ModelEntry[]): number {
    const numbers = window.map((entry) => entry.value as number);
    switch (this.rule.type) {
      case 'event_count':
        return window.length;
      case 'value_count':
        return new Set(window.map((entry) => entry.value)).size;
      case 'temporal':
        return new Set(window.map((entry) => entry.rule)).size;
      case 'temporal_ordered': {
        let matched = 0;
        for (const entry of window) if (entry.rule === this.rule.rules[matched]) matched += 1;
        return matched;
      }
      case 'value_sum':
        return numbers.reduce((total, each) => total + each, 0);
      case 'value_avg':
        return numbers.reduce((total, each) => total + each, 0) / numbers.length;
      case 'value_percentile': {
        const sorted = [...numbers].sort((a, b) => a - b);
        return sorted[Math.max(1, Math.ceil((this.rule.condition!.percentile! / 100) * sorted.length)) - 1]!;
      }
    }
  }

  private passes(value: number): boolean {
    const { gt, gte, lt, lte, eq, neq } = this.rule.condition ?? { gte: this.rule.rules.length };
    return (
      (gt === undefined || value > gt) &&
      (gte === undefined || value >= gte) &&
      (lt === undefined || value < lt) &&
      (lte === undefined || value <= lte) &&
      (eq === undefined || value === eq) &&
      (neq === undefined || value !== neq)
    );
  }
}

function summary(user: string, window: readonly ModelEntry[], value: number, windowStart: number, time: number): Summary {
  return [user, windowStart, time, window.length, value, window.map((entry) => entry.eventId).join(' ')];
}

const shape = { groupBy: ['user'], timespanMs: MINUTE } as const;
const cases: CompiledCorrelation[] = [
  correlation({ id: 'count-gte', type: 'event_count', rules: ['a'], ...shape, condition: { gte: 5 } }),
  correlation({ id: 'count-range', type: 'event_count', rules: ['a'], ...shape, condition: { gte: 3, lt: 6 } }),
  correlation({ id: 'distinct', type: 'value_count', rules: ['a'], ...shape, condition: { gt: 3, field: 'v' } }),
  correlation({ id: 'distinct-lte', type: 'value_count', rules: ['a'], ...shape, condition: { lte: 3, field: 'v' } }),
  correlation({ id: 'temporal', type: 'temporal', rules: ['a', 'b', 'c'], ...shape }),
  correlation({ id: 'ordered', type: 'temporal_ordered', rules: ['a', 'b', 'c'], ...shape }),
  correlation({ id: 'ordered-repeat', type: 'temporal_ordered', rules: ['a', 'b', 'a'], ...shape, condition: { gte: 3 } }),
  correlation({ id: 'sum', type: 'value_sum', rules: ['a'], ...shape, condition: { gt: 20.5, field: 'n' } }),
  correlation({ id: 'avg', type: 'value_avg', rules: ['a'], ...shape, condition: { gte: 4, lte: 6, field: 'n' } }),
  correlation({ id: 'p75', type: 'value_percentile', rules: ['a'], ...shape, condition: { gt: 6, percentile: 75, field: 'n' } }),
];

function randomStream(rule: CompiledCorrelation, seed: number, length: number): ({ signal: CorrelationSignal } | { advance: number })[] {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  let clock = 0;
  return Array.from({ length }, (_, index) => {
    clock += Math.floor(random() * 5 * SECOND);
    if (random() < 0.03) return { advance: clock };
    const value = rule.type === 'value_count' ? `v${Math.floor(random() * 6)}` : Math.round(random() * 1000) / 100;
    return {
      signal: signal(rule.id, rule.rules[Math.floor(random() * rule.rules.length)]!, Math.max(0, clock - Math.floor(random() * 40 * SECOND)), {
        group: { user: `u${Math.floor(random() * 3)}` },
        value,
        eventId: `e${index}`,
      }),
    };
  });
}

describe('engine against the brute-force model', () => {
  for (const rule of cases) {
    it(`${rule.id}: same firings on random streams`, () => {
      for (const seed of [1, 2, 3]) {
        const engine = createCorrelationEngine([rule], limits({ allowedLatenessMs: 30 * SECOND }));
        const model = new ModelEngine(rule, 30 * SECOND);
        const fromEngine: Summary[] = [];
        const fromModel: Summary[] = [];
        for (const step of randomStream(rule, seed, 1500)) {
          const fired = 'signal' in step ? engine.observe(step.signal) : engine.advance(step.advance);
          fromEngine.push(
            ...fired.map((each): Summary => [each.group.user!, each.windowStart, each.time, each.count, each.value, each.eventIds.join(' ')]),
          );
          fromModel.push(...('signal' in step ? model.observe(step.signal) : model.advance(step.advance)));
        }
        expect(fromEngine.length).toBeGreaterThan(5);
        expect(fromEngine).toEqual(fromModel);
      }
    });
  }
});
