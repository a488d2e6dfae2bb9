// value_sum, value_avg and value_percentile: early sums, the switch to close-time on a
// negative value, numeric parsing, window boundaries, out-of-order and late values,
// and the nearest-rank percentile decided at window close.
import { describe, expect, it } from 'vitest';
import { createCorrelationEngine } from '../../../detect/correlation/engine.ts';
import type { CorrelationCondition, CorrelationType } from '../../../detect/correlation/contract.ts';
import { correlation, firing, limits, MINUTE, SECOND, signal } from './correlation-fixture.ts';

const transfer = (type: CorrelationType, condition: CorrelationCondition) =>
  correlation({
    id: 'exfil',
    type,
    rules: ['upload'],
    groupBy: ['user'],
    timespanMs: MINUTE,
    condition: { ...condition, field: 'bytes' },
  });
const upload = (time: number, bytes: string | number | undefined, user = 'alice') =>
  signal('exfil', 'upload', time, { group: { user }, ...(bytes === undefined ? {} : { value: bytes }) });
const early = (eventIds: string[], windowStart: number, time: number, value: number, user = 'alice') =>
  firing({ correlation: 'exfil', group: { user }, windowStart, time, count: eventIds.length, value, eventIds });
const closed = (eventIds: string[], windowStart: number, lastSeen: number, value: number) =>
  firing({
    correlation: 'exfil',
    group: { user: 'alice' },
    windowStart,
    time: windowStart + MINUTE,
    lastSeen,
    count: eventIds.length,
    value,
    eventIds,
  });

describe('value_sum', () => {
  it('fires at the value that takes the sum to the bound, exactly one timespan after the first', () => {
    const engine = createCorrelationEngine([transfer('value_sum', { gte: 100 })], limits());
    expect(engine.observe(upload(0, 40))).toEqual([]);
    expect(engine.observe(upload(30 * SECOND, '30'))).toEqual([]); // a numeric string counts
    expect(engine.observe(upload(MINUTE, 30))).toEqual([early(['upload@0', 'upload@30000', 'upload@60000'], 0, MINUTE, 100)]);
  });

  it('one millisecond past the timespan the first value is out', () => {
    const engine = createCorrelationEngine([transfer('value_sum', { gte: 100 })], limits());
    engine.observe(upload(0, 40));
    engine.observe(upload(30 * SECOND, 30));
    expect(engine.observe(upload(MINUTE + 1, 30))).toEqual([]);
    expect(engine.observe(upload(MINUTE + 2, 40))).toEqual([
      early(['upload@30000', 'upload@60001', 'upload@60002'], 30 * SECOND, MINUTE + 2, 100),
    ]);
  });

  it('skips values that are not numbers, and consumes a firing', () => {
    const engine = createCorrelationEngine([transfer('value_sum', { gt: 1 })], limits());
    expect(engine.observe(upload(0, 'lots'))).toEqual([]);
    expect(engine.observe(upload(1, undefined))).toEqual([]);
    expect(engine.observe(upload(2, ''))).toEqual([]);
    expect(engine.observe(upload(3, 1))).toEqual([]);
    expect(engine.observe(upload(4, 0.5))).toEqual([early(['upload@3', 'upload@4'], 3, 4, 1.5)]);
    expect(engine.observe(upload(5, 1))).toEqual([]);
  });

  it('decides on the exact sum when a running float sum drifts near the bound', () => {
    const engine = createCorrelationEngine([transfer('value_sum', { gt: 0.3 })], limits());
    // In order, 0.1 + 0.2 is 0.30000000000000004: above 0.3. The running sum, having added
    // and removed the 0.7 that slid out, says 0.3 exactly; the in-order sum decides.
    engine.observe(upload(0, 0.7));
    engine.observe(upload(MINUTE + 1, 0.1));
    expect(engine.observe(upload(MINUTE + 2, 0.2))).toEqual([
      early(['upload@60001', 'upload@60002'], MINUTE + 1, MINUTE + 2, 0.1 + 0.2),
    ]);
  });

  it('applies an out-of-order value within the lateness and refuses a late one', () => {
    const engine = createCorrelationEngine([transfer('value_sum', { gte: 100 })], limits({ allowedLatenessMs: 20 * SECOND }));
    engine.observe(upload(30 * SECOND, 50));
    engine.observe(upload(40 * SECOND, 10));
    expect(engine.observe(upload(9 * SECOND, 90))).toEqual([]); // late: watermark 20s
    expect(engine.health().late).toEqual({ exfil: 1 });
    expect(engine.observe(upload(35 * SECOND, 40))).toEqual([
      early(['upload@30000', 'upload@35000', 'upload@40000'], 30 * SECOND, 40 * SECOND, 100),
    ]);
  });

  it('keeps interleaved users apart', () => {
    const engine = createCorrelationEngine([transfer('value_sum', { gte: 100 })], limits());
    const all = [upload(0, 60, 'a'), upload(1, 60, 'b'), upload(2, 40, 'a'), upload(3, 30, 'b')].flatMap((each) =>
      engine.observe(each),
    );
    expect(all).toEqual([early(['upload@0', 'upload@2'], 0, 2, 100, 'a')]);
  });

  it('after a negative value the group is decided at window close', () => {
    const engine = createCorrelationEngine([transfer('value_sum', { gte: 100 })], limits());
    expect(engine.observe(upload(0, 50))).toEqual([]);
    expect(engine.observe(upload(1, -10))).toEqual([]);
    expect(engine.observe(upload(2, 70))).toEqual([]); // 110 then, but not monotone: wait for the close
    expect(engine.observe(upload(3, -20))).toEqual([]);
    expect(engine.advance(MINUTE)).toEqual([]);
    // 50 − 10 + 70 − 20 = 90: below the bound, no firing.
    expect(engine.advance(MINUTE + 1)).toEqual([]);
    // That closed and emptied the group. A new one that meets a negative value is close-time again.
    engine.observe(upload(2 * MINUTE, -1));
    engine.observe(upload(2 * MINUTE + 1, 101));
    expect(engine.flush()).toEqual([closed(['upload@120000', 'upload@120001'], 2 * MINUTE, 2 * MINUTE + 1, 100)]);
  });

  it('close-time range gt + lte', () => {
    const engine = createCorrelationEngine([transfer('value_sum', { gt: 10, lte: 20 })], limits());
    engine.observe(upload(0, 15));
    engine.observe(upload(1, 5));
    expect(engine.advance(MINUTE)).toEqual([]);
    expect(engine.advance(MINUTE + 1)).toEqual([closed(['upload@0', 'upload@1'], 0, 1, 20)]);
    engine.observe(upload(2 * MINUTE, 15));
    engine.observe(upload(2 * MINUTE + 1, 6));
    expect(engine.flush()).toEqual([]);
  });
});

