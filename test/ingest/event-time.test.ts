// Which event times ingest accepts: anything a store can sort and a person can read,
// from 1970 to the end of year 9999; everything else is refused with the reason.
import { describe, expect, it } from 'vitest';
import { incomingEventSchema } from '../../core/schemas/event.ts';
import { describeIssues } from '../../core/schemas/describe-issues.ts';

function timeOf(value: unknown): string {
  const parsed = incomingEventSchema.safeParse({ '@timestamp': value });
  return parsed.success ? parsed.data['@timestamp']! : describeIssues(parsed.error);
}

describe('@timestamp', () => {
  it('accepts ISO 8601 with a zone and epoch milliseconds within 1970..9999, as UTC', () => {
    expect(timeOf('2026-11-22T08:00:00+07:00')).toBe('2026-11-22T01:00:00.000Z');
    expect(timeOf(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(timeOf(253_402_300_799_999)).toBe('9999-12-31T23:59:59.999Z');
    expect(timeOf('9999-12-31T23:59:59.999Z')).toBe('9999-12-31T23:59:59.999Z');
  });

  it('refuses impossible times, saying the accepted range', () => {
    const outside = /@timestamp: .* is outside the times Vigil accepts \(1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z\)/;
    for (const value of [8_640_000_000_000_000, 253_402_300_800_000, -1, '1969-12-31T23:59:59Z', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59-01:00']) {
      expect(timeOf(value)).toMatch(outside);
    }
    expect(timeOf(8_640_000_000_000_000)).toContain('8640000000000000 is outside');
  });

  it('refuses what is not a time at all', () => {
    for (const value of ['yesterday', '2026-02-30T00:00:00Z', '2026-11-22T08:00:00', 1.5, null, true, {}]) {
      expect(timeOf(value)).toMatch(/^@timestamp: /);
    }
    expect(timeOf('yesterday')).toMatch(/not a time: send ISO 8601 with a zone .* or epoch milliseconds/);
  });
});
