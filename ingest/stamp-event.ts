// Turns a validated incoming event into a SecurityEvent: the unit comes from the agent's
// key (never from the body), event.ingested is now, and event.id is assigned when absent.
// An assigned id is derived from the unit and the body when the agent gave a @timestamp,
// so an agent that retries a post after a lost answer does not create the event twice,
// and two units sending the same body never share an id.
//
// An event time further ahead of our clock than the tolerance is kept as sent (it is
// part of the event's identity: a retried post must map to the same event) and flagged
// with the FUTURE_TIMESTAMP_TAG; detection decides what time to use for it.
import { createHash, randomUUID } from 'node:crypto';
import { FUTURE_TIMESTAMP_TAG, type IncomingEvent, type Organization, type SecurityEvent } from '../core/schemas/event.ts';

export interface StampContext {
  organization: Organization;
  agentId: string;
  now: Date;
  /** The event as the agent sent it, for the derived id; only asked for when one is derived. */
  rawText: () => string;
  /** How far ahead of `now` an event time may be before it is flagged. */
  futureToleranceMs: number;
}

export interface Stamped {
  event: SecurityEvent;
  /** The event time was further ahead than the tolerance (and the event is tagged so). */
  future: boolean;
}

export function stampEvent(incoming: IncomingEvent, context: StampContext): Stamped {
  const sentTime = incoming['@timestamp'];
  const id =
    incoming.event?.id ??
    (sentTime !== undefined
      ? createHash('sha256').update(context.organization.id).update('\0').update(context.rawText()).digest('hex').slice(0, 32)
      : randomUUID());
  const ingested = context.now.toISOString();
  const future = sentTime !== undefined && Date.parse(sentTime) > context.now.getTime() + context.futureToleranceMs;
  // The tag is ours to set: one an agent sent itself is dropped, so it always means what it says.
  const own = incoming.tags?.filter((tag) => tag !== FUTURE_TIMESTAMP_TAG);
  const tags = future ? [...(own ?? []), FUTURE_TIMESTAMP_TAG] : own;
  const event: SecurityEvent = {
    ...incoming,
    '@timestamp': sentTime ?? ingested,
    event: { ...incoming.event, id, ingested },
    agent: { ...incoming.agent, id: incoming.agent?.id ?? context.agentId },
    organization: { id: context.organization.id, name: context.organization.name },
  };
  if (tags !== undefined) event.tags = tags;
  return { event, future };
}

/** Kafka key: per-host order. Events without a host keep their unit's order. */
export function eventKey(event: SecurityEvent): string {
  return event.host?.id ?? event.host?.name ?? event.host?.hostname ?? `org:${event.organization.id}`;
}
