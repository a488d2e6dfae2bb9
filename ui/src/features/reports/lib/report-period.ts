// The periods the Reports screen offers, as [from, to) in this browser's local days:
// this month so far (to the end of today), last month, or a custom range of days whose
// last day is included (the API's `to` is exclusive, so it is the next midnight).
export type PeriodChoice = 'this' | 'last' | 'custom';

export interface Period {
  from: string;
  to: string;
}

const midnight = (year: number, month: number, day: number): Date => new Date(year, month, day, 0, 0, 0, 0);

export function thisMonth(now: Date = new Date()): Period {
  return { from: midnight(now.getFullYear(), now.getMonth(), 1).toISOString(), to: midnight(now.getFullYear(), now.getMonth(), now.getDate() + 1).toISOString() };
}

export function lastMonth(now: Date = new Date()): Period {
  return { from: midnight(now.getFullYear(), now.getMonth() - 1, 1).toISOString(), to: midnight(now.getFullYear(), now.getMonth(), 1).toISOString() };
}

/** `2026-11-01`..`2026-11-30` (inclusive days), or null when either is not a date or the range is backwards. */
export function customRange(fromDay: string, toDay: string): Period | null {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/;
  const a = day.exec(fromDay);
  const b = day.exec(toDay);
  if (!a || !b) return null;
  const from = midnight(Number(a[1]), Number(a[2]) - 1, Number(a[3]));
  const to = midnight(Number(b[1]), Number(b[2]) - 1, Number(b[3]) + 1);
  return to > from ? { from: from.toISOString(), to: to.toISOString() } : null;
}

export function periodFor(choice: PeriodChoice, fromDay: string, toDay: string, now: Date = new Date()): Period | null {
  if (choice === 'this') return thisMonth(now);
  if (choice === 'last') return lastMonth(now);
  return customRange(fromDay, toDay);
}

/** A date input's value (local day) for an ISO time. */
export function localDay(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
