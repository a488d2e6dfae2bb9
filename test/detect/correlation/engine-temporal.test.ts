// temporal and temporal_ordered: all (or enough) referenced rules within the timespan,
// in the rules' order for the ordered type; boundaries, consumption, out-of-order and
// late signals, interleaved groups, and a close-time bound.
import { describe, expect, it } from 'vitest';
import { createCorrelationEngine } from '../../../detect/correlation/engine.ts';
import type { CorrelationCondition, CorrelationType } from '../../../detect/correlation/contract.ts';
import { correlation, firing, limits, MINUTE, SECOND, signal } from './correlation-fixture.ts';

const chain = (type: CorrelationType, condition?: CorrelationCondition) =>
  correlation({ id: 'kill-chain', type, rules: ['A', 'B', 'C'], groupBy: ['host'], timespanMs: MINUTE, condition });
const on = (rule: string, time: number, hostName = 'pc-1') =>
  signal('kill-chain', rule, time, { group: { host: hostName } });
const fired = (eventIds: string[], windowStart: number, time: number, value = 3, group = 'pc-1') =>
  firing({ correlation: 'kill-chain', group: { host: group }, windowStart, time, count: eventIds.length, value, eventIds });

describe('temporal', () => {
  it('fires when the last rule lands exactly one timespan after the first', () => {
    const engine = createCorrelationEngine([chain('temporal')], limits());
    expect(engine.observe(on('C', 0))).toEqual([]);
    expect(engine.observe(on('A', 30 * SECOND))).toEqual([]);
    expect(engine.observe(on('B', MINUTE))).toEqual([fired(['C@0', 'A@30000', 'B@60000'], 0, MINUTE)]);
  });

  it('does not fire one millisecond past the timespan', () => {
    const engine = createCorrelationEngine([chain('temporal')], limits());
    engine.observe(on('C', 0));
    engine.observe(on('A', 30 * SECOND));
    expect(engine.observe(on('B', MINUTE + 1))).toEqual([]);
    expect(engine.observe(on('C', MINUTE + 2))).toEqual([
      fired(['A@30000', 'B@60001', 'C@60002'], 30 * SECOND, MINUTE + 2),
    ]);
  });

  it('counts repeats of a rule as events but not as rules, and consumes the window', () => {
    const engine = createCorrelationEngine([chain('temporal')], limits());
    engine.observe(on('A', 0));
    engine.observe(on('A', 1));
    engine.observe(on('B', 2));
    expect(engine.observe(on('C', 3))).toEqual([fired(['A@0', 'A@1', 'B@2', 'C@3'], 0, 3)]);
    expect(engine.observe(on('A', 4))).toEqual([]);
    expect(engine.observe(on('B', 5))).toEqual([]);
    expect(engine.health().activeGroups).toBe(1);
  });

  it('gte 2: any two of the three rules', () => {
    const engine = createCorrelationEngine([chain('temporal', { gte: 2 })], limits());
    engine.observe(on('B', 0));
    engine.observe(on('B', 1));
    expect(engine.observe(on('C', 2))).toEqual([fired(['B@0', 'B@1', 'C@2'], 0, 2, 2)]);
  });

  it('applies an out-of-order signal within the lateness and refuses a late one', () => {
    const engine = createCorrelationEngine([chain('temporal')], limits({ allowedLatenessMs: 30 * SECOND }));
    engine.observe(on('A', MINUTE));
    engine.observe(on('C', 2 * MINUTE));
    expect(engine.observe(on('B', MINUTE + 29 * SECOND))).toEqual([]); // late: watermark 90s
    expect(engine.health().recentLate).toEqual([
      { correlation: 'kill-chain', eventId: 'B@89000', time: 89 * SECOND, watermark: 90 * SECOND },
    ]);
    engine.observe(on('A', 100 * SECOND));
    expect(engine.observe(on('B', 95 * SECOND))).toEqual([
      fired(['A@60000', 'B@95000', 'A@100000', 'C@120000'], MINUTE, 2 * MINUTE),
    ]);
  });

  it('keeps interleaved groups apart', () => {
    const engine = createCorrelationEngine([chain('temporal')], limits());
    const all = [on('A', 0, 'x'), on('B', 1, 'y'), on('B', 2, 'x'), on('C', 3, 'y'), on('C', 4, 'x')].flatMap((each) =>
      engine.observe(each),
    );
    expect(all).toEqual([fired(['A@0', 'B@2', 'C@4'], 0, 4, 3, 'x')]);
  });

  it('close-time lt: a host that saw fewer than two of the rules in its window', () => {
    const engine = createCorrelationEngine([chain('temporal', { lt: 2 })], limits());
    engine.observe(on('A', 0, 'x'));
    engine.observe(on('A', 5, 'x'));
    engine.observe(on('A', 0, 'y'));
    engine.observe(on('B', 5, 'y'));
    expect(engine.advance(MINUTE)).toEqual([]);
    expect(engine.advance(MINUTE + 1)).toEqual([
      firing({
        correlation: 'kill-chain',
        group: { host: 'x' },
        windowStart: 0,
        time: MINUTE,
        lastSeen: 5,
        count: 2,
        value: 1,
        eventIds: ['A@0', 'A@5'],
      }),
    ]);
  });
});

