// Bars over a time range, as every histogram of the console draws them: one bar per
// bucket of [from, to), empty ones included so the axis is evenly spaced; the axis
// labels in the user's locale; the time range a run of bars covers (what a click or a
// drag narrows to); the bucket length in words.
import { currentLocale } from '../../i18n/i18n.ts';

/** Most bars drawn (the server answers about 60). */
export const MAX_BARS = 400;

export interface TimeBars {
  /** Each bar's first instant, epoch ms. */
  starts: number[];
  bucketMs: number;
}

/** Every bucket of the range [from, to) (ISO bounds). */
export function timeBars(from: string, to: string, bucketMs: number): TimeBars {
  const fromMs = Date.parse(from);
  const n = Math.max(1, Math.min(MAX_BARS, Math.ceil((Date.parse(to) - fromMs) / bucketMs)));
  return { starts: Array.from({ length: n }, (_, i) => fromMs + i * bucketMs), bucketMs };
}

/** The bar a bucket starting at `start` (ISO) falls in, or undefined when outside. */
export function barIndex(bars: TimeBars, start: string): number | undefined {
  const first = bars.starts[0];
  if (first === undefined) return undefined;
  const i = Math.round((Date.parse(start) - first) / bars.bucketMs);
  return i >= 0 && i < bars.starts.length ? i : undefined;
}

/** One number per bar from the server's (sparse or full) buckets. */
export function barCounts<B extends { start: string }>(bars: TimeBars, buckets: B[], count: (bucket: B) => number): number[] {
  const counts = new Array<number>(bars.starts.length).fill(0);
  for (const bucket of buckets) {
    const i = barIndex(bars, bucket.start);
    if (i !== undefined) counts[i]! += count(bucket);
  }
  return counts;
}

/** The time range (ISO) from the first bar's start to the last one's end, in either order. */
export function barSpan(bars: TimeBars, first: number, last: number): { from: string; to: string } | null {
  const a = Math.max(0, Math.min(first, last));
  const b = Math.min(bars.starts.length - 1, Math.max(first, last));
  const from = bars.starts[a];
  const end = bars.starts[b];
  if (from === undefined || end === undefined) return null;
  return { from: new Date(from).toISOString(), to: new Date(end + bars.bucketMs).toISOString() };
}

/** Each bar's axis label: the day for day bars, the time (and the day when the range spans days) otherwise. */
export function axisLabels(bars: TimeBars): string[] {
  const { starts, bucketMs } = bars;
  const spansDays = new Date(starts[0] ?? 0).toDateString() !== new Date((starts.at(-1) ?? 0) + bucketMs - 1).toDateString();
  const options: Intl.DateTimeFormatOptions =
    bucketMs >= 86_400_000
      ? { day: '2-digit', month: '2-digit' }
      : spansDays
        ? { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
        : { hour: '2-digit', minute: '2-digit', ...(bucketMs < 60_000 ? { second: '2-digit' } : {}), hourCycle: 'h23' };
  const format = new Intl.DateTimeFormat(currentLocale(), options);
  return starts.map((ms) => format.format(new Date(ms)));
}

export type BucketUnit = 'days' | 'hours' | 'minutes' | 'seconds';

/** A bucket length as a count of its largest whole unit (90 s: 90 seconds; 2 h: 2 hours). */
export function bucketSize(ms: number, smallest: 'minutes' | 'seconds' = 'seconds'): { unit: BucketUnit; count: number } {
  if (ms % 86_400_000 === 0) return { unit: 'days', count: ms / 86_400_000 };
  if (ms % 3_600_000 === 0) return { unit: 'hours', count: ms / 3_600_000 };
  if (ms % 60_000 === 0 || smallest === 'minutes') return { unit: 'minutes', count: Math.round(ms / 60_000) };
  return { unit: 'seconds', count: Math.round(ms / 1000) };
}

/** A bucket length in words, from a namespace's `<prefix>.days|hours|minutes|seconds` (with `count`). */
export function bucketText(ms: number, t: (key: string, options?: Record<string, unknown>) => string, prefix: string, smallest?: 'minutes' | 'seconds'): string {
  const { unit, count } = bucketSize(ms, smallest);
  return t(`${prefix}.${unit}`, { count });
}
