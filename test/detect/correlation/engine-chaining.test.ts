// Correlations over correlations: an inner firing becomes a signal of each outer
// correlation that references it, with a deterministic event id and its group read
// through the outer rule's field mapping; chained firings follow their cause.
import { describe, expect, it } from 'vitest';
import { createCorrelationEngine } from '../../../detect/correlation/engine.ts';
import { correlation, firing, limits, MINUTE, SECOND, signal } from './correlation-fixture.ts';

const brute = correlation({
  id: 'brute',
  type: 'event_count',
  rules: ['failed'],
  groupBy: ['user'],
  timespanMs: MINUTE,
  condition: { gte: 3 },
});
const failed = (time: number, user = 'alice') => signal('brute', 'failed', time, { group: { user } });
const bruteFiring = (first: number, user = 'alice') =>
  firing({
    correlation: 'brute',
    group: { user },
    windowStart: first,
    time: first + 2,
    count: 3,
    value: 3,
    eventIds: [`failed@${first}`, `failed@${first + 1}`, `failed@${first + 2}`],
  });

describe('chaining', () => {
  it('event_count over event_count: the outer rule fires after the inner firing that completes it', () => {
    const bursts = correlation({
      id: 'bursts',
      type: 'event_count',
      rules: ['brute'],
      groupBy: ['account'],
      fields: { brute: { account: ['user'] } },
      timespanMs: 10 * MINUTE,
      condition: { gte: 2 },
    });
    const engine = createCorrelationEngine([brute, bursts], limits());
    const batches = [0, 1, 2, 10, 11, 12].map((time) => engine.observe(failed(time)));
    expect(batches[2]).toEqual([bruteFiring(0)]);
    expect(batches[5]).toEqual([
      bruteFiring(10),
      firing({
        correlation: 'bursts',
        group: { account: 'alice' },
        windowStart: 2,
        time: 12,
        count: 2,
        value: 2,
        eventIds: ['corr:brute:["alice"]:0', 'corr:brute:["alice"]:10'],
      }),
    ]);
  });

  it('temporal_ordered over a correlation: a brute force, then a successful login', () => {
    const takeover = correlation({
      id: 'takeover',
      type: 'temporal_ordered',
      rules: ['brute', 'success'],
      groupBy: ['account'],
      fields: { brute: { account: ['user'] }, success: { account: ['user.name'] } },
      timespanMs: 5 * MINUTE,
    });
    const engine = createCorrelationEngine([brute, takeover], limits());
    const login = (time: number) => signal('takeover', 'success', time, { group: { account: 'alice' } });
    expect(engine.observe(login(0))).toEqual([]); // success before the brute force: not in order
    [SECOND, SECOND + 1].forEach((time) => engine.observe(failed(time)));
    expect(engine.observe(failed(SECOND + 2))).toEqual([bruteFiring(SECOND)]);
    expect(engine.observe(login(2 * SECOND))).toEqual([
      firing({
        correlation: 'takeover',
        group: { account: 'alice' },
        windowStart: 0,
        time: 2 * SECOND,
        count: 3,
        value: 2,
        eventIds: ['success@0', 'corr:brute:["alice"]:1000', 'success@2000'],
      }),
    ]);
  });

  it('a close-time inner firing feeds the outer rule during advance, in event-time order', () => {
    const quiet = correlation({
      id: 'quiet',
      type: 'event_count',
      rules: ['heartbeat'],
      groupBy: ['host'],
      timespanMs: MINUTE,
      condition: { lt: 2 },
    });
    const flapping = correlation({
      id: 'flapping',
      type: 'event_count',
      rules: ['quiet'],
      groupBy: ['host'],
      timespanMs: 10 * MINUTE,
      condition: { gte: 2 },
    });
    const engine = createCorrelationEngine([quiet, flapping], limits());
    const beat = (time: number, hostName: string) => signal('quiet', 'heartbeat', time, { group: { host: hostName } });
    engine.observe(beat(0, 'x'));
    engine.observe(beat(0, 'y'));
    engine.observe(beat(SECOND, 'y'));
    const quietFiring = (windowStart: number) =>
      firing({
        correlation: 'quiet',
        group: { host: 'x' },
        windowStart,
        time: windowStart + MINUTE,
        lastSeen: windowStart,
        count: 1,
        value: 1,
        eventIds: [`heartbeat@${windowStart}`],
      });
    expect(engine.observe(beat(2 * MINUTE, 'x'))).toEqual([quietFiring(0)]);
    expect(engine.advance(4 * MINUTE)).toEqual([
      quietFiring(2 * MINUTE),
      firing({
        correlation: 'flapping',
        group: { host: 'x' },
        windowStart: MINUTE,
        time: 3 * MINUTE,
        count: 2,
        value: 2,
        eventIds: ['corr:quiet:["x"]:0', 'corr:quiet:["x"]:120000'],
      }),
    ]);
  });

  it('does not feed the outer rule when the inner firing lacks a group value it needs', () => {
    const needsHost = correlation({
      id: 'needs-host',
      type: 'event_count',
      rules: ['brute'],
      groupBy: ['host'],
      fields: { brute: { host: ['host.name'] } },
      timespanMs: MINUTE,
      condition: { gte: 1 },
    });
    const engine = createCorrelationEngine([brute, needsHost], limits());
    [0, 1].forEach((time) => engine.observe(failed(time)));
    expect(engine.observe(failed(2))).toEqual([bruteFiring(0)]);
    expect(engine.health().activeGroups).toBe(0);
  });

  it('carries no unit into the outer firing when the inner one spanned several', () => {
    const outer = correlation({
      id: 'outer',
      type: 'event_count',
      rules: ['brute'],
      groupBy: ['user'],
      timespanMs: MINUTE,
      condition: { gte: 1 },
    });
    const engine = createCorrelationEngine([brute, outer], limits());
    engine.observe(failed(0));
    engine.observe(signal('brute', 'failed', 1, { group: { user: 'alice' }, organization: { id: 'u2', name: 'Two' } }));
    const [inner, chained] = engine.observe(failed(2));
    expect(inner).toMatchObject({ correlation: 'brute', organization: undefined });
    expect(chained).toMatchObject({ correlation: 'outer', group: { user: 'alice' }, organization: undefined });
  });
});
