// BSD syslog (RFC 3164) as firewalls really send it: "<PRI>Mmm dd hh:mm:ss HOST TAG[pid]: MSG",
// and the variants met in the field: a year after the day ("Oct 11 2026 22:14:15",
// Cisco), fractions of a second, a zone and year after the time (RFC 3164's own
// "Aug 24 05:34:00 CST 1987"), an ISO 8601 time instead of the BSD one, no hostname
// (the TAG or the CEF/LEEF payload follows the time), Cisco's sequence number, clock
// marker and colon after the time, no PRI at all (LEEF allows it),
// and no readable header (FortiGate's "date=… time=…"): then, as RFC 3164 §4.3.3 tells a
// relay, the whole text is the MSG and the time is the receiver's.
import { isIP } from 'node:net';
import type { SyslogMessage } from './syslog-message.ts';
import { monthNumber, wallClockInstant, type TimeContext } from './wall-clock.ts';
import { zoneOffsetMinutes } from './zone-offset.ts';

// A time may end with ":" (Cisco ASA without a device id: "Dec 03 2026 08:00:00: %ASA-…").
const BSD_TIME =
  /^([A-Za-z]{3}) {1,2}(\d{1,2})(?: (\d{4}))? (\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?: ([A-Z]{3,4}) (\d{4}))?:?(?= |$)/;
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?:?(?= |$)/;
/** Cisco IOS puts a sequence number before the time, and "*" or "." when its clock is not synchronised. */
const CISCO_PREFIX = /^(?:\d{1,10}: )?[*.]?(?=[A-Za-z]{3} {1,2}\d)/;
const TAG = /^([^\s:[\]]{1,64})(?:\[([^\]\s]{0,32})\])?: ?/;
const PAYLOAD = /^(?:CEF:\d|LEEF:\d)/;

export interface Rfc3164Options {
  time: TimeContext;
  /** false: a message without a header we can read is refused (it had no PRI either). */
  headerless: boolean;
}

/**
 * `rest` follows the PRI (or is the whole text when there was none). Answers undefined
 * when no header could be read and `headerless` is false.
 */
export function parseRfc3164(rest: string, priority: number | undefined, options: Rfc3164Options): SyslogMessage | undefined {
  const value: SyslogMessage = { format: 'rfc3164', message: '' };
  if (priority !== undefined) {
    value.priority = priority;
    value.facility = priority >> 3;
    value.severity = priority & 7;
  }
  const prefix = CISCO_PREFIX.exec(rest)?.[0].length ?? 0;
  const time = readTime(rest.slice(prefix), options.time);
  if (!time) {
    if (!options.headerless) return undefined;
    value.message = rest;
    return value;
  }
  if (time.date) value.timestamp = time.date;
  let text = rest.slice(prefix + time.length).replace(/^ +/, '');

  // HOSTNAME, unless what follows the time is already the TAG or the payload.
  const first = /^\S+/.exec(text)?.[0];
  if (first !== undefined && (isIP(first) !== 0 || (!PAYLOAD.test(first) && !TAG.test(text) && !first.includes('[')))) {
    value.hostname = first;
    text = text.slice(first.length).replace(/^ +/, '');
  }
  if (!PAYLOAD.test(text)) {
    const tag = TAG.exec(text);
    if (tag) {
      value.appName = tag[1];
      if (tag[2]) value.procId = tag[2];
      text = text.slice(tag[0].length);
    }
  }
  value.message = text;
  return value;
}

function readTime(text: string, context: TimeContext): { date: Date | undefined; length: number } | undefined {
  const bsd = BSD_TIME.exec(text);
  if (bsd) {
    const month = monthNumber(bsd[1]!);
    if (month === undefined) return undefined;
    const year = bsd[3] ?? bsd[9];
    const date = wallClockInstant(
      {
        year: year === undefined ? undefined : Number(year),
        month,
        day: Number(bsd[2]),
        hour: Number(bsd[4]),
        minute: Number(bsd[5]),
        second: Number(bsd[6]),
        millisecond: bsd[7] ? Math.round(Number(`0.${bsd[7]}`) * 1000) : undefined,
        offsetMinutes: bsd[8] ? zoneOffsetMinutes(bsd[8]) : undefined,
      },
      context,
    );
    return { date, length: bsd[0].length };
  }
  const iso = ISO_TIME.exec(text);
  if (iso) {
    const date = wallClockInstant(
      {
        year: Number(iso[1]),
        month: Number(iso[2]),
        day: Number(iso[3]),
        hour: Number(iso[4]),
        minute: Number(iso[5]),
        second: Number(iso[6]),
        millisecond: iso[7] ? Math.round(Number(`0.${iso[7]}`) * 1000) : undefined,
        offsetMinutes: iso[8] ? zoneOffsetMinutes(iso[8]) : undefined,
      },
      context,
    );
    return { date, length: iso[0].length };
  }
  return undefined;
}
