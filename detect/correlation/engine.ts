// The streaming Sigma correlation engine: keeps per-group windows of signals and
// decides each correlation's condition, driven only by event time (signal times and
// `advance`), never by a clock, so the live stage, the CLI and tests agree exactly.
//
// Semantics:
// - State is per correlation × group; the group is the signal's group-by values in the
//   order of the correlation's groupBy (a missing value is null), keyed by their JSON.
// - Event time: maxTime is the largest signal or advance time seen (only advance time
//   with `eventTime: 'advance'`); the watermark is maxTime − allowedLatenessMs. A
//   signal older than the watermark is late: not applied, counted per correlation and
//   listed in health().recentLate. A newer signal first moves event time (closing the
//   windows the new watermark passes, exactly as `advance` would, and returning those
//   firings too), then is applied. Out-of-order signals within the lateness are
//   inserted in time order; equal times keep arrival order.
// - Windows are inclusive at both ends: a window of timespan T starting at s holds the
//   entries with s ≤ time ≤ s + T, so an event exactly T after the first is inside.
// - Early conditions (event_count, value_count, value_sum with only gt/gte; temporal
//   and temporal_ordered with no condition or only gt/gte) fire at the signal that
//   makes them true, for the window [t − T, t] ending at the newest entry that
//   completes it. That window's entries are consumed, so the next firing needs a fresh
//   crossing. Such a group's entries are kept until they are older than watermark − T
//   (no on-time signal can join them), then dropped; an empty group is removed.
//   value_sum: from the first negative value on, the group is decided at window close.
// - temporal counts the distinct referenced rules in the window; with no condition all
//   must appear. temporal_ordered's value is the longest prefix of `rules` that
//   occurred in order (non-decreasing times, ties in arrival order) within the window;
//   with no condition it must be all of them.
// - Close-time conditions (any lt/lte/eq/neq, value_avg, value_percentile): a window
//   starts at the group's first pending entry s and closes once watermark > s + T; its
//   entries (s ≤ time ≤ s + T) are measured, the firing (time = s + T) emitted if the
//   condition holds, the entries removed, and the next window starts at the next
//   pending entry. A window never holds zero entries, so `lt` cannot fire on silence.
//   flush() closes every window regardless of the watermark.
// - value_count counts distinct values; the numeric types take numbers or numeric
//   strings; a value_* signal without a usable value is skipped. Percentile: nearest
//   rank (measure-window.ts). Signals for an unknown correlation, or naming a rule the
//   correlation does not reference, are ignored.
// - Chaining: a firing of A feeds each later correlation B that references A, with
//   rule = A, time = the firing's time, eventId `corr:<A id>:<group key>:<windowStart>`,
//   group values read from the firing's group via B.fields[A][name] (first present
//   wins; no mapping: the same name; none present: not fed). Chained signals are never
//   late (they are decided by the engine's own watermark) and their firings follow the
//   firing that caused them.
// - Order of firings from one call: event time; ties by correlation order (inner
//   first, so a chain follows its cause) then group key.
// - Caps: a new group beyond maxGroupsPerRule is refused, the oldest entry beyond
//   maxEntriesPerGroup dropped (a signal older than every entry of a full group is the
//   one dropped); both counted per correlation.
// - Persistence: takeChanges() gives the meta and the state of every group touched
//   since the last call (null: removed); restore() rebuilds the same behaviour on a
//   fresh engine, dropping groups whose correlation is gone or whose fingerprint changed.
import type {
  CompiledCorrelation,
  CorrelationEngine,
  CorrelationFiring,
  CorrelationSignal,
  EngineChanges,
  EngineHealth,
  EngineLimits,
} from './contract.ts';
import { CorrelationGroup } from './correlation-group.ts';
import { planCorrelation, type CorrelationPlan } from './correlation-plan.ts';
import { DeadlineQueue } from './deadline-queue.ts';
import {
  encodeGroup,
  engineMetaSchema,
  groupStateSchema,
  type EngineMeta,
  type GroupState,
  type LateSignal,
} from './engine-state-codec.ts';
import { firingFromWindow } from './firing-from-window.ts';
import type { EntryHost, EntryUnit } from './group-entries.ts';
import { measureWindow } from './measure-window.ts';
import { createWindowAggregate, type WindowAggregate } from './window-aggregate.ts';

const RECENT_LATE_LIMIT = 50;

export interface EngineOptions {
  /**
   * What moves event time. 'signals' (the default): a signal newer than event time
   * moves it, as when one ordered stream feeds the engine (the CLI, tests). 'advance':
   * only advance() does, so the caller can hold event time at the slowest of several
   * sources (the live stage's watermark over the events partitions) and a fast source's
   * signals never make a slow one's late.
   */
  readonly eventTime?: 'signals' | 'advance';
}

