// Reads the event time a device wrote inside CEF (rt, start, end) or LEEF (devTime):
// epoch milliseconds, an ISO 8601 time, or one of the formats the CEF specification
// lists (year and zone optional). LEEF's devTimeFormat, when given, is tried first.
import { javaDateParser } from './java-date-format.ts';
import type { TimeContext } from './wall-clock.ts';

/** The formats the ArcSight CEF specification accepts for its time fields, plus what vendors print. */
const CEF_TIME_FORMATS = [
  'MMM dd yyyy HH:mm:ss.SSS zzz',
  'MMM dd yyyy HH:mm:ss.SSS',
  'MMM dd yyyy HH:mm:ss zzz',
  'MMM dd yyyy HH:mm:ss',
  'MMM dd HH:mm:ss.SSS zzz',
  'MMM dd HH:mm:ss.SSS',
  'MMM dd HH:mm:ss zzz',
  'MMM dd HH:mm:ss',
  "yyyy-MM-dd HH:mm:ss.SSS",
  'yyyy-MM-dd HH:mm:ss',
];

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

export function parseDeviceTime(text: string, context: TimeContext, format?: string): Date | undefined {
  const value = text.trim();
  if (value === '') return undefined;
  if (format !== undefined && format.trim() !== '') {
    const parsed = javaDateParser(format.trim())?.(value, context);
    if (parsed) return parsed;
  }
  if (/^\d{10,13}(?:\.\d+)?$/.test(value)) {
    // Ten digits are epoch seconds (some LEEF senders), more are milliseconds.
    const number = Number(value);
    return new Date(value.split('.')[0]!.length <= 10 ? number * 1000 : number);
  }
  if (ISO.test(value)) {
    const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    return Number.isFinite(ms) ? new Date(ms) : undefined;
  }
  for (const pattern of CEF_TIME_FORMATS) {
    const parsed = javaDateParser(pattern)?.(value, context);
    if (parsed) return parsed;
  }
  return undefined;
}
