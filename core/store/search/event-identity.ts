// The document id of an event: sha256 of (unit, event.id, @timestamp as UTC ISO). The
// unit is part of it, so one unit's agent can never overwrite, hide or impersonate
// another unit's event by reusing its id; the time is normalized, so the same instant
// written with another offset is the same event and a replay stays idempotent.
import { createHash } from 'node:crypto';
import type { SecurityEvent } from '../../schemas/event.ts';
import { toUtcIso } from '../search-bounds.ts';

export function eventDocumentId(event: SecurityEvent): string {
  const identity = [event.organization.id, event.event.id, toUtcIso(event['@timestamp'], '@timestamp')];
  // JSON keeps the three apart whatever characters they hold.
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex');
}