export function createCorrelationEngine(
  correlations: readonly CompiledCorrelation[],
  limits: EngineLimits,
  options: EngineOptions = {},
): CorrelationEngine {
  return new StreamingCorrelationEngine(correlations, limits, options.eventTime ?? 'signals');
}

/** How a firing of an inner correlation feeds an outer one. */
interface ChainLink {
  readonly outer: CorrelationPlan;
  /** The inner correlation's index among the outer's distinct rules. */
  readonly rule: number;
  /** Per outer group-by name: the inner group-by names to read, first present wins. */
  readonly groupPaths: readonly (readonly string[])[];
  readonly valuePaths: readonly string[];
}

interface FoundWindow {
  readonly first: number;
  readonly last: number;
  readonly value: number;
}

class StreamingCorrelationEngine implements CorrelationEngine {
  private readonly plans: readonly CorrelationPlan[];
  private readonly planById = new Map<string, CorrelationPlan>();
  /** Per plan index: group key → group. */
  private readonly groups: Map<string, CorrelationGroup>[];
  /** Per plan index: the correlations its firings feed. */
  private readonly chains: ChainLink[][];
  /** Per plan index: an aggregate reused to scan around an out-of-order signal. */
  private readonly scratch: WindowAggregate[];
  private readonly queue = new DeadlineQueue();
  private maxTime = -Infinity;
  /**
   * The watermark entries expire against. Between calls it is the watermark; while
   * windows close it is the deadline being processed, so a chained signal sees the
   * state as it was when its cause closed.
   */
  private horizon = -Infinity;
  private activeGroups = 0;
  private readonly late = new Map<string, number>();
  private readonly groupsRefused = new Map<string, number>();
  private readonly entriesDropped = new Map<string, number>();
  /** Newest first. */
  private recentLate: LateSignal[] = [];
  private readonly changed = new Map<string, CorrelationGroup | null>();
  private fresh = true;

  constructor(
    correlations: readonly CompiledCorrelation[],
    private readonly limits: EngineLimits,
    private readonly eventTime: 'signals' | 'advance',
  ) {
    this.plans = correlations.map((correlation, index) => planCorrelation(correlation, index));
    for (const plan of this.plans) if (!this.planById.has(plan.id)) this.planById.set(plan.id, plan);
    this.groups = this.plans.map(() => new Map());
    this.scratch = this.plans.map((plan) => createWindowAggregate(plan));
    this.chains = this.plans.map(() => []);
    correlations.forEach((outer, outerIndex) => {
      const outerPlan = this.plans[outerIndex]!;
      for (const [innerId, rule] of outerPlan.ruleIndex) {
        const inner = this.planById.get(innerId);
        // Only inner correlations listed earlier: the list is in dependency order, and this rules out cycles.
        if (inner === undefined || inner.index >= outerIndex) continue;
        const paths = outer.fields[innerId] ?? {};
        this.chains[inner.index]!.push({
          outer: outerPlan,
          rule,
          groupPaths: outer.groupBy.map((name) => paths[name] ?? [name]),
          valuePaths: outer.condition?.field === undefined ? [] : (paths[outer.condition.field] ?? [outer.condition.field]),
        });
      }
    });
  }

  observe(signal: CorrelationSignal): CorrelationFiring[] {
    const plan = this.planById.get(signal.correlation);
    if (plan === undefined || !Number.isFinite(signal.time)) return [];
    this.fresh = false;
    const firings: CorrelationFiring[] = [];
    if (this.eventTime === 'signals' && signal.time > this.maxTime) this.moveTime(signal.time, firings);
    const watermark = this.maxTime - this.limits.allowedLatenessMs;
    if (signal.time < watermark) {
      this.recordLate(plan, signal, watermark);
      return firings;
    }
    const rule = plan.ruleIndex.get(signal.rule);
    const value = plan.readValue(signal.value);
    if (rule === undefined || value === undefined) return firings;
    const values: (string | null)[] = [];
    for (const name of plan.groupBy) values.push(signal.group[name] ?? null);
    this.apply(plan, values, rule, signal.time, signal.eventId, value, signal.organization, signal.host, firings);
    return firings;
  }

  advance(time: number): CorrelationFiring[] {
    const firings: CorrelationFiring[] = [];
    if (!Number.isFinite(time) || time <= this.maxTime) return firings;
    this.fresh = false;
    this.moveTime(time, firings);
    return firings;
  }

