// Device times to UTC: EVE's microseconds and colon-less offsets, console patterns in a
// zone (daylight saving included), 12-hour clocks, and impossible dates refused.
import { describe, expect, it } from 'vitest';
import { compileTimePattern, parseEpoch, parseIsoTime, timeZone, UTC } from '../../../ingest/decoders/parse-time.ts';

describe('parseIsoTime', () => {
  it('reads EVE times: microseconds cut to milliseconds, offsets with or without a colon', () => {
    expect(parseIsoTime('2017-04-07T22:24:37.251547+0100')).toBe('2017-04-07T21:24:37.251Z');
    expect(parseIsoTime('2026-12-03T09:14:07.5-05:30')).toBe('2026-12-03T14:44:07.500Z');
    expect(parseIsoTime('2026-12-03T09:14:07Z')).toBe('2026-12-03T09:14:07.000Z');
    expect(parseIsoTime('2026-12-03 09:14:07', timeZone('+07:00'))).toBe('2026-12-03T02:14:07.000Z');
  });

  it('refuses what is not a time, or an impossible date', () => {
    expect(parseIsoTime('yesterday')).toBeUndefined();
    expect(parseIsoTime('2026-02-30T00:00:00Z')).toBeUndefined();
    expect(parseIsoTime('2026-12-03T25:00:00Z')).toBeUndefined();
  });
});

describe('compileTimePattern', () => {
  it('reads a pattern in a named zone, daylight saving included', () => {
    const berlin = timeZone('Europe/Berlin');
    const pattern = compileTimePattern('DD.MM.YYYY HH:mm:ss', berlin);
    expect(pattern.parse('15.01.2026 12:00:00')).toBe('2026-01-15T11:00:00.000Z'); // CET, +01:00
    expect(pattern.parse('15.07.2026 12:00:00')).toBe('2026-07-15T10:00:00.000Z'); // CEST, +02:00
    expect(compileTimePattern('DD-MMM-YYYY HH:mm:ss', UTC).parse('03-Dec-2026 02:14:07')).toBe('2026-12-03T02:14:07.000Z');
    expect(compileTimePattern('YYYY/MM/DD HH:mm:ss.SSS', timeZone('Asia/Ho_Chi_Minh')).parse('2026/12/03 09:00:00.25')).toBe('2026-12-03T02:00:00.250Z');
  });

  it('reads a 12-hour clock with AM/PM', () => {
    const pattern = compileTimePattern('MM/DD/YYYY hh:mm:ss A', UTC);
    expect(pattern.parse('12/3/2026 12:05:00 AM')).toBe('2026-12-03T00:05:00.000Z');
    expect(pattern.parse('12/3/2026 12:05:00 PM')).toBe('2026-12-03T12:05:00.000Z');
    expect(pattern.parse('12/3/2026 1:05:00 pm')).toBe('2026-12-03T13:05:00.000Z');
    expect(pattern.parse('12/3/2026 13:05:00 PM')).toBeUndefined();
  });

  it('refuses a pattern that cannot name a moment, and text that does not fit', () => {
    expect(() => compileTimePattern('HH:mm:ss', UTC)).toThrow(/has no YYYY/);
    expect(() => compileTimePattern('YYYY-MM-DD hh:mm', UTC)).toThrow(/hh \(12-hour\) goes with A/);
    expect(compileTimePattern('YYYY-MM-DD HH:mm', UTC).parse('2026-12-03T10:00')).toBeUndefined();
    expect(() => timeZone('Mars/Olympus')).toThrow(RangeError);
  });
});

describe('parseEpoch', () => {
  it('reads seconds and milliseconds, as numbers or digits', () => {
    expect(parseEpoch(1764727200, 'seconds')).toBe('2025-12-03T02:00:00.000Z');
    expect(parseEpoch('1764727200123', 'milliseconds')).toBe('2025-12-03T02:00:00.123Z');
    expect(parseEpoch('soon', 'seconds')).toBeUndefined();
  });
});
