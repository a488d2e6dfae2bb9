// The bucket length of an events histogram for a time range: the shortest "round"
// length (1 s, 5 min, 1 h, 1 d, ...) that cuts the range into at most `target` bars,
// so the chart stays readable at any zoom and its bars line up with clock times.
const ROUND_MS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800, 1209600, 2592000,
].map((s) => s * 1000);

export const DEFAULT_HISTOGRAM_BARS = 60;

export function histogramBucketMs(rangeMs: number, target = DEFAULT_HISTOGRAM_BARS): number {
  // A little slack: "the last hour" reaches the server a few milliseconds longer than an
  // hour, and should still get 1-minute bars (61 of them), not 2-minute ones.
  const round = ROUND_MS.find((ms) => rangeMs / ms <= target * 1.05);
  // Past 60 thirty-day bars (five years): whole days, as many as it takes.
  return round ?? Math.ceil(rangeMs / target / 86_400_000) * 86_400_000;
}
