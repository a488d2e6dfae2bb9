// The correlate stage: consumes the signals topic (re-keyed by rule and group), keeps
// the stateful part of detection — alert groups, correlation windows, silent sources —
// and writes and publishes the alerts they raise. In all-in-one one stage owns every
// group; with a partitioned bus each instance owns the groups of its partitions.
//
// Exactly once, as Kafka Streams does it: the state lives in memory and is
// checkpointed (every few seconds, on stop, and after each idle tick) to
// correlation.db together with the signals position it reflects. After a restart,
// SIGKILL included, the stage reloads the checkpoint and replays the signals between
// it and the group's committed position without writing anything (their alerts are
// already stored), which rebuilds exactly the state it had; then it goes on. Everything
// is deterministic (alert ids included), so a replay cannot double count. Signals that
// detect published twice (it replayed a batch after a crash) carry event positions at
// or before the last applied one and are skipped.
//
// Event time drives everything. When the pipeline is idle (detect and this stage have
// nothing pending) a timer moves event time to the wall clock, so windows decided at
// close (lt, lte, eq, neq) and silent sources are reported without waiting for traffic.
import type { Logger } from '../../core/log.ts';
import type { Metrics } from '../../core/metrics.ts';
import { TOPICS, type Bus, type BusRecord, type Positions, type Subscription } from '../../core/ports/bus.ts';
import type { Store } from '../../core/ports/store.ts';
import type { Alert, Severity } from '../../core/schemas/alert.ts';
import { decodeRecord } from '../../core/bus/decode-record.ts';
import {
  createAlertGrouper,
  occurrenceFromFiring,
  occurrenceFromMatch,
  type AlertGrouper,
  type Occurrence,
} from './alert-grouper.ts';
import type { CompiledCorrelation, CorrelationEngine, CorrelationFiring, DetectionHealth, EngineLimits } from './contract.ts';
import { createCorrelationEngine } from './engine.ts';
import { createSilenceMonitor, type SilenceMonitor, type SilenceOptions } from './silence-monitor.ts';
import { isAfter, signalBundleSchema, type SignalRecord } from './signal-record.ts';
import type { CorrelationStateFile } from './state-file.ts';

export const CORRELATE_GROUP = 'vigil-correlate';

/** What the stage needs of the loaded rules; a new object after every rules reload. */
export interface CorrelationRules {
  readonly correlations: readonly CompiledCorrelation[];
  ruleMeta(id: string): { id: string; title: string; level: Severity; tags: readonly string[] } | undefined;
  raisesOwnAlerts(id: string): boolean;
}

export interface CorrelateOptions {
  readonly limits: EngineLimits;
  /** Repeats of a rule and group within this window update one alert. */
  readonly alertGroupWindowMs: number;
  readonly silence: Partial<SilenceOptions>;
  /** Move event time to the wall clock when idle (off in tests that replay old event times). */
  readonly idleAdvance: boolean;
  /** Most time between checkpoints; a crash replays at most this much of the signals topic. */
  readonly checkpointMs?: number;
  /**
   * Most signals between checkpoints. A checkpoint writes every group touched since the
   * last one, on this thread; keeping it small keeps it from delaying alerts.
   */
  readonly checkpointSignals?: number;
}

export interface CorrelateDeps {
  bus: Bus;
  store: Store;
  state: CorrelationStateFile;
  rules: () => CorrelationRules;
  metrics: Metrics;
  log: Logger;
  options: CorrelateOptions;
  /** Records detect has yet to process; idle advance waits for zero. */
  detectLag: () => Promise<number>;
  clock?: () => number;
  group?: string;
}

export interface CorrelateStage {
  health(): Promise<DetectionHealth>;
  stop(): Promise<void>;
}

/** Per events partition, the last signal applied: (event offset, index among its signals). */
interface Applied {
  [partition: string]: { o: number; i: number };
}

const IDLE_TICK_MS = 1_000;
const DEFAULT_CHECKPOINT_MS = 10_000;
const DEFAULT_CHECKPOINT_SIGNALS = 10_000;
const REPLAY_CHUNK = 500;

