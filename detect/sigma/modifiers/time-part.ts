// Reading a part (minute ... year) of an event's timestamp for the time-part modifiers.
// Always UTC: the spec leaves time zones out, and a rule must not fire differently
// depending on the zone of the machine it runs on.
import type { TimePart } from '../detection-tree.ts';

/**
 * ISO 8601 date or date-time, with `T` or a space, optional fraction and zone. Other
 * text is not a timestamp: `Date.parse` would read it in the local zone, or guess.
 */
const ISO_TIMESTAMP = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/** Epoch milliseconds sent as a string: 13 digits today, up to 15 allowed. */
const EPOCH_DIGITS = /^\d{1,15}$/;

/** Milliseconds since the epoch: a number, or a string of digits, is epoch ms; other strings are ISO 8601. */
export function timestampMs(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw !== 'string') return undefined;
  if (EPOCH_DIGITS.test(raw)) return Number(raw);
  const match = ISO_TIMESTAMP.exec(raw);
  if (match === null) return undefined;
  const [, date, time, zone] = match;
  // A date-time without a zone is UTC here, not the machine's local time.
  const text = time === undefined ? `${date}T00:00:00Z` : `${date}T${time}${normaliseZone(zone)}`;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function normaliseZone(zone: string | undefined): string {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 'Z';
  const digits = zone.slice(1).replace(':', '');
  return `${zone[0]}${digits.slice(0, 2)}:${digits.slice(2, 4) || '00'}`;
}

export function timePartOf(raw: unknown, part: TimePart): number | undefined {
  const ms = timestampMs(raw);
  if (ms === undefined) return undefined;
  const date = new Date(ms);
  switch (part) {
    case 'minute':
      return date.getUTCMinutes();
    case 'hour':
      return date.getUTCHours();
    case 'day':
      return date.getUTCDate();
    case 'month':
      return date.getUTCMonth() + 1;
    case 'year':
      return date.getUTCFullYear();
    case 'week':
      return isoWeek(date);
  }
}

/** ISO 8601 week number (1–53): the week with the year's first Thursday is week 1. */
function isoWeek(date: Date): number {
  const day = date.getUTCDay() || 7;
  const thursday = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(new Date(thursday).getUTCFullYear(), 0, 1);
  return Math.ceil((thursday - yearStart) / 86_400_000 / 7 + 1 / 7);
}
