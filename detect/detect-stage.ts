// The detect stage: consumes the events topic in batches, matches every event against
// the rules, writes the events to the store, and publishes what matched to the signals
// topic, split by shard (a hash of rule and group; one shard per signals partition) so
// each correlate replica gets the groups of the partitions it owns, plus one progress
// record per events partition in every shard: the event time reached and the sources
// heard from. The signals go out while the last events are still being written, so an
// alert does not wait for the store's bulk answer; the bus commits only once both are
// done. A crash (or a failed write) before the commit replays the batch: event writes
// are idempotent by id, and the correlate stage recognises signals published again by
// their event positions.
//
// Event time here is detection time (detection-time.ts): an event stamped further in
// the future than the tolerance is clamped for signals and progress, and counted per
// source, so one agent's clock cannot make everyone else's events late.
import type { Logger } from '../core/log.ts';
import type { Metrics } from '../core/metrics.ts';
import { TOPICS, type Bus, type BusMessage, type BusRecord, type Subscription } from '../core/ports/bus.ts';
import type { Store } from '../core/ports/store.ts';
import { securityEventSchema, type SecurityEvent } from '../core/schemas/event.ts';
import { decodeRecord } from '../core/bus/decode-record.ts';
import {
  splitByShard,
  type MatchRecord,
  type ProgressRecord,
  type SignalBundle,
  type SourceActivity,
} from './correlation/signal-record.ts';
import { hostOf, signalsFromMatches, type SignalRouting } from './correlation/signals-from-match.ts';
import { detectionTime } from './detection-time.ts';
import { RecentEventIds } from './recent-event-ids.ts';

/** What the stage needs of the rule engine: which rules an event fires, and where their signals go. */
export interface Detector {
  /** Ids of the rules this event fires. */
  match(event: SecurityEvent): readonly string[];
  readonly routing: SignalRouting;
}

export interface DetectDeps {
  bus: Bus;
  store: Store;
  detector: () => Detector;
  metrics: Metrics;
  log: Logger;
  group?: string;
  maxBatchRecords?: number;
  /** config.time.futureToleranceMs: how far ahead of ingest's clock an event time is believed. Default 5 minutes. */
  futureToleranceMs?: number;
}

const DEFAULT_FUTURE_TOLERANCE_MS = 5 * 60_000;

export const DETECT_GROUP = 'vigil-detect';
/** Events per store write within a batch. */
const WRITE_CHUNK = 500;
/**
 * Batches of this many events partitions in hand at once (on Kafka). A batch spends
 * most of its time waiting on the store; meanwhile another partition's batch is
 * evaluated. Safe because a batch keeps no state shared with another partition's
 * except `recent`, which is per event identity, and events are keyed by host.
 */
const CONCURRENT_PARTITIONS = 3;

export interface DetectStage {
  stop(): Promise<void>;
}

interface Decoded {
  event: SecurityEvent;
  record: BusRecord;
}