  flush(): CorrelationFiring[] {
    this.fresh = false;
    const firings: CorrelationFiring[] = [];
    this.closeDue(Infinity, firings);
    this.horizon = this.maxTime - this.limits.allowedLatenessMs;
    return firings;
  }

  health(): EngineHealth {
    return {
      watermark: Number.isFinite(this.maxTime) ? this.maxTime - this.limits.allowedLatenessMs : null,
      activeGroups: this.activeGroups,
      late: Object.fromEntries(this.late),
      groupsRefused: Object.fromEntries(this.groupsRefused),
      entriesDropped: Object.fromEntries(this.entriesDropped),
      recentLate: this.recentLate.map((late) => ({ ...late })),
    };
  }

  takeChanges(): EngineChanges {
    const meta = this.meta();
    const groups: [string, GroupState | null][] = [];
    for (const [key, group] of this.changed) groups.push([key, group === null ? null : encodeGroup(group)]);
    this.changed.clear();
    return { meta, groups };
  }

  snapshot(): EngineChanges {
    const groups: [string, GroupState][] = [];
    for (const map of this.groups) for (const group of map.values()) groups.push([group.storageKey, encodeGroup(group)]);
    return { meta: this.meta(), groups };
  }

  private meta(): EngineMeta {
    return {
      version: 1,
      maxTime: Number.isFinite(this.maxTime) ? this.maxTime : null,
      late: Object.fromEntries(this.late),
      groupsRefused: Object.fromEntries(this.groupsRefused),
      entriesDropped: Object.fromEntries(this.entriesDropped),
      recentLate: this.recentLate.map((late) => ({ ...late })),
    };
  }

  restore(meta: unknown, groups: Iterable<readonly [key: string, state: unknown]>): void {
    if (!this.fresh) throw new Error('correlation engine: restore() needs a fresh engine');
    this.fresh = false;
    const parsedMeta = engineMetaSchema.parse(meta);
    this.maxTime = parsedMeta.maxTime ?? -Infinity;
    this.horizon = this.maxTime - this.limits.allowedLatenessMs;
    for (const [counters, saved] of [
      [this.late, parsedMeta.late],
      [this.groupsRefused, parsedMeta.groupsRefused],
      [this.entriesDropped, parsedMeta.entriesDropped],
    ] as const) {
      for (const [id, count] of Object.entries(saved)) counters.set(id, count);
    }
    this.recentLate = parsedMeta.recentLate.slice(0, RECENT_LATE_LIMIT);
    for (const [key, state] of groups) {
      if (state === null || state === undefined) continue;
      const group = this.restoreGroup(state);
      if (group === undefined) this.changed.set(key, null);
      else if (group.storageKey !== key) this.changed.set(key, null).set(group.storageKey, group);
    }
  }

  /** A saved group rebuilt, or undefined when it is unreadable, its rule changed or it no longer fits. */
  private restoreGroup(saved: unknown): CorrelationGroup | undefined {
    const parsed = groupStateSchema.safeParse(saved);
    if (!parsed.success) return undefined;
    const state = parsed.data;
    const plan = this.planById.get(state.correlation);
    if (plan === undefined || plan.fingerprint !== state.fingerprint) return undefined;
    if (state.group.length !== plan.groupBy.length || (state.values === null) !== (plan.valueKind === 'none')) return undefined;
    if (state.times.length === 0 || state.rules.some((rule) => rule >= plan.distinctRules)) return undefined;
    if (state.times.some((time, index) => index > 0 && time < state.times[index - 1]!)) return undefined;
    const key = JSON.stringify(state.group);
    const map = this.groups[plan.index]!;
    if (map.has(key)) return undefined;
    if (map.size >= this.limits.maxGroupsPerRule) {
      this.count(this.groupsRefused, plan.id);
      return undefined;
    }
    const group = this.createGroup(plan, key, state.group);
    group.closeTime = state.closeTime || plan.mode === 'close';
    state.times.forEach((time, index) => {
      group.entries.insert(
        group.entries.end,
        time,
        state.eventIds[index]!,
        state.rules[index]!,
        state.values?.[index] ?? 0,
        state.units[state.unitOf[index]!],
        state.hosts[state.hostOf[index]!],
      );
    });
    const excess = group.entries.size - this.limits.maxEntriesPerGroup;
    if (excess > 0) {
      group.entries.head += excess;
      this.count(this.entriesDropped, plan.id, excess);
    }
    group.rebuildWindow();
    this.schedule(group);
    return group;
  }

  /** Moves event time to `time` and closes the windows the new watermark passes. */
  private moveTime(time: number, firings: CorrelationFiring[]): void {
    this.maxTime = time;
    const watermark = time - this.limits.allowedLatenessMs;
    this.closeDue(watermark, firings);
    if (watermark > this.horizon) this.horizon = watermark;
  }

