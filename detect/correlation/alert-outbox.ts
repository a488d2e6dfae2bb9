// Alerts applied to a partition's state but not yet written and published. When a write
// fails, the bus hands the same batch over again, but the state already holds its
// signals and skips them: the outbox is what that retry must still deliver. One per
// signals partition, never persisted: a partition with anything in its outbox is not
// checkpointed, so after a crash its batch is replayed from the last checkpoint and
// its alerts are raised again.
import type { Metrics } from '../../core/metrics.ts';
import { TOPICS, type Bus } from '../../core/ports/bus.ts';
import type { Store } from '../../core/ports/store.ts';
import type { Alert } from '../../core/schemas/alert.ts';
import type { CorrelationOutput } from './correlator.ts';

export interface AlertSink {
  store: Store;
  bus: Bus;
  metrics: Metrics;
}

export class AlertOutbox {
  private readonly alerts = new Map<string, Alert>();
  private readonly ingested = new Map<string, number>();

  add(output: CorrelationOutput): void {
    for (const [id, alert] of output.alerts) this.alerts.set(id, alert);
    for (const [id, at] of output.ingested) this.ingested.set(id, at);
  }

  get empty(): boolean {
    return this.alerts.size === 0;
  }

  /** Writes and publishes everything held; on success the outbox is empty, on failure nothing is lost. */
  async deliver(sink: AlertSink): Promise<void> {
    if (this.alerts.size === 0) return;
    const stored = await sink.store.writeAlerts([...this.alerts.values()]);
    await sink.bus.publish(
      TOPICS.alerts,
      stored.map((alert) => ({ key: alert.id, value: Buffer.from(JSON.stringify(alert)) })),
    );
    const publishedAt = Date.now();
    for (const alert of stored) {
      if (alert.created === alert.updated) sink.metrics.alertsRaised.inc({ rule: alert.rule.id, level: alert.rule.level });
      const at = this.ingested.get(alert.id);
      if (at !== undefined) sink.metrics.eventToAlertSeconds.observe((publishedAt - at) / 1000);
    }
    this.alerts.clear();
    this.ingested.clear();
  }
}
