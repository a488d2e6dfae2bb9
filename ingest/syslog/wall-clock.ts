// Turns a device's wall-clock reading (year perhaps missing, zone perhaps missing) into
// an instant. BSD syslog and many CEF times carry neither: the zone then is the SOC's
// own (VIGIL_UTC_OFFSET_MINUTES, the devices sit in the same province), and the year
// is the latest that does not put the time more than a week ahead of now (devices log
// the past), so a December message read on 1 January lands in the old year and a device
// a few seconds ahead at New Year in the new.

/** How far ahead of now a time without a year may fall before it is read as last year's. */
const YEARLESS_AHEAD_MS = 7 * 24 * 3_600_000;

export interface TimeContext {
  now: Date;
  /** Minutes east of UTC assumed for a time written without a zone. */
  defaultOffsetMinutes: number;
}

export interface WallClock {
  year?: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond?: number;
  /** Minutes east of UTC, when the time said. */
  offsetMinutes?: number;
}

/** The instant, or undefined when the reading is no real date (31 February, hour 25). */
export function wallClockInstant(clock: WallClock, context: TimeContext): Date | undefined {
  const offset = clock.offsetMinutes ?? context.defaultOffsetMinutes;
  const at = (year: number) => {
    const ms = Date.UTC(year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second, clock.millisecond ?? 0) - offset * 60_000;
    return ms;
  };
  if (!valid(clock)) return undefined;
  let ms: number;
  if (clock.year !== undefined) {
    ms = at(clock.year);
    if (!sameDay(clock.year, clock)) return undefined;
  } else {
    const now = context.now.getTime();
    const thisYear = new Date(now + offset * 60_000).getUTCFullYear();
    const candidates = [thisYear - 1, thisYear, thisYear + 1].filter((year) => sameDay(year, clock));
    if (candidates.length === 0) return undefined;
    const times = candidates.map(at).filter((time) => time <= now + YEARLESS_AHEAD_MS);
    if (times.length === 0) return undefined;
    ms = Math.max(...times);
  }
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}

function valid(clock: WallClock): boolean {
  return (
    clock.month >= 1 && clock.month <= 12 && clock.day >= 1 && clock.day <= 31 &&
    clock.hour >= 0 && clock.hour <= 23 && clock.minute >= 0 && clock.minute <= 59 &&
    clock.second >= 0 && clock.second <= 60 && (clock.year === undefined || (clock.year >= 1970 && clock.year <= 9999))
  );
}

/** 29 February exists only in leap years; Date.UTC would roll it into March. */
function sameDay(year: number, clock: WallClock): boolean {
  const date = new Date(Date.UTC(year, clock.month - 1, clock.day));
  return date.getUTCMonth() === clock.month - 1 && date.getUTCDate() === clock.day;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** 1-12 for "Jan", "January", "SEP", "Sept"…; undefined otherwise. */
export function monthNumber(name: string): number | undefined {
  const lower = name.toLowerCase();
  if (lower.length < 3) return undefined;
  const index = MONTHS.findIndex((month) => month.startsWith(lower));
  return index < 0 ? undefined : index + 1;
}
