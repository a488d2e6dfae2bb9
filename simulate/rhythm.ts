// When the province works: government offices in Vietnam (UTC+7) are busy on weekday
// office hours, quieter at lunch, nearly silent at night and at weekends. The weight is
// relative (1 = a busy office hour); volumes are normalised by the weekly mean so that
// "N a month" stays N whatever the rhythm.

export const VIETNAM_OFFSET_MS = 7 * 3_600_000;
const HOUR_MS = 3_600_000;

/** Local hour (fractional) and whether it is a weekend day, in Vietnam time. */
export function localTime(time: number): { hour: number; weekend: boolean } {
  const local = new Date(time + VIETNAM_OFFSET_MS);
  const day = local.getUTCDay();
  return { hour: local.getUTCHours() + local.getUTCMinutes() / 60, weekend: day === 0 || day === 6 };
}

/** Activity of PCs at `time`, 0..1. */
export function officeActivity(time: number): number {
  const { hour, weekend } = localTime(time);
  if (weekend) return hour >= 8 && hour < 17 ? 0.08 : 0.03;
  if ((hour >= 8 && hour < 11.5) || (hour >= 13.5 && hour < 17)) return 1;
  if (hour >= 11.5 && hour < 13.5) return 0.4;
  if ((hour >= 7 && hour < 8) || (hour >= 17 && hour < 19)) return 0.25;
  return 0.03;
}

/** Servers in the data center work around the clock, busier when the offices are. */
export function serverActivity(time: number): number {
  return Math.max(0.35, officeActivity(time));
}

/** The mean of `activity` over one week, sampled every 10 minutes. */
export function weeklyMean(activity: (time: number) => number): number {
  const start = Date.UTC(2026, 0, 5); // a Monday
  let sum = 0;
  const steps = (7 * 24 * HOUR_MS) / 600_000;
  for (let i = 0; i < steps; i += 1) sum += activity(start + i * 600_000);
  return sum / steps;
}

/** Whether `time` is in weekday office hours (09:00–15:00 local), where scenarios are placed. */
export function isWeekdayMorningToAfternoon(time: number): boolean {
  const { hour, weekend } = localTime(time);
  return !weekend && hour >= 9 && hour < 15;
}
