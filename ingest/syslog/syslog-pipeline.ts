// One listener's path from a framed message to the bus: decode (decode-syslog.ts),
// validate and stamp with the listener's unit (stamp-syslog-event.ts), batch and publish
// (event-batcher.ts), counting each step per listener. Nothing a sender sends can throw
// out of receive(): a message that fails anywhere is counted as malformed and logged
// (throttled), and the listener goes on with the next one.
import type { Logger } from '../../core/log.ts';
import type { Metrics } from '../../core/metrics.ts';
import { TOPICS, type Bus } from '../../core/ports/bus.ts';
import type { Organization } from '../../core/schemas/event.ts';
import { decodeSyslog, type MalformedReason } from './decode-syslog.ts';
import { EventBatcher } from './event-batcher.ts';
import type { SyslogListenerConfig } from './listener-config.ts';
import { LogThrottle } from './log-throttle.ts';
import { stampSyslogEvent } from './stamp-syslog-event.ts';

export interface PipelineDeps {
  bus: Bus;
  metrics: Metrics;
  log: Logger;
  unit: Organization;
  futureToleranceMs: number;
  /** Zone assumed for device times written without one (VIGIL_UTC_OFFSET_MINUTES). */
  utcOffsetMinutes: number;
  /** Publish once this many events wait… */
  maxBatch?: number;
  /** …or this long after the first of them arrived. */
  lingerMs?: number;
  maxPending?: number;
}

export interface Sender {
  address: string;
  port: number;
}

export class SyslogPipeline {
  readonly batcher: EventBatcher;
  private unit: Organization;
  private arrivals = 0;
  private readonly agentId: string;
  private readonly malformedLog = new LogThrottle(10_000);
  private readonly publishLog = new LogThrottle(10_000);
  private readonly label: { listener: string };

  constructor(
    readonly listener: SyslogListenerConfig,
    private readonly deps: PipelineDeps,
  ) {
    this.unit = deps.unit;
    this.agentId = `syslog:${listener.name}`;
    this.label = { listener: listener.name };
    this.batcher = new EventBatcher({
      publish: (messages) => deps.bus.publish(TOPICS.events, messages),
      mode: listener.protocol === 'udp' ? 'drop' : 'retry',
      maxBatch: deps.maxBatch ?? 500,
      lingerMs: deps.lingerMs ?? 100,
      maxPending: deps.maxPending ?? 10_000,
      onPublished: (count) => deps.metrics.eventsPublished.inc(count),
      onDropped: (count, reason) => deps.metrics.syslogDropped.inc({ ...this.label, reason }, count),
      onPublishError: (error, batch) => {
        const suppressed = this.publishLog.take();
        if (suppressed === undefined) return;
        const outcome = listener.protocol === 'udp' ? 'dropped' : 'kept, retrying; reading from senders paused';
        deps.log.error({ err: error, listener: listener.name, events: batch, suppressed }, `publishing syslog events failed (${outcome})`);
      },
    });
  }

  /** A renamed unit: events from now on carry the new name. */
  setUnit(unit: Organization): void {
    this.unit = unit;
  }

  /** One framed message as received. */
  receive(data: Buffer, sender: Sender): void {
    this.deps.metrics.syslogReceived.inc(this.label);
    if (data.length > this.listener.max_message_bytes) {
      this.malformed('too_large', `${data.length} bytes, more than the ${this.listener.max_message_bytes} allowed`, sender);
      return;
    }
    try {
      const text = data.toString('utf8');
      const now = new Date();
      const decoded = decodeSyslog(text, {
        format: this.listener.format,
        time: { now, defaultOffsetMinutes: this.deps.utcOffsetMinutes },
        sender,
        keepOriginal: this.listener.keep_original,
      });
      if (!decoded.ok) {
        this.malformed(decoded.reason, decoded.error, sender, text);
        return;
      }
      this.arrivals += 1;
      const stamped = stampSyslogEvent(decoded.event, text, {
        unit: this.unit,
        agentId: this.agentId,
        now,
        arrival: `${now.getTime()}.${this.arrivals}`,
        futureToleranceMs: this.deps.futureToleranceMs,
      });
      if (!stamped.ok) {
        this.malformed('invalid', stamped.error, sender, text);
        return;
      }
      this.deps.metrics.syslogDecoded.inc(this.label);
      if (stamped.future) this.deps.metrics.futureTimestamps.inc({ unit: this.unit.id });
      this.batcher.add(stamped.message);
    } catch (error) {
      this.malformed('decoder_error', error instanceof Error ? error.message : String(error), sender);
    }
  }

  /** Counts and logs (throttled) a message that could not become an event. */
  malformed(reason: MalformedReason, error: string, sender: Sender | undefined, text?: string): void {
    this.deps.metrics.syslogMalformed.inc({ ...this.label, reason });
    this.deps.metrics.eventsRejected.inc({ stage: 'ingest', reason: `syslog_${reason}` });
    const suppressed = this.malformedLog.take();
    if (suppressed === undefined) return;
    this.deps.log.warn(
      { listener: this.listener.name, reason, sender: sender ? `${sender.address}:${sender.port}` : undefined, sample: text?.slice(0, 200), suppressed },
      `malformed syslog message: ${error}`,
    );
  }
}
