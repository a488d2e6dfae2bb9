// The event-time clock: the watermark, late signals (counted, listed newest first, never
// applied), advance() that never goes back, and what the engine ignores.
import { describe, expect, it } from 'vitest';
import { createCorrelationEngine } from '../../../detect/correlation/engine.ts';
import { correlation, limits, MINUTE, SECOND, signal } from './correlation-fixture.ts';

const counting = correlation({ id: 'count', type: 'event_count', rules: ['r'], timespanMs: MINUTE, condition: { lt: 100 } });
const other = correlation({ id: 'other', type: 'event_count', rules: ['r'], timespanMs: MINUTE, condition: { lt: 100 } });

describe('event-time clock', () => {
  it('has no watermark before the first signal, then maxTime minus the lateness', () => {
    const engine = createCorrelationEngine([counting], limits({ allowedLatenessMs: 5 * SECOND }));
    expect(engine.health()).toEqual({
      watermark: null,
      activeGroups: 0,
      late: {},
      groupsRefused: {},
      entriesDropped: {},
      recentLate: [],
    });
    engine.observe(signal('count', 'r', 10 * SECOND));
    engine.observe(signal('count', 'r', 8 * SECOND)); // out of order: does not move time back
    expect(engine.health().watermark).toBe(5 * SECOND);
    engine.advance(20 * SECOND);
    engine.advance(15 * SECOND); // never back
    expect(engine.health().watermark).toBe(15 * SECOND);
  });

  it('lists at most 50 late signals, newest first, and counts them all per correlation', () => {
    const engine = createCorrelationEngine([counting, other], limits());
    engine.advance(MINUTE);
    for (let index = 0; index < 60; index++) engine.observe(signal(index % 2 ? 'other' : 'count', 'r', index));
    const health = engine.health();
    expect(health.late).toEqual({ count: 30, other: 30 });
    expect(health.recentLate).toHaveLength(50);
    expect(health.recentLate[0]).toEqual({ correlation: 'other', eventId: 'r@59', time: 59, watermark: MINUTE });
    expect(health.recentLate[49]).toEqual({ correlation: 'count', eventId: 'r@10', time: 10, watermark: MINUTE });
    expect(health.activeGroups).toBe(0);
  });

  it('ignores signals for unknown correlations and rules the correlation does not reference', () => {
    const engine = createCorrelationEngine([counting], limits());
    expect(engine.observe(signal('nobody', 'r', 10 * MINUTE))).toEqual([]);
    expect(engine.health().watermark).toBeNull(); // not even the clock moves
    expect(engine.observe(signal('count', 'unrelated', 0))).toEqual([]);
    expect(engine.health()).toMatchObject({ watermark: 0, activeGroups: 0, late: {} });
  });

  it('orders the firings of one advance by time, then correlation order (inner first), then group key', () => {
    const engine = createCorrelationEngine([other, counting], limits({ allowedLatenessMs: MINUTE }));
    engine.observe(signal('count', 'r', 5));
    engine.observe(signal('other', 'r', 5));
    engine.observe(signal('other', 'r', 0, { group: {} }));
    expect(engine.advance(10 * MINUTE).map((fired) => [fired.time, fired.correlation])).toEqual([
      [MINUTE, 'other'],
      [MINUTE + 5, 'count'],
    ]);
    engine.observe(signal('count', 'r', 20 * MINUTE));
    engine.observe(signal('other', 'r', 20 * MINUTE));
    // Same time: 'other' is listed first, whatever the ids' alphabetical order.
    expect(engine.flush().map((fired) => [fired.time, fired.correlation])).toEqual([
      [21 * MINUTE, 'other'],
      [21 * MINUTE, 'count'],
    ]);
  });
});
