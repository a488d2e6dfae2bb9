// The free text of an event, as the full-text index sees it: every scalar value
// (strings, numbers, booleans), wherever it sits, one per line. Field names are left
// out (they are searched with `field:value`), and so are the fields ECS itself leaves
// unindexed or that only add noise: the raw `event.original` (often the whole log line
// again, up to 1 MB) and the timestamps (they would tokenize into numbers matching
// half the index). Because every other value is in the text, a field term can use the
// index to find its candidates first (see fts-match.ts).
import type { SecurityEvent } from '../schemas/event.ts';

/** Fields whose values are not in the full-text index. */
export const UNINDEXED_FIELDS: ReadonlySet<string> = new Set(['@timestamp', 'event.original', 'event.ingested']);

export function eventSearchText(event: SecurityEvent): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(event)) {
    if (key === '@timestamp') continue;
    if (key === 'event' && isRecord(value)) {
      for (const [eventKey, eventValue] of Object.entries(value)) {
        if (!UNINDEXED_FIELDS.has(`event.${eventKey}`)) collectScalars(eventValue, parts);
      }
      continue;
    }
    collectScalars(value, parts);
  }
  return parts.join('\n');
}

function collectScalars(value: unknown, parts: string[]): void {
  if (typeof value === 'string') {
    parts.push(value);
  } else if (typeof value === 'number' || typeof value === 'boolean') {
    parts.push(String(value));
  } else if (Array.isArray(value)) {
    for (const item of value) collectScalars(item, parts);
  } else if (isRecord(value)) {
    for (const item of Object.values(value)) collectScalars(item, parts);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