  /** Processes every queued group whose deadline is before `limit`: closes its window or expires it. */
  private closeDue(limit: number, firings: CorrelationFiring[]): void {
    const from = firings.length;
    let sorted = true;
    for (let item = this.queue.peek(); item !== undefined && item.deadline < limit; item = this.queue.peek()) {
      this.queue.pop();
      const group = item.group;
      if (group.removed || group.queuedAt !== item.deadline) continue;
      group.queuedAt = Number.NaN;
      if (group.deadline() > item.deadline) {
        this.schedule(group);
        continue;
      }
      if (item.deadline > this.horizon) this.horizon = item.deadline;
      const before = firings.length;
      if (group.closeTime) this.closeWindow(group, firings);
      else this.removeGroup(group);
      for (let index = Math.max(before, from + 1); index < firings.length; index++) {
        if (firings[index]!.time < firings[index - 1]!.time) sorted = false;
      }
    }
    // A chained early firing can end later than a window closed after it; keep event-time order (stable).
    if (!sorted) firings.push(...firings.splice(from).sort((a, b) => a.time - b.time));
  }

  /** Decides the window that starts at the group's first pending entry. */
  private closeWindow(group: CorrelationGroup, firings: CorrelationFiring[]): void {
    const entries = group.entries;
    const first = entries.head;
    const start = entries.times[first]!;
    const end = start + group.plan.timespanMs;
    const last = entries.upperBound(end) - 1;
    const value = measureWindow(group.plan, entries, first, last);
    const firing = group.plan.passes(value)
      ? firingFromWindow(group, first, last, value, start, end, this.limits.sampleSize)
      : undefined;
    entries.removeRange(first, last + 1);
    this.afterRemoval(group);
    if (firing !== undefined) {
      firings.push(firing);
      this.chain(group, firing, firings);
    }
  }

  /** Adds one entry to its group and fires what it completes (early conditions). */
  private apply(
    plan: CorrelationPlan,
    values: (string | null)[],
    rule: number,
    time: number,
    eventId: string,
    value: string | number,
    unit: EntryUnit | undefined,
    host: EntryHost | undefined,
    firings: CorrelationFiring[],
  ): void {
    const key = JSON.stringify(values);
    const map = this.groups[plan.index]!;
    let group = map.get(key);
    if (group === undefined) {
      if (map.size >= this.limits.maxGroupsPerRule) {
        this.count(this.groupsRefused, plan.id);
        return;
      }
      group = this.createGroup(plan, key, values);
    }
    const entries = group.entries;
    if (!group.closeTime && entries.size > 0 && entries.firstTime() < this.horizon - plan.timespanMs) {
      group.dropBefore(entries.lowerBound(this.horizon - plan.timespanMs));
    }
    if (entries.size >= this.limits.maxEntriesPerGroup) {
      this.count(this.entriesDropped, plan.id);
      if (entries.size === 0 || time < entries.firstTime()) {
        if (entries.size === 0) this.removeGroup(group);
        return;
      }
      group.dropBefore(entries.head + 1);
    }
    if (plan.mode === 'early-until-negative' && (value as number) < 0) group.closeTime = true;
    const inOrder = entries.size === 0 || time >= entries.lastTime();
    const index = inOrder ? entries.end : entries.upperBound(time);
    entries.insert(index, time, eventId, rule, value, unit, host);
    this.changed.set(group.storageKey, group);

    if (group.closeTime) {
      this.schedule(group);
      return;
    }
    let found: FoundWindow | undefined;
    if (inOrder) {
      const windowStart = time - plan.timespanMs;
      group.slideWindowTo(windowStart);
      group.aggregate.add(entries, index);
      const decided = this.decide(group, group.aggregate, group.windowLeft, index, windowStart);
      if (decided !== undefined) found = { first: group.windowLeft, last: index, value: decided };
    } else {
      found = this.findWindowAround(group, index);
      if (found === undefined) group.rebuildWindow();
    }
    if (found === undefined) {
      group.compact();
      this.schedule(group);
    } else {
      this.fireEarly(group, found, firings);
    }
  }

  /** The value that makes the window first..last pass, or undefined when it does not. */
  private decide(
    group: CorrelationGroup,
    aggregate: WindowAggregate,
    first: number,
    last: number,
    windowStart: number,
  ): number | undefined {
    const plan = group.plan;
    const value = aggregate.value(windowStart);
    if (!aggregate.approximate) return plan.passes(value) ? value : undefined;
    // A running float sum drifts; near the threshold, decide on the sum recomputed in order.
    const margin = 1e-6 * (1 + Math.abs(value) + Math.abs(plan.lowestPassing));
    if (value < plan.lowestPassing - margin) return undefined;
    const exact = measureWindow(plan, group.entries, first, last);
    return plan.passes(exact) ? exact : undefined;
  }

