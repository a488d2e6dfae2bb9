// Turns a validated incoming event into a SecurityEvent: the unit comes from the agent's
// key (never from the body), event.ingested is now, and event.id is assigned when absent.
// An assigned id is derived from the body when the agent gave a @timestamp, so an agent
// that retries a post after a lost answer does not create the event twice.
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingEvent, Organization, SecurityEvent } from '../core/schemas/event.ts';

export function stampEvent(
  incoming: IncomingEvent,
  context: { organization: Organization; agentId: string; now: Date; rawText: string },
): SecurityEvent {
  const hadTimestamp = incoming['@timestamp'] !== undefined;
  const id =
    incoming.event?.id ??
    (hadTimestamp
      ? createHash('sha256').update(context.organization.id).update('\0').update(context.rawText).digest('hex').slice(0, 32)
      : randomUUID());
  const ingested = context.now.toISOString();
  return {
    ...incoming,
    '@timestamp': incoming['@timestamp'] ?? ingested,
    event: { ...incoming.event, id, ingested },
    agent: { ...incoming.agent, id: incoming.agent?.id ?? context.agentId },
    organization: { id: context.organization.id, name: context.organization.name },
  };
}

/** Kafka key: per-host order. Events without a host keep their unit's order. */
export function eventKey(event: SecurityEvent): string {
  return event.host?.id ?? event.host?.name ?? event.host?.hostname ?? `org:${event.organization.id}`;
}
