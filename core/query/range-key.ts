// Sortable keys for range queries (`destination.port >= 1024`, `@timestamp < 2024-05-02`,
// `source.ip:[10.0.0.0 TO 10.0.255.255]`). A value that reads as a number, a time or an
// IP address gets a short text key whose byte order is the value's order: numbers as
// numbers (so 9 < 10), times as instants (whatever offset they were written in), IPv4
// and IPv6 addresses as addresses. Both stores compare these keys, computed by this one
// function (the embedded store calls it from SQL, the search store indexes its output),
// so a range matches the same events everywhere, on any field, mapped or not. Keys of
// different kinds never compare with each other: each starts with its kind's letter.

/** n: number, t: time (epoch milliseconds), i: IP address (IPv6, IPv4 mapped into it). */
export type RangeKind = 'n' | 't' | 'i';

export interface RangeKeyed {
  kind: RangeKind;
  /** The kind letter then hex digits: compare as plain (byte-order) text. */
  key: string;
}

/** After every key of a kind (hex digits are all below `~`): an open upper end. */
export const KIND_END = '~';

const NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
// ISO 8601 as logs write it: a date, optionally a time (T or space), fraction and zone.
const TIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV6_CHARS = /^[0-9a-fA-F:.]+$/;
/** Longest text worth trying: an IPv6 with an IPv4 tail is 45 characters; times with nanoseconds ~35. */
const MAX_KEYED_TEXT = 64;

/**
 * The key of a stored value, or null when it is none of the three kinds (it then never
 * matches a range). Numbers are numbers; text is a number when it is written as one
 * ("1500"), else a time, else an IP address. Booleans and everything else: null.
 */
export function rangeKeyOf(value: unknown): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? `n${sortableHex(value)}` : null;
  if (typeof value === 'bigint') return `n${sortableHex(Number(value))}`;
  if (typeof value !== 'string') return null;
  return rangeKeyOfText(value)?.key ?? null;
}

/** The kind and key of a value as typed in a query or stored as text, or null. */
export function rangeKeyOfText(text: string): RangeKeyed | null {
  if (text.length === 0 || text.length > MAX_KEYED_TEXT) return null;
  if (NUMBER.test(text)) {
    const n = Number(text);
    return Number.isFinite(n) ? { kind: 'n', key: `n${sortableHex(n)}` } : null;
  }
  const ms = timeMs(text);
  if (ms !== null) return { kind: 't', key: `t${sortableHex(ms)}` };
  const ip = ipHex(text);
  return ip === null ? null : { kind: 'i', key: `i${ip}` };
}

/** One scratch view for sortableHex (single-threaded: used and read back at once); a new one per call cost detect measurably. */
const FLOAT_VIEW = new DataView(new ArrayBuffer(8));

/**
 * An IEEE 754 double as 16 hex digits in numeric order: positive numbers get the sign
 * bit set, negative ones every bit flipped (the usual trick for ordering floats as
 * unsigned integers). -0 is 0.
 */
export function sortableHex(n: number): string {
  const view = FLOAT_VIEW;
  view.setFloat64(0, n === 0 ? 0 : n);
  let hi = view.getUint32(0);
  let lo = view.getUint32(4);
  if (hi & 0x80000000) {
    hi = ~hi >>> 0;
    lo = ~lo >>> 0;
  } else {
    hi = (hi | 0x80000000) >>> 0;
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

/** Epoch milliseconds of an ISO 8601 time; a time without a zone is UTC. */
function timeMs(text: string): number | null {
  const m = TIME.exec(text);
  if (m === null) return null;
  const [, date, clock, fraction, zone] = m;
  let iso = date!;
  if (clock !== undefined) {
    iso += `T${clock.length === 5 ? `${clock}:00` : clock}${(fraction ?? '').slice(0, 4)}`;
    iso += zone === undefined ? 'Z' : normalizeZone(zone);
  } else if (zone !== undefined) {
    iso += `T00:00:00${normalizeZone(zone)}`;
  }
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

function normalizeZone(zone: string): string {
  if (zone.toUpperCase() === 'Z') return 'Z';
  const digits = zone.slice(1).replace(':', '');
  return `${zone[0]}${digits.slice(0, 2)}:${(digits.slice(2) || '00').padEnd(2, '0')}`;
}

/** 32 hex digits of an IPv6 address, IPv4 as ::ffff:a.b.c.d; null when not an address. */
function ipHex(text: string): string | null {
  const v4 = ipv4Hex(text);
  if (v4 !== null) return `00000000000000000000ffff${v4}`;
  if (!text.includes(':') || !IPV6_CHARS.test(text)) return null;
  return ipv6Hex(text.toLowerCase());
}

function ipv4Hex(text: string): string | null {
  const m = IPV4.exec(text);
  if (m === null) return null;
  let hex = '';
  for (const part of m.slice(1)) {
    const n = Number(part);
    if (n > 255) return null;
    hex += n.toString(16).padStart(2, '0');
  }
  return hex;
}

function ipv6Hex(text: string): string | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (half: string): string[] | null => {
    if (half === '') return [];
    const parts = half.split(':');
    const out: string[] = [];
    for (const [index, part] of parts.entries()) {
      if (part.includes('.')) {
        // An IPv4 tail counts as the last two groups.
        const v4 = index === parts.length - 1 ? ipv4Hex(part) : null;
        if (v4 === null) return null;
        out.push(v4.slice(0, 4), v4.slice(4));
      } else if (/^[0-9a-f]{1,4}$/.test(part)) {
        out.push(part.padStart(4, '0'));
      } else {
        return null;
      }
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (head === null || tail === null) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  return [...head, ...Array.from({ length: missing }, () => '0000'), ...tail].join('');
}
