// event_count and value_count: early firing at the crossing signal, inclusive window
// boundaries, consumption, out-of-order and late signals, interleaved groups, the
// close-time bounds decided by advance()/flush(), and the group and entry caps.
import { describe, expect, it } from 'vitest';
import { createCorrelationEngine } from '../../../detect/correlation/engine.ts';
import type { CorrelationCondition } from '../../../detect/correlation/contract.ts';
import { correlation, firing, limits, MINUTE, SECOND, signal } from './correlation-fixture.ts';

const failedLogins = (condition: CorrelationCondition, timespanMs = MINUTE) =>
  correlation({ id: 'brute', type: 'event_count', rules: ['failed'], groupBy: ['user'], timespanMs, condition });
const alice = { group: { user: 'alice' } };
const bob = { group: { user: 'bob' } };
const failed = (time: number, options = alice) => signal('brute', 'failed', time, options);

describe('event_count, early (gte)', () => {
  it('fires when the third event lands exactly one timespan after the first (windows are inclusive)', () => {
    const engine = createCorrelationEngine([failedLogins({ gte: 3 })], limits());
    expect(engine.observe(failed(0))).toEqual([]);
    expect(engine.observe(failed(30 * SECOND))).toEqual([]);
    expect(engine.observe(failed(MINUTE))).toEqual([
      firing({
        correlation: 'brute',
        group: { user: 'alice' },
        windowStart: 0,
        time: MINUTE,
        count: 3,
        value: 3,
        eventIds: ['failed@0', 'failed@30000', 'failed@60000'],
      }),
    ]);
  });

  it('does not fire when the third event is one millisecond past the timespan', () => {
    const engine = createCorrelationEngine([failedLogins({ gte: 3 })], limits());
    engine.observe(failed(0));
    engine.observe(failed(30 * SECOND));
    expect(engine.observe(failed(MINUTE + 1))).toEqual([]);
    // The window [1, 60001] now holds two entries; one more inside it fires with those three.
    expect(engine.observe(failed(MINUTE + 2))).toEqual([
      firing({
        correlation: 'brute',
        group: { user: 'alice' },
        windowStart: 30 * SECOND,
        time: MINUTE + 2,
        count: 3,
        value: 3,
        eventIds: ['failed@30000', 'failed@60001', 'failed@60002'],
      }),
    ]);
  });

  it('consumes the entries of a firing, so the next one needs a fresh crossing', () => {
    const engine = createCorrelationEngine([failedLogins({ gt: 1 })], limits());
    const results = [0, 1, 2, 3, 4].map((second) => engine.observe(failed(second * SECOND)));
    expect(results.map((firings) => firings.map((fired) => fired.eventIds))).toEqual([
      [],
      [['failed@0', 'failed@1000']],
      [],
      [['failed@2000', 'failed@3000']],
      [],
    ]);
  });

  it('applies an out-of-order signal within the lateness in time order', () => {
    const engine = createCorrelationEngine([failedLogins({ gte: 3 })], limits({ allowedLatenessMs: MINUTE }));
    engine.observe(failed(50 * SECOND));
    engine.observe(failed(100 * SECOND));
    // 45s arrives last, but 45s..100s is within a minute: it completes the window ending at 100s.
    expect(engine.observe(failed(45 * SECOND))).toEqual([
      firing({
        correlation: 'brute',
        group: { user: 'alice' },
        windowStart: 45 * SECOND,
        time: 100 * SECOND,
        count: 3,
        value: 3,
        eventIds: ['failed@45000', 'failed@50000', 'failed@100000'],
      }),
    ]);
    expect(engine.health().late).toEqual({});
  });

  it('does not let an out-of-order signal stretch a window past its timespan', () => {
    const engine = createCorrelationEngine([failedLogins({ gte: 3 })], limits({ allowedLatenessMs: 2 * MINUTE }));
    engine.observe(failed(0));
    engine.observe(failed(2 * MINUTE));
    expect(engine.observe(failed(MINUTE + 1))).toEqual([]);
    expect(engine.observe(failed(MINUTE))).toEqual([
      firing({
        correlation: 'brute',
        group: { user: 'alice' },
        windowStart: MINUTE,
        time: 2 * MINUTE,
        count: 3,
        value: 3,
        eventIds: ['failed@60000', 'failed@60001', 'failed@120000'],
      }),
    ]);
  });

  it('counts a signal older than the watermark as late and does not apply it', () => {
    const engine = createCorrelationEngine([failedLogins({ gte: 2 })], limits({ allowedLatenessMs: 5 * SECOND }));
    engine.observe(failed(100 * SECOND));
    expect(engine.observe(failed(94 * SECOND))).toEqual([]);
    expect(engine.health()).toMatchObject({
      watermark: 95 * SECOND,
      late: { brute: 1 },
      recentLate: [{ correlation: 'brute', eventId: 'failed@94000', time: 94 * SECOND, watermark: 95 * SECOND }],
    });
    // Exactly at the watermark is on time, and pairs with 100s.
    expect(engine.observe(failed(95 * SECOND))).toEqual([
      firing({
        correlation: 'brute',
        group: { user: 'alice' },
        windowStart: 95 * SECOND,
        time: 100 * SECOND,
        count: 2,
        value: 2,
        eventIds: ['failed@95000', 'failed@100000'],
      }),
    ]);
  });

  it('keeps interleaved groups apart', () => {
    const engine = createCorrelationEngine([failedLogins({ gte: 3 })], limits());
    const fired = [
      failed(0, alice),
      failed(1, bob),
      failed(2, alice),
      failed(3, bob),
      failed(4, alice),
      failed(5, { group: { user: 'carol' } }),
    ].flatMap((each) => engine.observe(each));
    expect(fired).toEqual([
      firing({
        correlation: 'brute',
        group: { user: 'alice' },
        windowStart: 0,
        time: 4,
        count: 3,
        value: 3,
        eventIds: ['failed@0', 'failed@2', 'failed@4'],
      }),
    ]);
    expect(engine.health().activeGroups).toBe(2);
  });

  it('drops a group once its entries can no longer be in a window, so memory follows activity', () => {
    const engine = createCorrelationEngine([failedLogins({ gte: 3 })], limits());
    engine.observe(failed(0, alice));
    engine.observe(failed(0, bob));
    expect(engine.health().activeGroups).toBe(2);
    expect(engine.advance(MINUTE)).toEqual([]);
    expect(engine.health().activeGroups).toBe(2);
    engine.advance(MINUTE + 1);
    expect(engine.health().activeGroups).toBe(0);
  });

  it('shares the unit and host only when every contributing event has them', () => {
    const engine = createCorrelationEngine([failedLogins({ gte: 2 })], limits());
    const other = { id: 'unit-007', name: 'Sở Tài chính' };
    engine.observe(signal('brute', 'failed', 0, { ...alice, host: { id: 'h1', name: 'pc-1' } }));
    const [fired] = engine.observe(signal('brute', 'failed', 1, { ...alice, organization: other, host: { id: 'h2' } }));
    expect(fired).toMatchObject({ organization: undefined, host: undefined, count: 2 });
  });

  it('caps the sample of event ids, oldest first', () => {
    const engine = createCorrelationEngine([failedLogins({ gte: 4 })], limits({ sampleSize: 2 }));
    const fired = [0, 1, 2, 3].flatMap((time) => engine.observe(failed(time)));
    expect(fired).toEqual([
      firing({
        correlation: 'brute',
        group: { user: 'alice' },
        windowStart: 0,
        time: 3,
        count: 4,
        value: 4,
        eventIds: ['failed@0', 'failed@1'],
      }),
    ]);
  });
});

