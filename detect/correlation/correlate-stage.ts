// The correlate stage: consumes the signals topic and keeps the stateful part of
// detection — alert groups, correlation windows, silent sources — writing and
// publishing the alerts they raise. A signals partition is the unit of ownership: the
// bus announces the partitions this member owns (all of them in all-in-one; a share of
// them per replica in a cluster), and each owned partition has its own correlator
// (correlator.ts) restored from its checkpoint.
//
// Exactly once, as Kafka Streams does it. Each partition's state is checkpointed
// (checkpoint-store.ts) with the signals position it reflects: every few seconds or
// signals, after an idle tick that raised alerts, and when the partition is revoked. On assignment the
// stage restores the checkpoint and answers its position, so the bus hands over again
// the records after it; those up to the group's committed position were delivered
// before and are replayed silently (state only, no alert written twice), the rest are
// handled normally. Everything is deterministic (alert ids included), so a replay
// rebuilds exactly the state the last owner had.
//
// The jobs, each in its own module: applying signals (correlator.ts), de-duplicating
// detect's replays (applied-signals.ts), the watermark (event-time-watermark.ts),
// alerts awaiting delivery (alert-outbox.ts), when to checkpoint
// (checkpoint-schedule.ts), the idle timer (idle-advance.ts) and health
// (correlate-health.ts). This file wires them to the bus.
import type { Backlog } from '../../core/health/backlog.ts';
import type { Logger } from '../../core/log.ts';
import type { Metrics } from '../../core/metrics.ts';
import { TOPICS, type Bus, type BusRecord, type Positions, type Subscription } from '../../core/ports/bus.ts';
import type { Store } from '../../core/ports/store.ts';
import { decodeRecord } from '../../core/bus/decode-record.ts';
import { unitShard } from '../../core/bus/shard-of.ts';
import { VigilError } from '../../core/errors.ts';
import { AlertOutbox } from './alert-outbox.ts';
import { CheckpointSchedule } from './checkpoint-schedule.ts';
import type { Checkpoint, CheckpointStore } from './checkpoint-store.ts';
import type { DetectionHealth, EngineLimits } from './contract.ts';
import { detectionHealth, reportHealthMetrics } from './correlate-health.ts';
import { CorrelationOutput, Correlator, type CorrelationRules, type CorrelatorCounters, type CorrelatorOptions } from './correlator.ts';
import { startIdleAdvance } from './idle-advance.ts';
import { signalBundleSchema, type SignalRecord } from './signal-record.ts';
import type { SilenceOptions } from './silence-monitor.ts';

export type { CorrelationRules } from './correlator.ts';

export const CORRELATE_GROUP = 'vigil-correlate';

export interface CorrelateOptions {
  readonly limits: EngineLimits;
  /** Repeats of a rule and group within this window update one alert. */
  readonly alertGroupWindowMs: number;
  readonly silence: Partial<SilenceOptions>;
  /** Move event time to the wall clock when idle (off in tests that replay old event times). */
  readonly idleAdvance: boolean;
  /** config.time.sourceIdleMs: an events partition silent this long no longer holds event time back. Default 60 s. */
  readonly sourceIdleMs?: number;
  /** Most time between checkpoints; a crash replays at most this much of the signals topic. */
  readonly checkpointMs?: number;
  /** Most signals between checkpoints. */
  readonly checkpointSignals?: number;
}

export interface CorrelateDeps {
  bus: Bus;
  store: Store;
  /** Where partition state is checkpointed: openSqliteCheckpointStore(dataDir) in all-in-one, createBusCheckpointStore(bus) in a cluster. */
  checkpoints: CheckpointStore;
  rules: () => CorrelationRules;
  metrics: Metrics;
  log: Logger;
  options: CorrelateOptions;
  /** Records detect has yet to process; idle advance waits for zero. */
  detectLag: () => Promise<number>;
  /** The events backlog with its rates (core/health/backlog.ts), for health; absent: the lag alone. */
  detectBacklog?: () => Promise<Backlog>;
  clock?: () => number;
  group?: string;
}

export interface CorrelateStage {
  /** Detection health of the partitions this member owns now. */
  health(): Promise<DetectionHealth>;
  /** Finishes the batch in hand, checkpoints every owned partition and stops. */
  stop(): Promise<void>;
}

/** A signals partition this member owns. */
interface OwnedPartition {
  correlator: Correlator;
  /** Offset of the last record applied to the state; records at or before it are skipped. */
  position: number;
  /** The group's committed offset at assignment: records up to it were delivered before, and replay silently. */
  replayUntil: number;
  outbox: AlertOutbox;
  schedule: CheckpointSchedule;
}

