// Reads a bus record at a stage's edge: its bytes as JSON, then the stage's zod schema.
// A record that is neither is described in one line, for the stage to count and skip:
// a bad record must never be retried forever or stop the records behind it.
import type { z } from 'zod';
import type { BusRecord } from '../ports/bus.ts';
import { describeIssues } from '../schemas/describe-issues.ts';

export type DecodedRecord<T> = { ok: true; value: T } | { ok: false; problem: string };

export function decodeRecord<T>(record: BusRecord, schema: z.ZodType<T>): DecodedRecord<T> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(record.value).toString('utf8'));
  } catch (error) {
    return { ok: false, problem: `not JSON: ${(error as Error).message}` };
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problem: describeIssues(parsed.error) };
}
