// Detection time: an event's @timestamp, clamped to ingest time plus the tolerance when
// it claims to come from further in the future (issue 9: one agent's clock must not move
// time for everyone).
import { describe, expect, it } from 'vitest';
import { detectionTime } from '../../detect/detection-time.ts';

const ingested = '2026-11-22T08:00:00.000Z';
const at = (stamp: string) => detectionTime({ '@timestamp': stamp, event: { ingested } }, 300_000);

describe('detectionTime', () => {
  it('keeps a time up to the tolerance ahead of ingest, and the past as it is', () => {
    expect(at('2026-11-22T08:05:00.000Z')).toEqual({ time: Date.parse('2026-11-22T08:05:00.000Z'), future: false });
    expect(at('2026-11-01T00:00:00.000Z')).toEqual({ time: Date.parse('2026-11-01T00:00:00.000Z'), future: false });
  });

  it('clamps a time further in the future to ingest time plus the tolerance, and flags it', () => {
    expect(at('3000-01-01T00:00:00.000Z')).toEqual({ time: Date.parse('2026-11-22T08:05:00.000Z'), future: true });
    expect(at('2026-11-22T08:05:00.001Z').future).toBe(true);
  });
});
