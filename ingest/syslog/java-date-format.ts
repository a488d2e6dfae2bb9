// Reads times written with a Java SimpleDateFormat pattern, the way LEEF's devTimeFormat
// names them ("MMM dd yyyy HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.SSSZ") and the way the CEF
// spec lists its accepted time formats. Only what devices use is supported: y M d H h k
// K m s S a E z Z X and quoted literals; any other letter makes the pattern unusable
// (undefined), so a bad devTimeFormat is reported instead of read wrongly.
import { monthNumber, wallClockInstant, type TimeContext, type WallClock } from './wall-clock.ts';
import { zoneOffsetMinutes } from './zone-offset.ts';

type Field = 'year' | 'month' | 'day' | 'hour' | 'hour12' | 'minute' | 'second' | 'fraction' | 'ampm' | 'zone' | 'skip';

export type DateParser = (text: string, context: TimeContext) => Date | undefined;

const cache = new Map<string, DateParser | undefined>();

/** A parser for `pattern`, or undefined when the pattern uses letters we do not read. */
export function javaDateParser(pattern: string): DateParser | undefined {
  if (cache.has(pattern)) return cache.get(pattern);
  const parser = compile(pattern);
  if (cache.size < 256) cache.set(pattern, parser);
  return parser;
}

function compile(pattern: string): DateParser | undefined {
  const fields: Field[] = [];
  let source = '^';
  let index = 0;
  while (index < pattern.length) {
    const char = pattern[index]!;
    if (char === "'") {
      const end = pattern.indexOf("'", index + 1);
      if (end < 0) return undefined;
      source += end === index + 1 ? "'" : escape(pattern.slice(index + 1, end));
      index = end + 1;
      continue;
    }
    if (!/[A-Za-z]/.test(char)) {
      source += /\s/.test(char) ? '\\s+' : escape(char);
      index += 1;
      continue;
    }
    let run = 1;
    while (pattern[index + run] === char) run += 1;
    index += run;
    const token = tokenFor(char, run);
    if (!token) return undefined;
    source += `(${token.regex})`;
    fields.push(token.field);
  }
  const regex = new RegExp(`${source}$`, 'i');
  return (text, context) => {
    const match = regex.exec(text.trim());
    if (!match) return undefined;
    const clock: WallClock = { month: 1, day: 1, hour: 0, minute: 0, second: 0 };
    let hour12: number | undefined;
    let pm: boolean | undefined;
    for (let i = 0; i < fields.length; i += 1) {
      const value = match[i + 1]!;
      switch (fields[i]) {
        case 'year':
          clock.year = value.length === 2 ? 2000 + Number(value) : Number(value);
          break;
        case 'month': {
          const month = /^\d+$/.test(value) ? Number(value) : monthNumber(value);
          if (month === undefined) return undefined;
          clock.month = month;
          break;
        }
        case 'day':
          clock.day = Number(value);
          break;
        case 'hour':
          clock.hour = Number(value) % 24;
          break;
        case 'hour12':
          hour12 = Number(value) % 12;
          break;
        case 'minute':
          clock.minute = Number(value);
          break;
        case 'second':
          clock.second = Number(value);
          break;
        case 'fraction':
          clock.millisecond = Math.round(Number(`0.${value}`) * 1000);
          break;
        case 'ampm':
          pm = value.toLowerCase() === 'pm';
          break;
        case 'zone': {
          const offset = zoneOffsetMinutes(value);
          if (offset === undefined) return undefined;
          clock.offsetMinutes = offset;
          break;
        }
        default:
          break;
      }
    }
    if (hour12 !== undefined) clock.hour = hour12 + (pm ? 12 : 0);
    return wallClockInstant(clock, context);
  };
}

function tokenFor(letter: string, run: number): { field: Field; regex: string } | undefined {
  switch (letter) {
    case 'y':
      return { field: 'year', regex: run === 2 ? '\\d{2}' : '\\d{4}' };
    case 'M':
      return { field: 'month', regex: run >= 3 ? '[A-Za-z]{3,9}\\.?' : '\\d{1,2}' };
    case 'd':
      return { field: 'day', regex: '\\d{1,2}' };
    case 'H':
    case 'k':
      return { field: 'hour', regex: '\\d{1,2}' };
    case 'h':
    case 'K':
      return { field: 'hour12', regex: '\\d{1,2}' };
    case 'm':
      return { field: 'minute', regex: '\\d{1,2}' };
    case 's':
      return { field: 'second', regex: '\\d{1,2}' };
    case 'S':
      return { field: 'fraction', regex: '\\d{1,9}' };
    case 'a':
      return { field: 'ampm', regex: '[AaPp][Mm]' };
    case 'E':
      return { field: 'skip', regex: '[A-Za-z]{2,9}' };
    case 'z':
      return { field: 'zone', regex: '[A-Za-z]{1,5}(?:[+-]\\d{1,2}(?::?\\d{2})?)?|[+-]\\d{2}:?\\d{2}' };
    case 'Z':
    case 'X':
      return { field: 'zone', regex: 'Z|[+-]\\d{2}(?::?\\d{2})?' };
    default:
      return undefined;
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