describe('event_count, close-time', () => {
  const closeCase = (condition: CorrelationCondition, times: number[]) => {
    const engine = createCorrelationEngine([failedLogins(condition)], limits());
    for (const time of times) expect(engine.observe(failed(time))).toEqual([]);
    return engine;
  };
  const closed = (count: number, lastSeen: number, eventIds: string[]) =>
    firing({
      correlation: 'brute',
      group: { user: 'alice' },
      windowStart: 0,
      time: MINUTE,
      lastSeen,
      count,
      value: count,
      eventIds,
    });

  it('lt: decides only once the watermark is past the window end', () => {
    const engine = closeCase({ lt: 3 }, [0, 10 * SECOND]);
    expect(engine.advance(MINUTE)).toEqual([]);
    expect(engine.advance(MINUTE + 1)).toEqual([closed(2, 10 * SECOND, ['failed@0', 'failed@10000'])]);
    expect(engine.health().activeGroups).toBe(0);
  });

  it('lt: an entry exactly at the window end is counted in it', () => {
    const engine = closeCase({ lt: 3 }, [0, 10 * SECOND, MINUTE]);
    expect(engine.advance(10 * MINUTE)).toEqual([]);
  });

  it('lte: fires at the bound, and the next window starts at the next pending entry', () => {
    const engine = closeCase({ lte: 2 }, [0, 10 * SECOND]);
    // The signal at 60s+1 moves the watermark past the first window's end, which closes it.
    expect(engine.observe(failed(MINUTE + 1))).toEqual([closed(2, 10 * SECOND, ['failed@0', 'failed@10000'])]);
    expect(engine.observe(failed(MINUTE + 2))).toEqual([]);
    expect(engine.observe(failed(MINUTE + 3))).toEqual([]);
    // The second window (60s+1 .. 120s+1) holds three entries: more than two.
    expect(engine.advance(3 * MINUTE)).toEqual([]);
    expect(engine.health().activeGroups).toBe(0);
  });

  it('eq and neq', () => {
    const equal = closeCase({ eq: 1 }, [0]);
    expect(equal.advance(2 * MINUTE)).toEqual([closed(1, 0, ['failed@0'])]);
    const notEqual = closeCase({ neq: 1 }, [0]);
    expect(notEqual.advance(2 * MINUTE)).toEqual([]);
    const notEqualTwo = closeCase({ neq: 1 }, [0, 1]);
    expect(notEqualTwo.advance(2 * MINUTE)).toEqual([closed(2, 1, ['failed@0', 'failed@1'])]);
  });

  it('a range gt + lte fires only inside it', () => {
    const engine = createCorrelationEngine([failedLogins({ gt: 1, lte: 3 })], limits());
    // Window 1 (0..60s): 4 entries, too many. Window 2 (120s..180s): 2 entries. Window 3 (240s): 1, too few.
    const fired = [0, 1, 2, 3, 2 * MINUTE, 2 * MINUTE + 5, 4 * MINUTE].flatMap((time) => engine.observe(failed(time)));
    expect([...fired, ...engine.advance(10 * MINUTE)]).toEqual([
      firing({
        correlation: 'brute',
        group: { user: 'alice' },
        windowStart: 2 * MINUTE,
        time: 3 * MINUTE,
        lastSeen: 2 * MINUTE + 5,
        count: 2,
        value: 2,
        eventIds: ['failed@120000', 'failed@120005'],
      }),
    ]);
  });

  it('a newer signal moves event time and returns the windows it closes', () => {
    const engine = closeCase({ lt: 5 }, [0]);
    const [closedWindow, ...rest] = engine.observe(failed(MINUTE + 1, bob));
    expect(closedWindow).toEqual(closed(1, 0, ['failed@0']));
    expect(rest).toEqual([]);
  });

  it('advance returns firings in event-time order, ties by group key', () => {
    const engine = createCorrelationEngine([failedLogins({ lt: 5 })], limits({ allowedLatenessMs: SECOND }));
    engine.observe(failed(10, bob));
    engine.observe(failed(0, { group: { user: 'carol' } }));
    engine.observe(failed(10, alice));
    expect(engine.advance(MINUTE * 5).map((fired) => [fired.time, fired.group.user])).toEqual([
      [MINUTE, 'carol'],
      [MINUTE + 10, 'alice'],
      [MINUTE + 10, 'bob'],
    ]);
  });

  it('flush closes every open window whatever the watermark', () => {
    const engine = closeCase({ lt: 5 }, [0, 1]);
    expect(engine.flush()).toEqual([closed(2, 1, ['failed@0', 'failed@1'])]);
    expect(engine.health().activeGroups).toBe(0);
    expect(engine.flush()).toEqual([]);
  });

  it('applies an out-of-order signal that moves the window start earlier', () => {
    const engine = createCorrelationEngine([failedLogins({ lt: 5 })], limits({ allowedLatenessMs: MINUTE }));
    engine.observe(failed(30 * SECOND));
    engine.observe(failed(10 * SECOND));
    // Watermark 70s is past the window [10s, 70s]? No: it must be strictly past the end.
    expect(engine.advance(2 * MINUTE + 10 * SECOND)).toEqual([]);
    expect(engine.advance(2 * MINUTE + 10 * SECOND + 1)).toEqual([
      firing({
        correlation: 'brute',
        group: { user: 'alice' },
        windowStart: 10 * SECOND,
        time: 70 * SECOND,
        lastSeen: 30 * SECOND,
        count: 2,
        value: 2,
        eventIds: ['failed@10000', 'failed@30000'],
      }),
    ]);
  });
});

