// When an indicator stops matching, as feeds write it: an ISO 8601 date or time (a date
// alone means the end of that day, UTC), or epoch seconds.

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Epoch ms, or undefined when `text` is no date. */
export function parseExpiry(text: string): number | undefined {
  const value = text.trim();
  if (/^\d{9,11}$/.test(value)) return Number(value) * 1000;
  if (DATE_ONLY.test(value)) {
    const day = Date.parse(`${value}T00:00:00Z`);
    return Number.isNaN(day) ? undefined : day + 86_400_000 - 1;
  }
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}
