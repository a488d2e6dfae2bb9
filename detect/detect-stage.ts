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

export interface DetectStage {
  stop(): Promise<void>;
}

export function startDetectStage(deps: DetectDeps): DetectStage {
  const log = deps.log.child({ stage: 'detect' });
  const group = deps.group ?? DETECT_GROUP;

  const handleBatch = async (batch: BusRecord[]) => {
    const events = decodeEvents(batch, deps, log);
    const now = new Date();
    const detector = deps.detector();
    const started = performance.now();
    const alerts: Alert[] = [];
    for (const event of events) alerts.push(...detector.evaluate(event, now));
    deps.metrics.ruleEvaluationSeconds.observe((performance.now() - started) / 1000);

    await deps.store.writeEvents(events);
    if (alerts.length > 0) {
      const stored = await deps.store.writeAlerts(alerts);
      await deps.bus.publish(
        TOPICS.alerts,
        stored.map((alert) => ({ key: alert.id, value: Buffer.from(JSON.stringify(alert)) })),
      );
      const publishedAt = Date.now();
      for (const alert of alerts) {
        deps.metrics.alertsRaised.inc({ rule: alert.rule.id, level: alert.rule.level });
      }
      const alerting = new Set(alerts.flatMap((alert) => alert.event_ids));
      for (const event of events) {
        if (alerting.has(event.event.id)) {
          deps.metrics.eventToAlertSeconds.observe((publishedAt - Date.parse(event.event.ingested)) / 1000);
        }
      }
    }
    deps.metrics.eventsProcessed.inc(events.length);
  };

  const subscription: Subscription = deps.bus.subscribe(TOPICS.events, group, handleBatch, {
    maxBatchRecords: deps.maxBatchRecords ?? 1000,
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
