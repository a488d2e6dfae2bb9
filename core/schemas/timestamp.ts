// Event time as agents send it: an ISO 8601 string with a zone, or epoch milliseconds.
// Always normalised to an ISO string in UTC so the stores can compare them as text.
// Only times a store can sort as text and a person can read are accepted: from
// 1970-01-01 to 9999-12-31 (UTC). Anything else (year 0, 1969, JavaScript's largest
// date 8640000000000000, which prints with a six-digit year) is rejected here, per event,
// so it never reaches detection to be dropped there without a word.
import { z } from 'zod';

export const EARLIEST_EVENT_TIME_MS = 0;
export const LATEST_EVENT_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const RANGE = '1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z';
const NOT_A_TIME = 'not a time: send ISO 8601 with a zone ("2026-11-22T08:00:00+07:00") or epoch milliseconds';
const outside = (input: unknown) => `${JSON.stringify(input)} is outside the times Vigil accepts (${RANGE})`;

export const isoTimestamp = z
  .union(
    [
      z.iso.datetime({ offset: true, error: NOT_A_TIME }),
      z
        .number()
        .int('epoch milliseconds must be a whole number')
        .min(EARLIEST_EVENT_TIME_MS, { error: (issue) => outside(issue.input) })
        .max(LATEST_EVENT_TIME_MS, { error: (issue) => outside(issue.input) }),
    ],
    { error: NOT_A_TIME },
  )
  .transform((value, ctx) => {
    const ms = new Date(value).getTime();
    if (!Number.isFinite(ms) || ms < EARLIEST_EVENT_TIME_MS || ms > LATEST_EVENT_TIME_MS) {
      ctx.issues.push({ code: 'custom', input: value, message: outside(value) });
      return z.NEVER;
    }
    return new Date(ms).toISOString();
  })
  .meta({ description: `Event time, ISO 8601 with a zone or epoch milliseconds, within ${RANGE}` });
