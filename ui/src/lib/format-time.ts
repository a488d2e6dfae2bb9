// Times and numbers as analysts read them: in the user's time zone with the zone shown
// ("15:19:56 GMT+7"), dates and numbers in the chosen language's conventions (vi-VN:
// 1.234 and 3/12/2026; en-GB: 1,234 and 03/12/2026). The date is left out only when it
// is today. Formatters are cached per locale: lists format thousands of cells.
import { currentLocale } from '../i18n/i18n.ts';

const pad = (n: number) => String(n).padStart(2, '0');

type FormatterKind = 'time' | 'dateTime' | 'number' | 'zone';
const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function formatter(kind: 'number'): Intl.NumberFormat;
function formatter(kind: Exclude<FormatterKind, 'number'>): Intl.DateTimeFormat;
function formatter(kind: FormatterKind): Intl.DateTimeFormat | Intl.NumberFormat {
  const locale = currentLocale();
  const key = `${kind}|${locale}`;
  let made = cache.get(key);
  if (!made) {
    const clock = { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' } as const;
    made =
      kind === 'number'
        ? new Intl.NumberFormat(locale)
        : kind === 'time'
          ? new Intl.DateTimeFormat(locale, { ...clock, timeZoneName: 'short' })
          : kind === 'dateTime'
            ? new Intl.DateTimeFormat(locale, { ...clock, year: 'numeric', month: '2-digit', day: '2-digit', timeZoneName: 'short' })
            : new Intl.DateTimeFormat(locale, { timeZoneName: 'short' });
    cache.set(key, made);
  }
  return made;
}

function parse(iso: string): Date | null {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Time with its zone, and the date too unless it is today (in the user's zone). */
export function formatTimestamp(iso: string, now: Date = new Date()): string {
  const d = parse(iso);
  if (!d) return iso;
  const sameDay = d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth() && d.getDate() === now.getDate();
  return (sameDay ? formatter('time') : formatter('dateTime')).format(d);
}

/** Date, time and zone, always. */
export function formatFullTimestamp(iso: string): string {
  const d = parse(iso);
  return d ? formatter('dateTime').format(d) : iso;
}

/**
 * A record's time that must read the same in any language and sort as text (the audit
 * log, agents' clocks): 2026-12-03 15:19:56 UTC+07:00, in the user's zone.
 */
export function formatZonedTimestamp(iso: string): string {
  const d = parse(iso);
  if (!d) return iso;
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return `${date} ${time} UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

export function formatCount(n: number): string {
  return formatter('number').format(n);
}

/** The user's zone as shown beside times ("GMT+7"); its IANA name is timeZoneName(). */
export function timeZoneLabel(at: Date = new Date()): string {
  return formatter('zone').formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? '';
}

/** The user's IANA zone ("Asia/Ho_Chi_Minh"), for tooltips. */
export function timeZoneName(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