describe('caps', () => {
  it('refuses a group beyond maxGroupsPerRule and counts it', () => {
    const engine = createCorrelationEngine([failedLogins({ gte: 1 })], limits({ maxGroupsPerRule: 2 }));
    engine.observe(failed(0, { group: { user: 'a' } }));
    engine.observe(failed(0, { group: { user: 'b' } }));
    expect(engine.health().activeGroups).toBe(0); // gte 1 fires and consumes at once
    const closeTime = createCorrelationEngine([failedLogins({ lt: 5 })], limits({ maxGroupsPerRule: 2 }));
    for (const user of ['a', 'b', 'c', 'c']) closeTime.observe(failed(0, { group: { user } }));
    expect(closeTime.health()).toMatchObject({ activeGroups: 2, groupsRefused: { brute: 2 } });
    expect(closeTime.flush().map((fired) => fired.group.user)).toEqual(['a', 'b']);
  });

  it('drops the oldest entry beyond maxEntriesPerGroup and counts it', () => {
    const engine = createCorrelationEngine(
      [failedLogins({ lt: 10 })],
      limits({ maxEntriesPerGroup: 2, allowedLatenessMs: SECOND }),
    );
    for (const time of [0, 1, 2]) engine.observe(failed(time));
    // Older than every entry of the full group: it is the one dropped.
    engine.observe(failed(0));
    expect(engine.health().entriesDropped).toEqual({ brute: 2 });
    expect(engine.flush()).toEqual([
      firing({
        correlation: 'brute',
        group: { user: 'alice' },
        windowStart: 1,
        time: MINUTE + 1,
        lastSeen: 2,
        count: 2,
        value: 2,
        eventIds: ['failed@1', 'failed@2'],
      }),
    ]);
  });

  it('an early group at its entry cap still fires on the newest entries', () => {
    const engine = createCorrelationEngine([failedLogins({ gte: 3 })], limits({ maxEntriesPerGroup: 3 }));
    const fired = [0, 1, 2].flatMap((time) => engine.observe(failed(time)));
    expect(fired.map((each) => each.eventIds)).toEqual([['failed@0', 'failed@1', 'failed@2']]);
  });
});