const DEFAULT_SOURCE_IDLE_MS = 60_000;
// A checkpoint encodes every open group of the partition (up to 730 ms for 5,000 groups),
// so in a burst of signals it must not come every few thousand: at 10,000 the stress
// bench spent about a third of its time checkpointing. A replay after a crash is at
// most 10 s of signals, or 50,000 in a burst (a few seconds to apply).
const DEFAULT_CHECKPOINT_MS = 10_000;
const DEFAULT_CHECKPOINT_SIGNALS = 50_000;

export async function startCorrelateStage(deps: CorrelateDeps): Promise<CorrelateStage> {
  const log = deps.log.child({ stage: 'correlate' });
  const group = deps.group ?? CORRELATE_GROUP;
  const clock = deps.clock ?? Date.now;
  const { options, metrics } = deps;
  const [eventsPartitions, signalsPartitions] = await Promise.all([
    deps.bus.partitionCount(TOPICS.events),
    deps.bus.partitionCount(TOPICS.signals),
  ]);
  const schedule = { everyMs: options.checkpointMs ?? DEFAULT_CHECKPOINT_MS, everySignals: options.checkpointSignals ?? DEFAULT_CHECKPOINT_SIGNALS };
  const counters: CorrelatorCounters = {
    skipped: (reason) => metrics.signalsSkipped.inc({ reason }),
    fired: (rule) => metrics.correlationFirings.inc({ rule }),
  };
  const correlatorOptions = (partition: number): CorrelatorOptions => ({
    limits: options.limits,
    alertGroupWindowMs: options.alertGroupWindowMs,
    silence: options.silence,
    sourceIdleMs: options.sourceIdleMs ?? DEFAULT_SOURCE_IDLE_MS,
    eventsPartitions,
    // One owner per unit: its silence and future times are reported by one partition only
    // (the one ingest sends the unit's heartbeats to).
    ownsUnit: (unit) => unitShard(unit, signalsPartitions) === partition,
  });

  let rules = deps.rules();
  const owned = new Map<number, OwnedPartition>();

  /** Batches, ticks, assignments and revocations take turns: the state is never touched by two at once. */
  let turn: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const next = turn.then(work);
    turn = next.catch(() => undefined);
    return next;
  };

  const reloadIfChanged = () => {
    const current = deps.rules();
    if (current === rules) return;
    rules = current;
    for (const partition of owned.values()) partition.correlator.reload(rules);
    log.info({ correlations: rules.correlations.length }, 'correlation rules reloaded');
  };

  /** The partition's correlator and position: its checkpoint's, or a fresh one at -1 (rebuilt from the whole topic). */
  const restore = (partition: number, checkpoint: Checkpoint | undefined): { correlator: Correlator; position: number } => {
    if (checkpoint !== undefined) {
      try {
        return { correlator: Correlator.restore(rules, correlatorOptions(partition), checkpoint.state, counters), position: checkpoint.position };
      } catch (error) {
        log.error({ partition, err: error }, 'unreadable checkpoint; rebuilding the partition from the signals topic');
      }
    }
    return { correlator: new Correlator(rules, correlatorOptions(partition), counters), position: -1 };
  };

  const assign = async (partitions: readonly number[]): Promise<Positions> => {
    const [committed, checkpoints] = await Promise.all([deps.bus.committed(TOPICS.signals, group), deps.checkpoints.load(partitions)]);
    const resume: Positions = {};
    for (const partition of partitions) {
      const { correlator, position } = restore(partition, checkpoints.get(partition));
      const replayUntil = committed[partition] ?? -1;
      owned.set(partition, { correlator, position, replayUntil, outbox: new AlertOutbox(), schedule: new CheckpointSchedule(schedule) });
      // Resume right after the checkpoint: what lies between it and the committed position is replayed into the state.
      if (position !== replayUntil) resume[partition] = position;
      log.info({ partition, checkpoint: position, committed: replayUntil }, 'signals partition assigned');
    }
    reportHealthMetrics(metrics, correlators());
    return resume;
  };

  const apply = (entry: OwnedPartition, record: BusRecord, output: CorrelationOutput) => {
    const signals = decode(record);
    entry.correlator.apply(signals, record.timestamp, output);
    entry.position = record.offset;
    entry.schedule.applied(Math.max(1, signals.length));
  };

  /** Checkpoints the partitions given whose alerts are all delivered (`due` decides which of them, if set). */
  const checkpoint = async (partitions: Iterable<number>, due: (owned: OwnedPartition) => boolean) => {
    const saving = new Map<number, Checkpoint>();
    for (const partition of partitions) {
      const entry = owned.get(partition);
      // Undelivered alerts stay out of checkpoints: after a crash their records are replayed and raise them again.
      if (entry === undefined || !entry.outbox.empty || !due(entry)) continue;
      saving.set(partition, { position: entry.position, state: entry.correlator.snapshot() });
    }
    if (saving.size === 0) return;
    await deps.checkpoints.save(saving);
    for (const partition of saving.keys()) owned.get(partition)?.schedule.saved();
    reportHealthMetrics(metrics, correlators());
  };

  const revoke = async (partitions: readonly number[]) => {
    await checkpoint(partitions, (entry) => entry.schedule.changed);
    for (const partition of partitions) {
      if (owned.get(partition)?.outbox.empty === false) log.warn({ partition }, 'revoked with undelivered alerts; its next owner replays them');
      owned.delete(partition);
    }
    log.info({ partitions }, 'signals partitions revoked');
  };

  const decode = (record: BusRecord): SignalRecord[] => {
    const decoded = decodeRecord(record, signalBundleSchema);
    if (decoded.ok) return decoded.value.signals;
    metrics.signalsSkipped.inc({ reason: 'invalid_record' });
    log.warn({ partition: record.partition, offset: record.offset, problem: decoded.problem }, 'skipping a record that is not a signal bundle');
    return [];
  };

  const handleBatch = (batch: BusRecord[]) =>
    serially(async () => {
      reloadIfChanged();
      const now = new Date();
      const outputs = new Map<number, CorrelationOutput>();
      for (const record of batch) {
        const entry = owned.get(record.partition);
        if (entry === undefined) {
          // The Bus port announces every partition (onAssigned) before its first batch.
          throw new VigilError('not_assigned', `signals partition ${record.partition} was delivered before it was assigned`, 'correlate');
        }
        if (record.offset <= entry.position) {
          metrics.signalsSkipped.inc({ reason: 'already_applied' });
          continue;
        }
        // Delivered before this member owned the partition: rebuild the state, raise nothing.
        const silent = record.offset <= entry.replayUntil;
        let output = silent ? new CorrelationOutput(now) : outputs.get(record.partition);
        if (output === undefined) outputs.set(record.partition, (output = new CorrelationOutput(now)));
        apply(entry, record, output);
      }
      for (const [partition, output] of outputs) owned.get(partition)?.outbox.add(output);
      await deliverAll();
      await checkpoint(owned.keys(), (entry) => entry.schedule.due);
    });

  const deliverAll = async () => {
    for (const entry of owned.values()) await entry.outbox.deliver(deps);
  };

  const idleTick = async () => {
    const [detectLag, ownLag] = await Promise.all([deps.detectLag(), deps.bus.lag(TOPICS.signals, group)]);
    if (detectLag > 0 || ownLag > 0) return;
    await serially(async () => {
      reloadIfChanged();
      const now = new Date();
      const raised = new Set<OwnedPartition>();
      for (const entry of owned.values()) {
        const output = new CorrelationOutput(now);
        entry.correlator.advanceTo(clock(), output);
        entry.outbox.add(output);
        entry.schedule.applied(1);
        if (output.alerts.size > 0 || output.firings.length > 0) raised.add(entry);
      }
      await deliverAll();
      // The wall clock is not in the signals log: a replay after a crash would not redo
      // this advance, and the next tick would raise its alerts again. Checkpoint at once
      // what raised something; a quiet advance waits for the usual schedule.
      await checkpoint(owned.keys(), (entry) => raised.has(entry) || entry.schedule.due);
    });
  };

  const correlators = () => [...owned.values()].map((entry) => entry.correlator);

  const subscription: Subscription = deps.bus.subscribe(TOPICS.signals, group, handleBatch, {
    maxBatchRecords: 200,
    onError: (error) => {
      metrics.batchFailures.inc({ stage: 'correlate' });
      log.error({ err: error }, 'batch failed; it will be retried');
    },
    onAssigned: (partitions) => serially(() => assign(partitions)),
    onRevoked: (partitions) => serially(() => revoke(partitions)),
  });

  const idle = options.idleAdvance
    ? startIdleAdvance(idleTick, (error) => log.error({ err: error }, 'advancing event time failed; it will be retried'))
    : undefined;

  return {
    async health() {
      const [backlog, signals] = await Promise.all([
        deps.detectBacklog ? deps.detectBacklog() : deps.detectLag().then((events) => ({ events })),
        deps.bus.lag(TOPICS.signals, group),
      ]);
      const catchUp =
        'drainPerSecond' in backlog
          ? { catchUp: { drainPerSecond: backlog.drainPerSecond, inflowPerSecond: backlog.inflowPerSecond, seconds: backlog.catchUpSeconds } }
          : {};
      return detectionHealth(correlators(), { events: backlog.events, signals, ...catchUp }, rules);
    },
    async stop() {
      idle?.stop();
      await subscription.stop();
      // The subscription announced revocation; an adapter that does not still leaves nothing unsaved.
      await serially(() => revoke([...owned.keys()]));
    },
  };
}