export function startDetectStage(deps: DetectDeps): DetectStage {
  const log = deps.log.child({ stage: 'detect' });
  const group = deps.group ?? DETECT_GROUP;
  const futureToleranceMs = deps.futureToleranceMs ?? DEFAULT_FUTURE_TOLERANCE_MS;
  /** The signals topic's partition count: one correlation shard per partition. Read once, at the first batch. */
  let shards: number | undefined;
  const recent = new RecentEventIds();

  const handleBatch = async (batch: BusRecord[]) => {
    shards ??= Math.max(1, await deps.bus.partitionCount(TOPICS.signals));
    const detector = deps.detector();
    const signals: MatchRecord[] = [];
    const progress = new ProgressTracker();
    let processed = 0;
    // The store writes on its own thread; evaluating chunk k+1 here while chunk k is
    // being written keeps both cores busy. Writes stay in order, and the bus commits
    // only after this whole batch resolved, so the guarantee is unchanged.
    let writing: Promise<void> = Promise.resolve();
    for (let start = 0; start < batch.length; start += WRITE_CHUNK) {
      const decoded = decodeEvents(batch.slice(start, start + WRITE_CHUNK), deps, log);
      const evaluated = performance.now();
      const fresh: SecurityEvent[] = [];
      for (const { event, record } of decoded) {
        const position = { partition: record.partition, offset: record.offset };
        // A copy of an event already handled at another position (a retried post): the
        // store holds it already and correlation must not count it twice.
        if (recent.isCopy(event, position)) {
          deps.metrics.eventsDuplicate.inc({ stage: 'detect' });
          continue;
        }
        fresh.push(event);
        const time = detectionTime(event, futureToleranceMs);
        progress.add(event, time.time, time.future, record.partition);
        const fired = detector.match(event);
        if (fired.length === 0) continue;
        signals.push(...signalsFromMatches(fired, event, time.time, position, detector.routing));
      }
      deps.metrics.ruleEvaluationSeconds.observe((performance.now() - evaluated) / 1000);
      await writing;
      writing = (async () => {
        await deps.store.writeEvents(fresh);
        processed += fresh.length;
      })();
      // Awaited on the next turn or after the loop; this only keeps a failure that
      // happens meanwhile from counting as an unhandled rejection.
      writing.catch(() => undefined);
    }
    const publishing = batch.length > 0 ? deps.bus.publish(TOPICS.signals, bundles(signals, progress.records(), shards)) : Promise.resolve();
    // Both settle before either failure is thrown, so nothing is left running unobserved.
    const [written, published] = await Promise.allSettled([writing, publishing]);
    if (written.status === 'rejected') throw written.reason;
    if (published.status === 'rejected') throw published.reason;
    deps.metrics.eventsProcessed.inc(processed);
  };

  const subscription: Subscription = deps.bus.subscribe(TOPICS.events, group, handleBatch, {
    maxBatchRecords: deps.maxBatchRecords ?? 2000,
    concurrentPartitions: CONCURRENT_PARTITIONS,
    onError: (error) => {
      deps.metrics.batchFailures.inc({ stage: 'detect' });
      log.error({ err: error }, 'batch failed; it will be retried');
    },
  });

  const lagTimer = setInterval(() => {
    deps.bus
      .lag(TOPICS.events, group)
      .then((lag) => deps.metrics.busLag.set({ topic: TOPICS.events, group }, lag))
      .catch(() => undefined);
  }, 2_000);
  lagTimer.unref();

  return {
    async stop() {
      clearInterval(lagTimer);
      await subscription.stop();
    },
  };
}

/**
 * One bus record per shard, published to the signals partition of that number: its
 * signals in order, then the batch's progress (which every shard needs).
 */
function bundles(signals: readonly MatchRecord[], progress: ProgressRecord[], shards: number): BusMessage[] {
  const byShard: SignalBundle['signals'][] = Array.from({ length: shards }, () => []);
  for (const signal of signals) {
    for (const [shard, part] of splitByShard(signal, shards)) byShard[shard]!.push(part);
  }
  return byShard.map((shard, index) => ({
    key: `shard-${index}`,
    partition: index,
    value: Buffer.from(JSON.stringify({ signals: [...shard, ...progress] } satisfies SignalBundle)),
  }));
}

/** Event time reached and sources heard from in one batch, per events partition, at detection time. */
class ProgressTracker {
  private readonly partitions = new Map<number, { time: number; activity: Map<string, SourceActivity> }>();

  add(event: SecurityEvent, time: number, future: boolean, partition: number): void {
    let entry = this.partitions.get(partition);
    if (entry === undefined) {
      entry = { time: Number.NEGATIVE_INFINITY, activity: new Map() };
      this.partitions.set(partition, entry);
    }
    if (time > entry.time) entry.time = time;
    const agent = event.agent?.id ?? event.host?.id ?? event.host?.name;
    const key = `${event.organization.id}\u0000${agent ?? ''}`;
    const seen = entry.activity.get(key);
    if (seen !== undefined) {
      seen.count += 1;
      if (future) seen.future = (seen.future ?? 0) + 1;
      if (time > seen.time) seen.time = time;
      return;
    }
    const host = hostOf(event);
    entry.activity.set(key, {
      time,
      organization: { id: event.organization.id, name: event.organization.name },
      ...(agent === undefined ? {} : { agent }),
      ...(host === undefined ? {} : { host }),
      count: 1,
      ...(future ? { future: 1 } : {}),
    });
  }

  records(): ProgressRecord[] {
    return [...this.partitions].map(([partition, entry]) => ({
      kind: 'progress',
      partition,
      time: entry.time,
      activity: [...entry.activity.values()],
    }));
  }
}

/** zod at the bus edge: a record that is not a SecurityEvent is counted and skipped, never retried forever. */
function decodeEvents(batch: BusRecord[], deps: DetectDeps, log: Logger): Decoded[] {
  const decoded: Decoded[] = [];
  for (const record of batch) {
    const event = decodeRecord(record, securityEventSchema);
    if (event.ok) {
      decoded.push({ event: event.value, record });
    } else {
      deps.metrics.eventsRejected.inc({ stage: 'detect', reason: 'invalid_record' });
      log.warn({ offset: record.offset, problem: event.problem }, 'skipping a record that is not an event');
    }
  }
  return decoded;
}
