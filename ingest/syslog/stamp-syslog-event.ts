// A decoded syslog event → a bus message, through the same gate as HTTP ingest: field
// names search stores can index (badFieldName), the incoming event schema, then
// stampEvent (event.id, event.ingested, organization from the listener's unit, never
// from the message) and the same per-host key.
//
// The derived event.id mixes in the listener and the message's arrival order: syslog
// has no retries to collapse, and a firewall can send the same line twice in one second
// (two identical denies); they are two events, not one.
import type { Organization } from '../../core/schemas/event.ts';
import { incomingEventSchema } from '../../core/schemas/event.ts';
import { describeIssues } from '../../core/schemas/describe-issues.ts';
import type { BusMessage } from '../../core/ports/bus.ts';
import { badFieldName } from '../field-names.ts';
import { eventKey, stampEvent } from '../stamp-event.ts';
import type { EcsObject } from './ecs-builder.ts';

export interface SyslogStampContext {
  unit: Organization;
  /** agent.id of events from this listener ("syslog:udp:0.0.0.0:5514"). */
  agentId: string;
  now: Date;
  /** Unique per message on this listener (arrival order), for the derived event.id. */
  arrival: string;
  futureToleranceMs: number;
}

export type Stamped = { ok: true; message: BusMessage; future: boolean } | { ok: false; error: string };

export function stampSyslogEvent(event: EcsObject, raw: string, context: SyslogStampContext): Stamped {
  const badName = badFieldName(event);
  if (badName !== undefined) return { ok: false, error: badName };
  const valid = incomingEventSchema.safeParse(event);
  if (!valid.success) return { ok: false, error: describeIssues(valid.error) };
  const stamped = stampEvent(valid.data, {
    organization: context.unit,
    agentId: context.agentId,
    now: context.now,
    rawText: () => `${context.agentId}\u0000${context.arrival}\u0000${raw}`,
    futureToleranceMs: context.futureToleranceMs,
  });
  return {
    ok: true,
    message: { key: eventKey(stamped.event), value: Buffer.from(JSON.stringify(stamped.event)) },
    future: stamped.future,
  };
}
