// The contract between the correlation compiler (detect/sigma/*correlation*), the
// engine (detect/correlation/*) and the stage that feeds it: a compiled Sigma
// correlation rule, the signals the engine consumes, and what it emits. Everything here
// is plain data so that signals can travel on the bus and state can be snapshotted.
import type { Severity } from '../../core/schemas/alert.ts';
import type { SourceLocation } from '../sigma/rule-error.ts';
import type { EngineHealth } from '../../core/schemas/detection-health.ts';

export type { DetectionHealth, EngineHealth } from '../../core/schemas/detection-health.ts';

export const correlationTypes = [
  'event_count',
  'value_count',
  'temporal',
  'temporal_ordered',
  'value_sum',
  'value_avg',
  'value_percentile',
] as const;
export type CorrelationType = (typeof correlationTypes)[number];

/**
 * A Sigma correlation condition: one or two bounds (two make a range, ANDed), plus the
 * field the value_* types aggregate and the percentile value_percentile takes.
 */
export interface CorrelationCondition {
  readonly gt?: number;
  readonly gte?: number;
  readonly lt?: number;
  readonly lte?: number;
  readonly eq?: number;
  readonly neq?: number;
  /** value_count, value_sum, value_avg, value_percentile: the aggregated field (an alias name or an event field). */
  readonly field?: string;
  /** value_percentile: which percentile, 0–100. */
  readonly percentile?: number;
}

export interface CompiledCorrelation {
  readonly kind: 'correlation';
  readonly id: string;
  readonly name: string | undefined;
  readonly title: string;
  readonly level: Severity;
  readonly status: string | undefined;
  readonly description: string | undefined;
  readonly tags: readonly string[];
  readonly falsepositives: readonly string[];
  readonly location: SourceLocation;
  readonly type: CorrelationType;
  /** Ids of the referenced rules (detection rules or other correlations), in the rule's order (temporal_ordered needs it). */
  readonly rules: readonly string[];
  /** The group-by names, as written (alias names included): the keys of every output's group. */
  readonly groupBy: readonly string[];
  /**
   * Where each group-by name (and `condition.field`) is read for a referenced rule:
   * `fields[ruleId][name]` is a list of ECS event paths, first present wins (alias
   * resolved, then mapped by the referenced rule's pipeline). For a referenced
   * correlation the path is the inner correlation's group-by name.
   */
  readonly fields: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
  readonly timespanMs: number;
  /** Absent for temporal types that wrote none: then "every referenced rule occurred". */
  readonly condition: CorrelationCondition | undefined;
  /** Whether the referenced rules also raise their own alerts (Sigma `generate`, default false). */
  readonly generate: boolean;
}

/**
 * One input of the engine: a referenced rule fired on one event (or an inner
 * correlation fired, when chained). The detect stage builds it from the event, so
 * the engine never sees the event itself.
 */
export interface CorrelationSignal {
  /** The correlation rule this signal feeds. */
  readonly correlation: string;
  /** The referenced rule that fired. */
  readonly rule: string;
  /** Event time, epoch ms (`@timestamp`). */
  readonly time: number;
  readonly eventId: string;
  /** group-by name → value, already read through aliases and pipelines. */
  readonly group: Readonly<Record<string, string>>;
  /** The value of `condition.field` for value_* types (string for value_count, number otherwise). */
  readonly value?: string | number;
  /** The event's unit, so an alert can be shown to that unit's officer. */
  readonly organization: { readonly id: string; readonly name: string };
  readonly host?: { readonly id?: string; readonly name?: string };
}

/** What the engine emits when a correlation's condition holds for a group. */
export interface CorrelationFiring {
  readonly correlation: string;
  readonly group: Readonly<Record<string, string>>;
  /** Deterministic: the same inputs in the same order give the same key. */
  readonly windowStart: number;
  /** Event time of the firing: the last contributing event, or the window end for close-time conditions. */
  readonly time: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
  /** How many events contributed. */
  readonly count: number;
  /** The aggregate the condition was tested on (count, distinct values, sum, avg, percentile, rules seen). */
  readonly value: number;
  /** A capped sample of contributing event ids, oldest first. */
  readonly eventIds: readonly string[];
  /** Every contributing event's unit if they share one, else undefined (a multi-unit firing). */
  readonly organization: { readonly id: string; readonly name: string } | undefined;
  readonly host: { readonly id?: string; readonly name?: string } | undefined;
}

export interface EngineLimits {
  /** Events later than the watermark by more than this are late: counted, not applied. */
  readonly allowedLatenessMs: number;
  /** Most groups held per correlation rule; a new group beyond it is refused and counted. */
  readonly maxGroupsPerRule: number;
  /** Most entries held per group; the oldest are dropped beyond it and counted. */
  readonly maxEntriesPerGroup: number;
  /** Most event ids kept in a firing's sample. */
  readonly sampleSize: number;
}

/** Engine state that changed since the last `takeChanges`, to persist with the input position. */
export interface EngineChanges {
  /** Engine-wide state (watermark, counters); always present. */
  readonly meta: unknown;
  /** Per group key: its state, or null when the group is gone. */
  readonly groups: readonly (readonly [key: string, state: unknown])[];
}

/**
 * The streaming correlation engine: deterministic, driven only by the signals and
 * times it is given (no clock of its own), so tests, the CLI and the live stage agree.
 */
export interface CorrelationEngine {
  /**
   * Applies one signal. Returns the firings it caused at once (monotone conditions:
   * gt/gte on counts and sums), including those of correlations chained on them. A
   * signal older than the watermark is late: counted in health, not applied.
   */
  observe(signal: CorrelationSignal): CorrelationFiring[];
  /**
   * Moves event time forward to `time` (never back): the watermark becomes
   * `time - allowedLatenessMs`, windows that end at or before it close, and the
   * close-time conditions (lt, lte, eq, neq, ranges, avg, percentile) are decided.
   * Firings come back in event-time order.
   */
  advance(time: number): CorrelationFiring[];
  /** End of input (the CLI's end of file): closes every open window. */
  flush(): CorrelationFiring[];
  health(): EngineHealth;
  takeChanges(): EngineChanges;
  /** The whole state (meta and every group), as `takeChanges` would give it had everything changed. */
  snapshot(): EngineChanges;
  /** Loads what `takeChanges` returned over time; only on a fresh engine. */
  restore(meta: unknown, groups: Iterable<readonly [key: string, state: unknown]>): void;
}
