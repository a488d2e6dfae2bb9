// The watermark over the events partitions: the slowest partition holds event time back,
// so a fast partition never makes a slow partition's events late; a partition silent
// for the idle time stops holding it back; a snapshot restores the same watermark.
import { describe, expect, it } from 'vitest';
import { EventTimeWatermark } from '../../../detect/correlation/event-time-watermark.ts';

const T = Date.parse('2026-11-22T08:00:00Z');
const MIN = 60_000;

describe('EventTimeWatermark', () => {
  it('is the minimum over the events partitions, waiting for those not heard from yet', () => {
    const watermark = new EventTimeWatermark({ sourceIdleMs: 60_000, partitions: 2 });
    expect(watermark.at(0)).toBe(Number.NEGATIVE_INFINITY);
    watermark.observe(0, T + 30 * MIN, 1_000);
    // Partition 1 said nothing yet (and is not idle yet): nothing may be judged late.
    expect(watermark.at(1_000)).toBe(Number.NEGATIVE_INFINITY);
    watermark.observe(1, T + 2 * MIN, 2_000);
    expect(watermark.at(2_000)).toBe(T + 2 * MIN);
    watermark.observe(1, T + 40 * MIN, 3_000);
    expect(watermark.at(3_000)).toBe(T + 30 * MIN);
    // Never backwards for a partition that reports an older batch.
    watermark.observe(0, T, 4_000);
    expect(watermark.at(4_000)).toBe(T + 30 * MIN);
  });

  it('advances a partition silent for the idle time by the clock', () => {
    const watermark = new EventTimeWatermark({ sourceIdleMs: 60_000, partitions: 2 });
    watermark.observe(0, T + 10 * MIN, T);
    watermark.observe(1, T + 1 * MIN, T);
    expect(watermark.at(T + 59_999)).toBe(T + 1 * MIN);
    watermark.observe(0, T + 20 * MIN, T + 60_000);
    // Partition 1 has been silent for 60 s: it counts as being at "now".
    expect(watermark.at(T + 60_000)).toBe(T + 60_000);
    watermark.observe(0, T + 30 * MIN, T + 30 * MIN);
    expect(watermark.at(T + 30 * MIN)).toBe(T + 30 * MIN);
  });

  it('restores the same watermark from its snapshot', () => {
    const options = { sourceIdleMs: 60_000, partitions: 3 };
    const watermark = new EventTimeWatermark(options);
    watermark.observe(0, T + 5 * MIN, 100);
    watermark.observe(2, T + 7 * MIN, 200);
    const restored = EventTimeWatermark.restore(options, JSON.parse(JSON.stringify(watermark.snapshot())));
    for (const now of [200, 60_100, 60_200]) expect(restored.at(now)).toBe(watermark.at(now));
  });
});
