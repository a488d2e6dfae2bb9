// What the engine needs to know about one compiled correlation, worked out once at
// load time: whether its condition can fire early (it only grows as entries arrive)
// or must wait for its window to close, how to test the condition, what value a
// signal carries, and where each referenced rule sits in the rule list.
import type { CompiledCorrelation, CorrelationCondition, CorrelationType } from './contract.ts';
import { correlationFingerprint } from './correlation-fingerprint.ts';

/**
 * early: the condition only has lower bounds on an aggregate that never shrinks as
 * entries arrive, so it fires at the signal that makes it true.
 * early-until-negative: value_sum with lower bounds; a negative value makes the sum
 * non-monotone, so from that signal on the group is decided at window close.
 * close: decided when the window closes (upper bounds, eq/neq, avg, percentile).
 */
export type FiringMode = 'early' | 'early-until-negative' | 'close';

/** What a signal's `value` is for: nothing, a distinct-count key, or a number. */
export type ValueKind = 'none' | 'text' | 'number';

export interface CorrelationPlan {
  /** Position in the loaded list (inner correlations first); orders ties deterministically. */
  readonly index: number;
  readonly id: string;
  readonly type: CorrelationType;
  readonly groupBy: readonly string[];
  readonly timespanMs: number;
  readonly fingerprint: string;
  readonly mode: FiringMode;
  readonly valueKind: ValueKind;
  /** Referenced rule id → index among the distinct referenced rules. */
  readonly ruleIndex: ReadonlyMap<string, number>;
  readonly distinctRules: number;
  /** temporal_ordered: for each distinct rule, its positions in `rules`, highest first. */
  readonly orderedPositions: readonly (readonly number[])[];
  readonly orderLength: number;
  /** value_percentile: which percentile (0–100). */
  readonly percentile: number;
  /** The lowest value that can pass (for the float-drift check of a running sum). */
  readonly lowestPassing: number;
  passes(value: number): boolean;
  /** The signal's value as this correlation stores it, or undefined when it has none usable. */
  readValue(raw: string | number | undefined): string | number | undefined;
}

export function planCorrelation(correlation: CompiledCorrelation, index: number): CorrelationPlan {
  const bounds = boundsOf(correlation.condition);
  const temporal = correlation.type === 'temporal' || correlation.type === 'temporal_ordered';
  const ruleIndex = new Map<string, number>();
  for (const rule of correlation.rules) if (!ruleIndex.has(rule)) ruleIndex.set(rule, ruleIndex.size);
  const orderedPositions: number[][] = Array.from({ length: ruleIndex.size }, () => []);
  correlation.rules.forEach((rule, position) => orderedPositions[ruleIndex.get(rule)!]!.unshift(position));

  // Without bounds a temporal correlation needs every referenced rule; a count needs one entry.
  const required = correlation.type === 'temporal_ordered' ? correlation.rules.length : temporal ? ruleIndex.size : 1;
  const test = bounds ?? { gte: required };
  const valueKind: ValueKind =
    correlation.type === 'value_count'
      ? 'text'
      : correlation.type === 'value_sum' || correlation.type === 'value_avg' || correlation.type === 'value_percentile'
        ? 'number'
        : 'none';

  return {
    index,
    id: correlation.id,
    type: correlation.type,
    groupBy: correlation.groupBy,
    timespanMs: correlation.timespanMs,
    fingerprint: correlationFingerprint(correlation),
    mode: firingMode(correlation.type, test),
    valueKind,
    ruleIndex,
    distinctRules: ruleIndex.size,
    orderedPositions,
    orderLength: correlation.rules.length,
    percentile: Math.min(100, Math.max(0, correlation.condition?.percentile ?? 50)),
    lowestPassing: Math.max(test.gt ?? -Infinity, test.gte ?? -Infinity),
    passes: (value) =>
      (test.gt === undefined || value > test.gt) &&
      (test.gte === undefined || value >= test.gte) &&
      (test.lt === undefined || value < test.lt) &&
      (test.lte === undefined || value <= test.lte) &&
      (test.eq === undefined || value === test.eq) &&
      (test.neq === undefined || value !== test.neq),
    readValue: valueReader(valueKind),
  };
}

type Bounds = Pick<CorrelationCondition, 'gt' | 'gte' | 'lt' | 'lte' | 'eq' | 'neq'>;

function boundsOf(condition: CorrelationCondition | undefined): Bounds | undefined {
  if (condition === undefined) return undefined;
  const { gt, gte, lt, lte, eq, neq } = condition;
  const bounds = { gt, gte, lt, lte, eq, neq };
  return Object.values(bounds).some((bound) => bound !== undefined) ? bounds : undefined;
}

function firingMode(type: CorrelationType, bounds: Bounds): FiringMode {
  const lowerOnly = bounds.lt === undefined && bounds.lte === undefined && bounds.eq === undefined && bounds.neq === undefined;
  if (!lowerOnly || type === 'value_avg' || type === 'value_percentile') return 'close';
  return type === 'value_sum' ? 'early-until-negative' : 'early';
}

function valueReader(kind: ValueKind): CorrelationPlan['readValue'] {
  if (kind === 'none') return () => 0;
  if (kind === 'text') return (raw) => (typeof raw === 'string' ? raw : typeof raw === 'number' ? String(raw) : undefined);
  return (raw) => {
    const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  };
}
