// Turns a tailed line into the line the agent posts. Lines in another format (Suricata
// EVE, an antivirus console's export) go as they are: ingest's decoder for the input's
// `format` translates them, and derives a stable event id from the decoded event when it
// has a time. Native ECS lines go as they are too, unless they lack an identity: Vigil
// knows an event by (unit, event.id, @timestamp), so a line without `event.id` gets one
// derived from where it sits (file, inode, truncation generation, byte offset) and a line
// without `@timestamp` gets the time the agent read it. The line is then written to the
// spool before any post, so every resend carries the same identity and Vigil stores it
// once however often it is retried.
import { createHash } from 'node:crypto';
import type { TailLine } from './file-tailer.ts';

/** The format Vigil's ingest reads without a `?format=`: ECS events, one JSON object per line. */
export const NATIVE_FORMAT = 'ecs';

/** The event id of the line at this place: the same for every read of the same bytes at the same place. */
export function stableEventId(source: string, line: Pick<TailLine, 'dev' | 'ino' | 'generation' | 'offset'>): string {
  return createHash('sha256')
    .update(`${source}\0${line.dev}:${line.ino}\0${line.generation}\0${line.offset}`)
    .digest('hex')
    .slice(0, 32);
}

/**
 * The text to post for one line, or undefined for a blank line. Lines that are not JSON
 * objects are sent unchanged: ingest rejects them with their line number and reason, which
 * the agent logs and counts.
 */
export function lineToPost(source: string, format: string, line: TailLine, readAt: Date): string | undefined {
  if (line.text.trim() === '') return undefined;
  if (format !== NATIVE_FORMAT) return line.text;
  let value: unknown;
  try {
    value = JSON.parse(line.text);
  } catch {
    return line.text;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return line.text;
  const event = value as Record<string, unknown>;
  const inner = event.event;
  const hasId = typeof inner === 'object' && inner !== null && !Array.isArray(inner) && (inner as Record<string, unknown>).id !== undefined;
  const hasTime = event['@timestamp'] !== undefined;
  if (hasId && hasTime) return line.text;
  const stamped: Record<string, unknown> = hasTime ? { ...event } : { '@timestamp': readAt.toISOString(), ...event };
  if (!hasId) {
    const base = typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? (inner as Record<string, unknown>) : {};
    // An `event` that is not an object is left for ingest to refuse with its reason.
    if (inner === undefined || base === inner) stamped.event = { ...base, id: stableEventId(source, line) };
  }
  return JSON.stringify(stamped);
}
