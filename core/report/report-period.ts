// The calendar month before a moment, in local time at an offset from UTC: what a
// monthly report covers when it runs on the 1st, and the default of an on-demand one.
export interface Period {
  from: string;
  to: string;
}

export function previousMonth(nowMs: number, utcOffsetMinutes: number): Period {
  const local = new Date(nowMs + utcOffsetMinutes * 60_000);
  const year = local.getUTCFullYear();
  const month = local.getUTCMonth();
  const start = Date.UTC(year, month - 1, 1) - utcOffsetMinutes * 60_000;
  const end = Date.UTC(year, month, 1) - utcOffsetMinutes * 60_000;
  return { from: new Date(start).toISOString(), to: new Date(end).toISOString() };
}

/** "2026-11" for a period starting 1 Nov 2026 local: names report files. */
export function periodLabel(period: Period, utcOffsetMinutes: number): string {
  return new Date(Date.parse(period.from) + utcOffsetMinutes * 60_000).toISOString().slice(0, 7);
}