describe('value_avg', () => {
  it('fires at window close when the average passes, not before the watermark is past the end', () => {
    const engine = createCorrelationEngine([transfer('value_avg', { gt: 10 })], limits({ allowedLatenessMs: 10 * SECOND }));
    engine.observe(upload(0, 9));
    engine.observe(upload(20 * SECOND, 12));
    engine.observe(upload(10 * SECOND, '12')); // out of order within the lateness
    engine.observe(upload(MINUTE, 9)); // exactly at the window end: inside
    expect(engine.observe(upload(MINUTE - 11 * SECOND, 1000))).toEqual([]); // late: watermark 50s
    expect(engine.advance(MINUTE + 10 * SECOND)).toEqual([]);
    expect(engine.advance(MINUTE + 10 * SECOND + 1)).toEqual([
      closed(['upload@0', 'upload@10000', 'upload@20000', 'upload@60000'], 0, MINUTE, 10.5),
    ]);
  });

  it('lt: does not fire when the average is above the bound', () => {
    const engine = createCorrelationEngine([transfer('value_avg', { lt: 10 })], limits());
    engine.observe(upload(0, 9));
    engine.observe(upload(1, 12));
    expect(engine.flush()).toEqual([]);
  });
});

describe('value_percentile', () => {
  const ten = [5, 1, 9, 3, 7, 10, 2, 8, 4, 6];

  it('uses the nearest rank: the 90th percentile of 1..10 is 9', () => {
    const engine = createCorrelationEngine([transfer('value_percentile', { gte: 9, percentile: 90 })], limits());
    ten.forEach((bytes, index) => engine.observe(upload(index, bytes)));
    expect(engine.advance(MINUTE)).toEqual([]);
    expect(engine.advance(MINUTE + 1)).toEqual([
      closed(
        ten.map((_, index) => `upload@${index}`),
        0,
        9,
        9,
      ),
    ]);
  });

  it('eq on the median (p50 of 1..10 is 5) and neq', () => {
    const median = createCorrelationEngine([transfer('value_percentile', { eq: 5, percentile: 50 })], limits());
    ten.forEach((bytes, index) => median.observe(upload(index, bytes)));
    expect(median.flush().map((fired) => fired.value)).toEqual([5]);
    const notMedian = createCorrelationEngine([transfer('value_percentile', { neq: 5, percentile: 50 })], limits());
    ten.forEach((bytes, index) => notMedian.observe(upload(index, bytes)));
    expect(notMedian.flush()).toEqual([]);
  });

  it('windows start at the first pending entry after each close', () => {
    const engine = createCorrelationEngine([transfer('value_percentile', { lte: 5, percentile: 100 })], limits());
    const all = [upload(0, 5), upload(MINUTE, 4), upload(MINUTE + 1, 6), upload(3 * MINUTE, 1)].flatMap((each) =>
      engine.observe(each),
    );
    expect([...all, ...engine.flush()]).toEqual([
      closed(['upload@0', 'upload@60000'], 0, MINUTE, 5),
      closed(['upload@180000'], 3 * MINUTE, 3 * MINUTE, 1),
    ]);
  });
});