describe('value_count', () => {
  const distinctUsers = (condition: CorrelationCondition) =>
    correlation({
      id: 'spray',
      type: 'value_count',
      rules: ['failed'],
      groupBy: ['source'],
      timespanMs: MINUTE,
      condition: { ...condition, field: 'user' },
    });
  const attempt = (time: number, user: string | undefined, source = '10.0.0.1') =>
    signal('spray', 'failed', time, { group: { source }, ...(user === undefined ? {} : { value: user }) });

  it('fires when the distinct values reach the bound, counting every contributing event', () => {
    const engine = createCorrelationEngine([distinctUsers({ gte: 3 })], limits());
    expect(engine.observe(attempt(0, 'a'))).toEqual([]);
    expect(engine.observe(attempt(1, 'a'))).toEqual([]);
    expect(engine.observe(attempt(2, undefined))).toEqual([]); // no value: skipped
    expect(engine.observe(attempt(3, 'b'))).toEqual([]);
    expect(engine.observe(attempt(MINUTE, 'c'))).toEqual([
      firing({
        correlation: 'spray',
        group: { source: '10.0.0.1' },
        windowStart: 0,
        time: MINUTE,
        count: 4,
        value: 3,
        eventIds: ['failed@0', 'failed@1', 'failed@3', 'failed@60000'],
      }),
    ]);
  });

  it('slides old values out of the window', () => {
    const engine = createCorrelationEngine([distinctUsers({ gte: 3 })], limits());
    engine.observe(attempt(0, 'a'));
    engine.observe(attempt(10, 'b'));
    engine.observe(attempt(MINUTE + 5, 'b'));
    expect(engine.observe(attempt(MINUTE + 11, 'c'))).toEqual([]); // a and the first b slid out: b, c
    expect(engine.observe(attempt(MINUTE + 12, 'd'))).toEqual([
      firing({
        correlation: 'spray',
        group: { source: '10.0.0.1' },
        windowStart: MINUTE + 5,
        time: MINUTE + 12,
        count: 3,
        value: 3,
        eventIds: ['failed@60005', 'failed@60011', 'failed@60012'],
      }),
    ]);
  });

  it('applies an out-of-order value, and refuses a late one', () => {
    const engine = createCorrelationEngine([distinctUsers({ gte: 3 })], limits({ allowedLatenessMs: 10 * SECOND }));
    engine.observe(attempt(20 * SECOND, 'a'));
    engine.observe(attempt(30 * SECOND, 'b'));
    expect(engine.observe(attempt(19 * SECOND, 'c'))).toEqual([]); // late: watermark 20s
    expect(engine.health().late).toEqual({ spray: 1 });
    expect(engine.observe(attempt(25 * SECOND, 'c'))).toEqual([
      firing({
        correlation: 'spray',
        group: { source: '10.0.0.1' },
        windowStart: 20 * SECOND,
        time: 30 * SECOND,
        count: 3,
        value: 3,
        eventIds: ['failed@20000', 'failed@25000', 'failed@30000'],
      }),
    ]);
  });

  it('close-time lt: a source that touched few users in its window', () => {
    const engine = createCorrelationEngine([distinctUsers({ lt: 2 })], limits());
    engine.observe(attempt(0, 'a', 'x'));
    engine.observe(attempt(1, 'a', 'x'));
    engine.observe(attempt(2, 'a', 'y'));
    engine.observe(attempt(3, 'b', 'y'));
    expect(engine.advance(MINUTE)).toEqual([]);
    expect(engine.advance(MINUTE + 1)).toEqual([
      firing({
        correlation: 'spray',
        group: { source: 'x' },
        windowStart: 0,
        time: MINUTE,
        lastSeen: 1,
        count: 2,
        value: 1,
        eventIds: ['failed@0', 'failed@1'],
      }),
    ]);
    expect(engine.advance(10 * MINUTE)).toEqual([]);
  });
});
