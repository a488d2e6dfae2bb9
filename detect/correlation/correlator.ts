// The correlate core for one signals partition: applies the signals detect published
// (rule matches, correlation inputs, progress) to the alert grouper, the correlation
// engine and the silence monitor, and collects what they raise. Pure and synchronous:
// no bus, no store, no clock. The live stage runs one per owned partition and
// `vigil rules match` runs one in-process, so both share every rule of application.
//
// Time: the engine never moves event time on its own; after each progress record it is
// advanced to the watermark over the events partitions (event-time-watermark.ts).
// Silence and future-time counts: progress reaches every partition, so only the owner
// of a source's unit (ownsUnit) learns and reports it; otherwise N shards would raise
// N "went silent" alerts. Agents' heartbeats (from ingest) reach only that owner's
// partition, and keep its sources from being called silent; they move no time.
import { z } from 'zod';
import type { Alert, Severity } from '../../core/schemas/alert.ts';
import type { HeartbeatSignal } from '../../core/schemas/heartbeat.ts';
import { createAlertGrouper, occurrenceFromFiring, occurrenceFromMatch, type AlertGrouper } from './alert-grouper.ts';
import { AppliedSignals } from './applied-signals.ts';
import type { CompiledCorrelation, CorrelationEngine, CorrelationFiring, EngineHealth, EngineLimits } from './contract.ts';
import { createCorrelationEngine } from './engine.ts';
import { EventTimeWatermark } from './event-time-watermark.ts';
import { FutureTimes, type FutureTimestampSource } from './future-times.ts';
import type { MatchRecord, ProgressRecord, SignalRecord } from './signal-record.ts';
import { createSilenceMonitor, type SilenceMonitor, type SilenceOptions, type SilentSource } from './silence-monitor.ts';

/** What correlation needs of the loaded rules; a new object after every rules reload. */
export interface CorrelationRules {
  readonly correlations: readonly CompiledCorrelation[];
  ruleMeta(id: string): { id: string; title: string; level: Severity; tags: readonly string[] } | undefined;
  raisesOwnAlerts(id: string): boolean;
}

export interface CorrelatorOptions {
  readonly limits: EngineLimits;
  /** Repeats of a rule and group within this window update one alert. */
  readonly alertGroupWindowMs: number;
  readonly silence: Partial<SilenceOptions>;
  /** config.time.sourceIdleMs: an events partition silent this long no longer holds event time back. */
  readonly sourceIdleMs: number;
  /** Events partitions the watermark waits for. */
  readonly eventsPartitions: number;
  /** Whether this correlator learns and reports the sources of this unit (silence, future times). */
  readonly ownsUnit: (unitId: string) => boolean;
}

/** Counters the correlator reports to (the stage's metrics); optional for the CLI. */
export interface CorrelatorCounters {
  skipped(reason: 'replayed' | 'unknown_rule'): void;
  fired(correlation: string): void;
}

/** What one turn (a batch, a tick) raised: alerts by id (several updates of one are written once), and firings in order. */
export class CorrelationOutput {
  readonly alerts = new Map<string, Alert>();
  /** When ingest stamped the event behind each new match alert, for the latency metric. */
  readonly ingested = new Map<string, number>();
  readonly firings: CorrelationFiring[] = [];
  constructor(readonly now: Date) {}
  collect(alert: Alert): void {
    this.alerts.set(alert.id, alert);
  }
}

const stateSchema = z.object({
  version: z.literal(1),
  engine: z.object({ meta: z.unknown(), groups: z.array(z.tuple([z.string(), z.unknown()])) }),
  grouper: z.array(z.tuple([z.string(), z.unknown()])),
  silence: z.object({ meta: z.unknown(), groups: z.array(z.tuple([z.string(), z.unknown()])) }),
  applied: z.unknown(),
  watermark: z.unknown(),
  future: z.unknown(),
});
/** The whole state of one correlator, plain JSON: what a checkpoint holds. */
export type CorrelatorState = z.infer<typeof stateSchema>;

export class Correlator {
  private engine: CorrelationEngine;
  private readonly grouper: AlertGrouper;
  private readonly silence: SilenceMonitor;
  private applied = new AppliedSignals();
  private watermark: EventTimeWatermark;
  private future = new FutureTimes();

  constructor(
    private rules: CorrelationRules,
    private readonly options: CorrelatorOptions,
    private readonly counters: CorrelatorCounters = { skipped: () => undefined, fired: () => undefined },
  ) {
    this.engine = this.newEngine(rules);
    this.grouper = createAlertGrouper({ windowMs: options.alertGroupWindowMs, sampleSize: options.limits.sampleSize });
    this.silence = createSilenceMonitor(options.silence);
    this.watermark = new EventTimeWatermark({ sourceIdleMs: options.sourceIdleMs, partitions: options.eventsPartitions });
  }

  /** Applies the signals of one signals record, appended to the bus at `appendedAt`. */
  apply(signals: readonly SignalRecord[], appendedAt: number, out: CorrelationOutput): void {
    for (const signal of signals) {
      if (signal.kind === 'progress') this.progress(signal, appendedAt, out);
      else if (signal.kind === 'heartbeat') this.heartbeat(signal);
      else this.match(signal, out);
    }
  }