describe('temporal_ordered', () => {
  it('fires for the rules in order, the last exactly one timespan after the first', () => {
    const engine = createCorrelationEngine([chain('temporal_ordered')], limits());
    engine.observe(on('A', 0));
    engine.observe(on('B', 30 * SECOND));
    expect(engine.observe(on('C', MINUTE))).toEqual([fired(['A@0', 'B@30000', 'C@60000'], 0, MINUTE)]);
  });

  it('does not fire one millisecond past the timespan', () => {
    const engine = createCorrelationEngine([chain('temporal_ordered')], limits());
    engine.observe(on('A', 0));
    engine.observe(on('B', 30 * SECOND));
    expect(engine.observe(on('C', MINUTE + 1))).toEqual([]);
  });

  it('does not fire for the rules out of order', () => {
    const engine = createCorrelationEngine([chain('temporal_ordered')], limits());
    expect([on('C', 0), on('B', 1), on('A', 2), on('C', 3)].flatMap((each) => engine.observe(each))).toEqual([]);
    // A@2 then B then C completes it, with the stray C@0 and B@1 still in the window.
    engine.observe(on('B', 4));
    expect(engine.observe(on('C', 5))).toEqual([
      fired(['C@0', 'B@1', 'A@2', 'C@3', 'B@4', 'C@5'], 0, 5),
    ]);
  });

  it('accepts equal times in arrival order', () => {
    const engine = createCorrelationEngine([chain('temporal_ordered')], limits());
    engine.observe(on('A', 7));
    engine.observe(on('B', 7));
    expect(engine.observe(on('C', 7))).toEqual([fired(['A@7', 'B@7', 'C@7'], 7, 7)]);
  });

  it('gte 2: the first two rules in order are enough', () => {
    const engine = createCorrelationEngine([chain('temporal_ordered', { gte: 2 })], limits());
    expect(engine.observe(on('B', 0))).toEqual([]);
    expect(engine.observe(on('C', 1))).toEqual([]);
    expect(engine.observe(on('A', 2))).toEqual([]);
    expect(engine.observe(on('B', 3))).toEqual([fired(['B@0', 'C@1', 'A@2', 'B@3'], 0, 3, 2)]);
  });

  it('an out-of-order signal can complete the order in the middle', () => {
    const engine = createCorrelationEngine([chain('temporal_ordered')], limits({ allowedLatenessMs: MINUTE }));
    engine.observe(on('A', 0));
    engine.observe(on('C', 20 * SECOND));
    expect(engine.observe(on('B', 10 * SECOND))).toEqual([
      fired(['A@0', 'B@10000', 'C@20000'], 0, 20 * SECOND),
    ]);
  });

  it('an out-of-order signal placed after the last rule does not complete the order', () => {
    const engine = createCorrelationEngine([chain('temporal_ordered')], limits({ allowedLatenessMs: MINUTE }));
    engine.observe(on('A', 0));
    engine.observe(on('C', 20 * SECOND));
    engine.observe(on('C', 40 * SECOND));
    expect(engine.observe(on('B', 30 * SECOND))).toEqual([
      fired(['A@0', 'C@20000', 'B@30000', 'C@40000'], 0, 40 * SECOND),
    ]);
    const second = createCorrelationEngine([chain('temporal_ordered')], limits({ allowedLatenessMs: MINUTE }));
    second.observe(on('A', 0));
    second.observe(on('C', 20 * SECOND));
    expect(second.observe(on('B', 30 * SECOND))).toEqual([]);
  });

  it('refuses a late signal and keeps groups apart', () => {
    const engine = createCorrelationEngine([chain('temporal_ordered')], limits({ allowedLatenessMs: 10 * SECOND }));
    engine.observe(on('A', 0, 'x'));
    engine.observe(on('A', 30 * SECOND, 'y'));
    expect(engine.observe(on('B', 19 * SECOND, 'x'))).toEqual([]);
    expect(engine.health().late).toEqual({ 'kill-chain': 1 });
    engine.observe(on('B', 31 * SECOND, 'x'));
    expect(engine.observe(on('C', 32 * SECOND, 'y'))).toEqual([]);
    expect(engine.observe(on('C', 33 * SECOND, 'x'))).toEqual([
      fired(['A@0', 'B@31000', 'C@33000'], 0, 33 * SECOND, 3, 'x'),
    ]);
  });

  it('a rule listed twice needs two occurrences', () => {
    const twice = correlation({ id: 'kill-chain', type: 'temporal_ordered', rules: ['A', 'B', 'A'], timespanMs: MINUTE });
    const engine = createCorrelationEngine([twice], limits());
    expect(engine.observe(signal('kill-chain', 'A', 0))).toEqual([]);
    expect(engine.observe(signal('kill-chain', 'B', 1))).toEqual([]);
    expect(engine.observe(signal('kill-chain', 'A', 2))).toEqual([
      firing({ correlation: 'kill-chain', windowStart: 0, time: 2, count: 3, value: 3, eventIds: ['A@0', 'B@1', 'A@2'] }),
    ]);
  });

  it('close-time lt: decided at window close on the longest in-order prefix', () => {
    const engine = createCorrelationEngine([chain('temporal_ordered', { lt: 3 })], limits());
    engine.observe(on('A', 0));
    engine.observe(on('C', 1));
    engine.observe(on('B', 2));
    expect(engine.flush()).toEqual([
      firing({
        correlation: 'kill-chain',
        group: { host: 'pc-1' },
        windowStart: 0,
        time: MINUTE,
        lastSeen: 2,
        count: 3,
        value: 2,
        eventIds: ['A@0', 'C@1', 'B@2'],
      }),
    ]);
  });
});