  /**
   * An out-of-order entry at `index` can complete any window [e − T, e] whose end e is
   * an entry within T after it. Before it arrived no window passed (each firing
   * consumes its window), so the first passing window found is the one it completes.
   */
  private findWindowAround(group: CorrelationGroup, index: number): FoundWindow | undefined {
    const entries = group.entries;
    const { times } = entries;
    const timespan = group.plan.timespanMs;
    const time = times[index]!;
    const scratch = this.scratch[group.plan.index]!;
    scratch.clear();
    let first = entries.lowerBound(time - timespan);
    for (let other = first; other < index; other++) scratch.add(entries, other);
    for (let last = index; last < entries.end && times[last]! <= time + timespan; last++) {
      scratch.add(entries, last);
      const windowStart = times[last]! - timespan;
      while (times[first]! < windowStart) scratch.remove(entries, first++);
      if (first > index) break;
      const value = this.decide(group, scratch, first, last, windowStart);
      if (value !== undefined) return { first, last, value };
    }
    return undefined;
  }

  private fireEarly(group: CorrelationGroup, found: FoundWindow, firings: CorrelationFiring[]): void {
    const { times } = group.entries;
    const firing = firingFromWindow(
      group,
      found.first,
      found.last,
      found.value,
      times[found.first]!,
      times[found.last]!,
      this.limits.sampleSize,
    );
    group.entries.removeRange(found.first, found.last + 1);
    group.rebuildWindow();
    this.afterRemoval(group);
    firings.push(firing);
    this.chain(group, firing, firings);
  }

  /** Feeds a firing to the correlations chained on its correlation. */
  private chain(group: CorrelationGroup, firing: CorrelationFiring, firings: CorrelationFiring[]): void {
    const links = this.chains[group.plan.index]!;
    if (links.length === 0) return;
    const eventId = `corr:${group.plan.id}:${group.key}:${firing.windowStart}`;
    for (const link of links) {
      const values: (string | null)[] = [];
      for (const paths of link.groupPaths) {
        const value = firstPresent(firing.group, paths);
        if (value === undefined) break;
        values.push(value);
      }
      if (values.length !== link.groupPaths.length) continue;
      const value = link.outer.readValue(firstPresent(firing.group, link.valuePaths));
      if (value === undefined) continue;
      this.apply(link.outer, values, link.rule, firing.time, eventId, value, firing.organization, firing.host, firings);
    }
  }

  private createGroup(plan: CorrelationPlan, key: string, values: readonly (string | null)[]): CorrelationGroup {
    const group = new CorrelationGroup(plan, key, `[${JSON.stringify(plan.id)},${key}]`, values);
    this.groups[plan.index]!.set(key, group);
    this.activeGroups += 1;
    return group;
  }

  /** After entries left a group: remove it when empty, else requeue it. */
  private afterRemoval(group: CorrelationGroup): void {
    if (group.entries.size === 0) {
      this.removeGroup(group);
      return;
    }
    group.compact();
    this.changed.set(group.storageKey, group);
    this.schedule(group);
  }

  private removeGroup(group: CorrelationGroup): void {
    group.removed = true;
    this.groups[group.plan.index]!.delete(group.key);
    this.activeGroups -= 1;
    this.changed.set(group.storageKey, null);
  }

  /** Queues the group at its deadline unless it already sits in the queue at or before it. */
  private schedule(group: CorrelationGroup): void {
    const deadline = group.deadline();
    if (group.queuedAt <= deadline) return;
    group.queuedAt = deadline;
    this.queue.push(deadline, group);
  }

  private recordLate(plan: CorrelationPlan, signal: CorrelationSignal, watermark: number): void {
    this.count(this.late, plan.id);
    this.recentLate.unshift({ correlation: plan.id, eventId: signal.eventId, time: signal.time, watermark });
    if (this.recentLate.length > RECENT_LATE_LIMIT) this.recentLate.pop();
  }

  private count(counters: Map<string, number>, id: string, by = 1): void {
    counters.set(id, (counters.get(id) ?? 0) + by);
  }
}

function firstPresent(record: Readonly<Record<string, string>>, paths: readonly string[]): string | undefined {
  for (const path of paths) {
    const value = record[path];
    if (value !== undefined) return value;
  }
  return undefined;
}