export async function startCorrelateStage(deps: CorrelateDeps): Promise<CorrelateStage> {
  const log = deps.log.child({ stage: 'correlate' });
  const group = deps.group ?? CORRELATE_GROUP;
  const clock = deps.clock ?? Date.now;
  const { options } = deps;
  const checkpointMs = options.checkpointMs ?? DEFAULT_CHECKPOINT_MS;
  const checkpointSignals = options.checkpointSignals ?? DEFAULT_CHECKPOINT_SIGNALS;
  /** Signals applied since the last checkpoint. */
  let pending = 0;

  const position: Positions = (deps.state.value('position') as Positions | undefined) ?? {};
  const applied: Applied = (deps.state.value('applied') as Applied | undefined) ?? {};
  let rules = deps.rules();
  let engine = restoreEngine(rules);
  const grouper: AlertGrouper = createAlertGrouper({ windowMs: options.alertGroupWindowMs, sampleSize: options.limits.sampleSize });
  grouper.restore(deps.state.rows('grouper'));
  const silence: SilenceMonitor = createSilenceMonitor(options.silence);
  silence.restore(deps.state.rows('silence'), deps.state.value('silence'));
  let lastCheckpoint = Date.now();

  function restoreEngine(current: CorrelationRules): CorrelationEngine {
    const next = createCorrelationEngine(current.correlations, options.limits);
    const meta = deps.state.value('engine');
    // Nothing saved yet: a first start.
    if (meta !== undefined) next.restore(meta, deps.state.rows('engine'));
    return next;
  }

  /** Batches and timer ticks take turns: the state is never touched by two at once. */
  let turn: Promise<void> = Promise.resolve();
  const serially = (work: () => Promise<void>) => {
    const next = turn.then(work);
    turn = next.catch(() => undefined);
    return next;
  };

  /** Alerts of one turn by id: several updates of one alert in a batch are written once. */
  class Turn {
    readonly alerts = new Map<string, Alert>();
    /** When ingest stamped the event behind each new match alert, for the latency metric. */
    readonly ingested = new Map<string, number>();
    constructor(readonly now: Date) {}
    collect(alert: Alert) {
      this.alerts.set(alert.id, alert);
    }
  }

  const occurrenceOfFiring = (firing: CorrelationFiring): Occurrence | undefined => {
    if (!rules.raisesOwnAlerts(firing.correlation)) return undefined;
    const meta = rules.ruleMeta(firing.correlation);
    return meta === undefined ? undefined : occurrenceFromFiring(meta, firing);
  };

  const applyFirings = (firings: readonly CorrelationFiring[], current: Turn) => {
    for (const firing of firings) {
      deps.metrics.correlationFirings.inc({ rule: firing.correlation });
      const occurrence = occurrenceOfFiring(firing);
      if (occurrence !== undefined) current.collect(grouper.add(occurrence, current.now));
    }
  };

  const advanceTo = (time: number, current: Turn) => {
    applyFirings(engine.advance(time), current);
    for (const alert of silence.advance(time)) current.collect(alert);
    grouper.advance(time);
  };

  const apply = (record: SignalRecord, current: Turn) => {
    if (record.kind === 'progress') {
      for (const activity of record.activity) silence.observe(activity);
      advanceTo(record.time, current);
      return;
    }
    const key = String(record.src.p);
    if (!isAfter(record.src, applied[key])) {
      deps.metrics.signalsSkipped.inc({ reason: 'replayed' });
      return;
    }
    applied[key] = { o: record.src.o, i: record.src.i };
    for (const input of record.correlations) {
      const signal = { ...input, rule: record.rule, time: record.time, eventId: record.eventId, organization: record.organization };
      applyFirings(engine.observe(record.host === undefined ? signal : { ...signal, host: record.host }), current);
    }
    if (record.alert === undefined) return;
    const meta = rules.ruleMeta(record.rule);
    if (meta === undefined) {
      // The rule was removed by a reload after detect matched it.
      deps.metrics.signalsSkipped.inc({ reason: 'unknown_rule' });
      return;
    }
    const alert = grouper.add(occurrenceFromMatch(meta, { ...record, alert: record.alert }), current.now);
    current.collect(alert);
    if (record.ingested !== undefined) current.ingested.set(alert.id, record.ingested);
  };

  /** Applies one bus record (a bundle of signals) unless the state already holds it. */
  const applyRecord = (busRecord: BusRecord, current: Turn) => {
    const partition = String(busRecord.partition);
    if (busRecord.offset <= (position[Number(partition)] ?? -1)) {
      deps.metrics.signalsSkipped.inc({ reason: 'already_applied' });
      return;
    }
    const signals = decode(busRecord);
    for (const record of signals) apply(record, current);
    pending += signals.length;
    position[busRecord.partition] = busRecord.offset;
  };

  const decode = (record: BusRecord): SignalRecord[] => {
    const decoded = decodeRecord(record, signalBundleSchema);
    if (decoded.ok) return decoded.value.signals;
    deps.metrics.signalsSkipped.inc({ reason: 'invalid_record' });
    log.warn({ offset: record.offset, problem: decoded.problem }, 'skipping a record that is not a signal bundle');
    return [];
  };

  /**
   * Alerts applied to the state but not yet written and published. A failed write is
   * retried by the bus with the same batch, whose signals the state already holds (and
   * skips); these alerts are what that retry must still deliver.
   */
  const unpublished = new Map<string, Alert>();
  const unpublishedIngested = new Map<string, number>();

  /** Writes and publishes the turn's alerts, with any a failed turn left behind. */
  const publish = async (current: Turn) => {
    for (const [id, alert] of current.alerts) unpublished.set(id, alert);
    for (const [id, at] of current.ingested) unpublishedIngested.set(id, at);
    if (unpublished.size === 0) return;
    const stored = await deps.store.writeAlerts([...unpublished.values()]);
    await deps.bus.publish(
      TOPICS.alerts,
      stored.map((alert) => ({ key: alert.id, value: Buffer.from(JSON.stringify(alert)) })),
    );
    const publishedAt = Date.now();
    for (const alert of stored) {
      if (alert.created === alert.updated) deps.metrics.alertsRaised.inc({ rule: alert.rule.id, level: alert.rule.level });
      const at = unpublishedIngested.get(alert.id);
      if (at !== undefined) deps.metrics.eventToAlertSeconds.observe((publishedAt - at) / 1000);
    }
    unpublished.clear();
    unpublishedIngested.clear();
  };

  /** Saves everything that changed since the last checkpoint, with the position it reflects. */
  const checkpoint = () => {
    const engineChanges = engine.takeChanges();
    const silenceChanges = silence.takeChanges();
    deps.state.save({
      values: { position, applied, engine: engineChanges.meta, silence: silenceChanges.meta },
      rows: { engine: engineChanges.groups, grouper: grouper.takeChanges().groups, silence: silenceChanges.groups },
    });
    lastCheckpoint = Date.now();
    pending = 0;
    reportHealth();
  };

  const reloadIfChanged = () => {
    const current = deps.rules();
    if (current === rules) return;
    // Rebuilding from the saved state needs it complete: checkpoint first, then keep the
    // windows of correlation rules that did not change.
    checkpoint();
    rules = current;
    engine = restoreEngine(rules);
    log.info({ correlations: rules.correlations.length }, 'correlation rules reloaded');
  };

  const handleBatch = (batch: BusRecord[]) =>
    serially(async () => {
      reloadIfChanged();
      const current = new Turn(new Date());
      for (const busRecord of batch) applyRecord(busRecord, current);
      await publish(current);
      if (pending >= checkpointSignals || Date.now() - lastCheckpoint >= checkpointMs) checkpoint();
    });

  const signalsLag = () => deps.bus.lag(TOPICS.signals, group);

  const idleTick = async () => {
    const [detectLag, ownLag] = await Promise.all([deps.detectLag(), signalsLag()]);
    if (detectLag > 0 || ownLag > 0) return;
    await serially(async () => {
      reloadIfChanged();
      const current = new Turn(new Date());
      advanceTo(clock(), current);
      await publish(current);
      // The wall clock is not in the signals log, so a replay could not redo this advance.
      checkpoint();
    });
  };

  const reportHealth = () => {
    const health = engine.health();
    deps.metrics.correlationActiveGroups.set(health.activeGroups);
    deps.metrics.alertGroupsOpen.set(grouper.size);
    if (health.watermark !== null) deps.metrics.correlationWatermark.set(health.watermark / 1000);
    for (const [rule, count] of Object.entries(health.late)) deps.metrics.correlationLateSignals.set({ rule }, count);
    for (const [rule, count] of Object.entries(health.groupsRefused)) deps.metrics.correlationGroupsRefused.set({ rule }, count);
    for (const [rule, count] of Object.entries(health.entriesDropped)) deps.metrics.correlationEntriesDropped.set({ rule }, count);
  };

  // Rebuild the state the last run had: replay what it handled after its last checkpoint.
  const committed = await deps.bus.committed(TOPICS.signals, group);
  let replayed = 0;
  for (;;) {
    const records = (await deps.bus.readAfter(TOPICS.signals, position, REPLAY_CHUNK)).filter(
      (record) => record.offset <= (committed[record.partition] ?? -1),
    );
    if (records.length === 0) break;
    const silent = new Turn(new Date());
    for (const record of records) applyRecord(record, silent);
    replayed += records.length;
  }
  if (replayed > 0) {
    log.info({ records: replayed }, 'rebuilt the correlation state from the signals after the last checkpoint');
    checkpoint();
  }
  reportHealth();

  const subscription: Subscription = deps.bus.subscribe(TOPICS.signals, group, handleBatch, {
    maxBatchRecords: 200,
    onError: (error) => {
      deps.metrics.batchFailures.inc({ stage: 'correlate' });
      log.error({ err: error }, 'batch failed; it will be retried');
    },
  });

  let ticking = false;
  const timer = options.idleAdvance
    ? setInterval(() => {
        if (ticking) return;
        ticking = true;
        idleTick()
          .catch((error: unknown) => log.error({ err: error }, 'advancing event time failed; it will be retried'))
          .finally(() => (ticking = false));
      }, IDLE_TICK_MS)
    : undefined;
  timer?.unref();

  return {
    async health() {
      const [events, signals] = await Promise.all([deps.detectLag(), signalsLag()]);
      return {
        correlation: {
          ...engine.health(),
          rules: rules.correlations.length,
          titles: Object.fromEntries(rules.correlations.map((correlation) => [correlation.id, correlation.title])),
        },
        lag: { events, signals },
        silentSources: silence.silent(),
      };
    },
    async stop() {
      if (timer !== undefined) clearInterval(timer);
      await subscription.stop();
      await turn;
      checkpoint();
    },
  };
}
