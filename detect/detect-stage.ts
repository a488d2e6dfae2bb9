// The detect stage: consumes the events topic in batches, evaluates the rules, writes
// events and alerts to the store, publishes the alerts, and only then lets the bus
// commit. A crash anywhere before the commit replays the batch; writes are idempotent
// by id, so a replay changes nothing.
import type { Logger } from '../core/log.ts';
import type { Metrics } from '../core/metrics.ts';
import { TOPICS, type Bus, type BusRecord, type Subscription } from '../core/ports/bus.ts';
import type { Store } from '../core/ports/store.ts';
import type { Alert } from '../core/schemas/alert.ts';
import { securityEventSchema, type SecurityEvent } from '../core/schemas/event.ts';
import { describeIssues } from '../core/schemas/describe-issues.ts';

/** What the stage needs of the rule engine: the alerts one event raises. */
export interface Detector {
  evaluate(event: SecurityEvent, now: Date): Alert[];
}

export interface DetectDeps {
  bus: Bus;
  store: Store;
  detector: () => Detector;
  metrics: Metrics;
  log: Logger;
  group?: string;
  maxBatchRecords?: number;
}

export const DETECT_GROUP = 'vigil-detect';
/** Events per store write within a batch. */
const WRITE_CHUNK = 500;

export interface DetectStage {
  stop(): Promise<void>;
}

export function startDetectStage(deps: DetectDeps): DetectStage {
  const log = deps.log.child({ stage: 'detect' });
  const group = deps.group ?? DETECT_GROUP;

  const handleBatch = async (batch: BusRecord[]) => {
    const now = new Date();
    const detector = deps.detector();
    const raised: Alert[] = [];
    let processed = 0;
    /** When ingest stamped each event that raised an alert, for the POST-to-alert metric. */
    const ingestedAt = new Map<string, number>();
    // The store writes on its own thread; evaluating chunk k+1 here while chunk k is
    // being written keeps both cores busy. Writes stay in order, and the bus commits
    // only after this whole batch resolved, so the guarantee is unchanged.
    let writing: Promise<void> = Promise.resolve();
    for (let start = 0; start < batch.length; start += WRITE_CHUNK) {
      const events = decodeEvents(batch.slice(start, start + WRITE_CHUNK), deps, log);
      const evaluated = performance.now();
      const alerts: Alert[] = [];
      for (const event of events) {
        const fired = detector.evaluate(event, now);
        if (fired.length === 0) continue;
        alerts.push(...fired);
        ingestedAt.set(event.event.id, Date.parse(event.event.ingested));
      }
      deps.metrics.ruleEvaluationSeconds.observe((performance.now() - evaluated) / 1000);
      await writing;
      writing = (async () => {
        await deps.store.writeEvents(events);
        if (alerts.length > 0) raised.push(...(await deps.store.writeAlerts(alerts)));
        processed += events.length;
      })();
      // Awaited on the next turn or after the loop; this only keeps a failure that
      // happens meanwhile from counting as an unhandled rejection.
      writing.catch(() => undefined);
    }
    await writing;

    if (raised.length > 0) {
      await deps.bus.publish(
        TOPICS.alerts,
        raised.map((alert) => ({ key: alert.id, value: Buffer.from(JSON.stringify(alert)) })),
      );
      const publishedAt = Date.now();
      for (const alert of raised) {
        deps.metrics.alertsRaised.inc({ rule: alert.rule.id, level: alert.rule.level });
        const ingested = ingestedAt.get(alert.event_ids.at(-1) ?? '');
        if (ingested !== undefined) deps.metrics.eventToAlertSeconds.observe((publishedAt - ingested) / 1000);
      }
    }
    deps.metrics.eventsProcessed.inc(processed);
  };

  const subscription: Subscription = deps.bus.subscribe(TOPICS.events, group, handleBatch, {
    maxBatchRecords: deps.maxBatchRecords ?? 2000,
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

/** zod at the bus edge: a record that is not a SecurityEvent is counted and skipped, never retried forever. */
function decodeEvents(batch: BusRecord[], deps: DetectDeps, log: Logger): SecurityEvent[] {
  const events: SecurityEvent[] = [];
  for (const record of batch) {
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(record.value).toString('utf8'));
    } catch (error) {
      value = error;
    }
    const parsed = securityEventSchema.safeParse(value);
    if (parsed.success) {
      events.push(parsed.data);
    } else {
      deps.metrics.eventsRejected.inc({ stage: 'detect', reason: 'invalid_record' });
      log.warn({ offset: record.offset, problem: describeIssues(parsed.error) }, 'skipping a record that is not an event');
    }
  }
  return events;
}
