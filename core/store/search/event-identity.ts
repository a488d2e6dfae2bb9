// The document id of an event, derived from its identity (unit, event.id, @timestamp
// as UTC ISO). The unit is part of it, so one unit's agent can never overwrite, hide
// or impersonate another unit's event by reusing its id; the time is normalized, so
// the same instant written with another offset is the same event and a replay stays
// idempotent.
//
// Shape: the event time in milliseconds (12 hex digits) and then the sha256 of the
// identity. Each `create` must look its id up in the shard first; ids that start with
// their time fall into a narrow id range per segment, so Lucene skips most segments at
// once, where purely random ids (a bare hash) must be looked up in every segment, a
// cost that grows with the index.
import { createHash } from 'node:crypto';
import type { SecurityEvent } from '../../schemas/event.ts';
import { toUtcIso } from '../search-bounds.ts';

export function eventDocumentId(event: SecurityEvent): string {
  return eventDocumentIdAt(event, toUtcIso(event['@timestamp'], '@timestamp'));
}

/** The same, for a caller that already has the event's @timestamp as UTC ISO (`toUtcIso`). */
export function eventDocumentIdAt(event: SecurityEvent, time: string): string {
  // JSON keeps the three apart whatever characters they hold.
  const hash = createHash('sha256').update(JSON.stringify([event.organization.id, event.event.id, time])).digest('base64url');
  return `${Date.parse(time).toString(16).padStart(12, '0')}${hash}`;
}
