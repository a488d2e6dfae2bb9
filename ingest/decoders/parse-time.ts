// Event times as devices write them, to ISO 8601 in UTC (what the event schema keeps).
// Suricata writes "2017-04-07T22:24:37.251547+0100" (microseconds, an offset without a
// colon), which JavaScript's Date does not read reliably; antivirus consoles write
// their own patterns ("21-Jun-2021 08:51:43", "03.12.2026 14:05:09") in a zone their
// documentation names. Every function answers undefined for a text it cannot read, so
// the decoder can say which field of which line is wrong.

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * An ISO 8601 date-time, the fraction of any length (cut to milliseconds) and the
 * offset with or without a colon. Without an offset the time is read in `zone`.
 */
export function parseIsoTime(text: string, zone: TimeZone = UTC): string | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const local = localMs(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!, m[7]);
  if (local === undefined) return undefined;
  const offset = m[8];
  if (offset === undefined) return toIso(zone.toUtc(local));
  if (offset.toUpperCase() === 'Z') return toIso(local);
  return toIso(local - offsetMs(offset));
}

/** Seconds or milliseconds since 1970, as a number or digits. */
export function parseEpoch(value: unknown, unit: 'seconds' | 'milliseconds'): string | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isFinite(n)) return undefined;
  return toIso(unit === 'seconds' ? n * 1000 : n);
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const TOKENS: Record<string, string> = {
  YYYY: '(\\d{4})',
  MMM: '([A-Za-z]{3})',
  MM: '(\\d{1,2})',
  DD: '(\\d{1,2})',
  HH: '(\\d{1,2})',
  hh: '(\\d{1,2})',
  mm: '(\\d{2})',
  ss: '(\\d{2})',
  SSS: '(\\d+)',
  A: '([AaPp][Mm])',
};
const TOKEN = /YYYY|MMM|MM|DD|HH|hh|mm|ss|SSS|A/g;

/** A compiled time pattern ("DD.MM.YYYY HH:mm:ss"), read in a zone. */
export interface TimePattern {
  parse(text: string): string | undefined;
}

/**
 * Compiles a pattern of YYYY, MM, MMM (Jan…Dec), DD, HH (0–23), hh with A (AM/PM), mm,
 * ss and SSS (a fraction); anything else must appear as written. Throws on a pattern
 * without a year, month, day and hour, so a mapping file's mistake is found at start.
 */
export function compileTimePattern(pattern: string, zone: TimeZone): TimePattern {
  const order: string[] = [];
  let source = '';
  let last = 0;
  for (const match of pattern.matchAll(TOKEN)) {
    source += escapeRegExp(pattern.slice(last, match.index)) + TOKENS[match[0]]!;
    order.push(match[0]);
    last = match.index + match[0].length;
  }
  source += escapeRegExp(pattern.slice(last));
  for (const needed of ['YYYY', 'DD']) if (!order.includes(needed)) throw new Error(`time pattern "${pattern}" has no ${needed}`);
  if (!order.includes('MM') && !order.includes('MMM')) throw new Error(`time pattern "${pattern}" has no MM or MMM`);
  if (!order.includes('HH') && !order.includes('hh')) throw new Error(`time pattern "${pattern}" has no HH or hh`);
  if (order.includes('hh') !== order.includes('A')) throw new Error(`time pattern "${pattern}": hh (12-hour) goes with A (AM/PM)`);
  const regex = new RegExp(`^${source}$`);
  return {
    parse(text) {
      const m = regex.exec(text.trim());
      if (!m) return undefined;
      const parts: Record<string, string> = {};
      order.forEach((token, i) => (parts[token] = m[i + 1]!));
      const month = parts.MMM !== undefined ? MONTHS.indexOf(parts.MMM.toLowerCase()) + 1 : Number(parts.MM);
      let hour = Number(parts.HH ?? parts.hh);
      if (parts.A !== undefined) {
        if (hour < 1 || hour > 12) return undefined;
        hour = (hour % 12) + (parts.A.toLowerCase() === 'pm' ? 12 : 0);
      }
      const local = localMs(Number(parts.YYYY), month, Number(parts.DD), hour, Number(parts.mm ?? 0), Number(parts.ss ?? 0), parts.SSS);
      return local === undefined ? undefined : toIso(zone.toUtc(local));
    },
  };
}

/** A zone local times are read in: UTC, a fixed offset ("+07:00") or an IANA name ("Asia/Bangkok"). */
export interface TimeZone {
  readonly name: string;
  /** Milliseconds of a local wall-clock time (as if it were UTC) to real UTC milliseconds. */
  toUtc(localMs: number): number;
}

export const UTC: TimeZone = { name: 'UTC', toUtc: (ms) => ms };

/** Throws (with the reason) on a zone that is neither an offset nor a name Intl knows. */
export function timeZone(name: string): TimeZone {
  const text = name.trim();
  if (/^(utc|gmt|z)$/i.test(text)) return UTC;
  if (/^[+-]\d{2}:?\d{2}$/.test(text)) {
    const offset = offsetMs(text);
    return { name: text, toUtc: (ms) => ms - offset };
  }
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: text, // throws RangeError on an unknown zone
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const offsetAt = (utcMs: number) => {
    const parts: Record<string, number> = {};
    for (const part of format.formatToParts(new Date(utcMs))) parts[part.type] = Number(part.value);
    const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
    return wall - Math.floor(utcMs / 1000) * 1000;
  };
  return {
    name: text,
    // The zone's offset at the guess, then again at the corrected time (daylight saving).
    toUtc: (ms) => {
      const guess = ms - offsetAt(ms);
      return ms - offsetAt(guess);
    },
  };
}

function offsetMs(offset: string): number {
  const digits = offset.replace(':', '');
  const sign = digits.startsWith('-') ? -1 : 1;
  const hours = Number(digits.slice(1, 3));
  const minutes = digits.length > 3 ? Number(digits.slice(3, 5)) : 0;
  return sign * (hours * 60 + minutes) * 60_000;
}

/** Wall-clock fields as UTC milliseconds, or undefined when a field is out of range (31 February). */
function localMs(year: number, month: number, day: number, hour: number, minute: number, second: number, fraction?: string): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  const ms = fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000);
  const value = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), ms);
  if (new Date(value).getUTCDate() !== day) return undefined;
  return value;
}

function toIso(ms: number): string | undefined {
  if (!Number.isFinite(ms)) return undefined;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