  /** Moves event time to `time` for every source at once (the stage's idle timer: nothing is pending anywhere). */
  advanceTo(time: number, out: CorrelationOutput): void {
    this.applyFirings(this.engine.advance(time), out);
    for (const alert of this.silence.advance(time)) out.collect(alert);
    this.grouper.advance(time);
  }

  /** End of input (the CLI's end of file): closes every open window. */
  flush(out: CorrelationOutput): void {
    this.applyFirings(this.engine.flush(), out);
  }

  /** Swaps in reloaded rules, keeping the windows of correlation rules that did not change. */
  reload(rules: CorrelationRules): void {
    if (rules === this.rules) return;
    const saved = this.engine.snapshot();
    this.rules = rules;
    this.engine = this.newEngine(rules);
    this.engine.restore(saved.meta, saved.groups);
  }

  get currentRules(): CorrelationRules {
    return this.rules;
  }

  engineHealth(): EngineHealth {
    return this.engine.health();
  }

  silentSources(): SilentSource[] {
    return this.silence.silent();
  }

  futureTimestamps(): FutureTimestampSource[] {
    return this.future.list();
  }

  get openAlertGroups(): number {
    return this.grouper.size;
  }

  /** The whole state, sharing live objects: encode it (JSON) before the next signal is applied. */
  snapshot(): CorrelatorState {
    const engine = this.engine.snapshot();
    const silence = this.silence.snapshot();
    return {
      version: 1,
      engine: { meta: engine.meta, groups: engine.groups.map(([key, state]) => [key, state]) },
      grouper: this.grouper.snapshot().groups.map(([key, state]) => [key, state]),
      silence: { meta: silence.meta, groups: silence.groups.map(([key, state]) => [key, state]) },
      applied: this.applied.snapshot(),
      watermark: this.watermark.snapshot(),
      future: this.future.snapshot(),
    };
  }

  /** A correlator holding a snapshot's state (checked: a checkpoint may be old or from another version). */
  static restore(
    rules: CorrelationRules,
    options: CorrelatorOptions,
    state: unknown,
    counters?: CorrelatorCounters,
  ): Correlator {
    const parsed = stateSchema.parse(state);
    const correlator = new Correlator(rules, options, counters);
    correlator.engine.restore(parsed.engine.meta, parsed.engine.groups);
    correlator.grouper.restore(parsed.grouper);
    correlator.silence.restore(parsed.silence.groups, parsed.silence.meta);
    correlator.applied = AppliedSignals.restore(parsed.applied);
    correlator.watermark = EventTimeWatermark.restore(
      { sourceIdleMs: options.sourceIdleMs, partitions: options.eventsPartitions },
      parsed.watermark,
    );
    correlator.future = FutureTimes.restore(parsed.future);
    return correlator;
  }

  private newEngine(rules: CorrelationRules): CorrelationEngine {
    return createCorrelationEngine(rules.correlations, this.options.limits, { eventTime: 'advance' });
  }

  private progress(record: ProgressRecord, appendedAt: number, out: CorrelationOutput): void {
    for (const activity of record.activity) {
      if (!this.options.ownsUnit(activity.organization.id)) continue;
      this.silence.observe(activity);
      const agent = activity.agent ?? activity.host?.id ?? activity.host?.name ?? '';
      this.future.observe(activity.organization.id, agent, activity.future ?? 0, appendedAt);
    }
    this.watermark.observe(record.partition, record.time, appendedAt);
    const time = this.watermark.at(appendedAt);
    if (Number.isFinite(time)) this.advanceTo(time, out);
  }

  private heartbeat(record: HeartbeatSignal): void {
    // Sent to the owner's partition; another (a partition count that changed under ingest) holds nothing of the unit.
    if (this.options.ownsUnit(record.organization.id)) this.silence.alive(record);
  }

  private match(record: MatchRecord, out: CorrelationOutput): void {
    if (!this.applied.accept(record.src)) {
      this.counters.skipped('replayed');
      return;
    }
    for (const input of record.correlations) {
      const signal = { ...input, rule: record.rule, time: record.time, eventId: record.eventId, organization: record.organization };
      this.applyFirings(this.engine.observe(record.host === undefined ? signal : { ...signal, host: record.host }), out);
    }
    if (record.alert === undefined) return;
    const meta = this.rules.ruleMeta(record.rule);
    if (meta === undefined) {
      // The rule was removed by a reload after detect matched it.
      this.counters.skipped('unknown_rule');
      return;
    }
    const occurrence = occurrenceFromMatch(meta, { ...record, alert: record.alert });
    if (this.grouper.counted(occurrence)) {
      // The same event at another events offset (src differs, so AppliedSignals let it through).
      this.counters.skipped('replayed');
      return;
    }
    const alert = this.grouper.add(occurrence, out.now);
    out.collect(alert);
    if (record.ingested !== undefined) out.ingested.set(alert.id, record.ingested);
  }

  private applyFirings(firings: readonly CorrelationFiring[], out: CorrelationOutput): void {
    for (const firing of firings) {
      this.counters.fired(firing.correlation);
      out.firings.push(firing);
      if (!this.rules.raisesOwnAlerts(firing.correlation)) continue;
      const meta = this.rules.ruleMeta(firing.correlation);
      if (meta !== undefined) out.collect(this.grouper.add(occurrenceFromFiring(meta, firing), out.now));
    }
  }
}
