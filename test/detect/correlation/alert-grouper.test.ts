// Alert grouping as an analyst sees it: repeats of a rule on one PC within the window
// are one alert with a count, first and last seen and a sample of events; a repeat
// after the window, another PC, rule or unit is another alert; a province-wide
// correlation belongs to all units; a restart in the middle changes nothing.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { alertSchema, type Alert } from '../../../core/schemas/alert.ts';
import type { SecurityEvent } from '../../../core/schemas/event.ts';
import { matchGroup, type RuleMetadata } from '../../../detect/alert-from-match.ts';
import {
  ALL_UNITS_ORGANIZATION,
  createAlertGrouper,
  occurrenceFromFiring,
  occurrenceFromMatch as occurrenceFromRecord,
  type Occurrence,
} from '../../../detect/correlation/alert-grouper.ts';
import { hostOf } from '../../../detect/correlation/signals-from-match.ts';
import type { CorrelationFiring } from '../../../detect/correlation/contract.ts';
import { securityEvent } from '../security-event-fixture.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const mimikatz: RuleMetadata = {
  id: 'b2ca446d-7856-4667-b221-cdceb8dfe7d7',
  title: 'Credential Dumping Tool Detected',
  level: 'high',
  tags: ['attack.credential-access', 'attack.t1003.001'],
};
const eicar: RuleMetadata = { id: 'eicar-test-file', title: 'EICAR test file', level: 'low', tags: [] };
const bruteForce: RuleMetadata = {
  id: 'brute-force-then-login',
  title: 'Password guessing across units',
  level: 'critical',
  tags: ['attack.credential-access', 'attack.t1110'],
};

const tanPhu = { id: 'unit-117', name: 'UBND xã Tân Phú' };
const soYTe = { id: 'unit-042', name: 'Sở Y tế' };
const t0 = Date.parse('2026-11-23T02:00:00.000Z');

function detection(id: string, time: number, host: Record<string, unknown> = { id: 'a1b2c3', name: 'tanphu-pc-04' }, organization = tanPhu): SecurityEvent {
  return securityEvent({
    '@timestamp': new Date(time).toISOString(),
    event: { id, category: ['malware'] },
    organization,
    host,
  });
}

const at = (ms: number) => new Date(ms);

/** The occurrence of `rule` matching `event`, through the match record detect would send. */
function occurrenceFromMatch(rule: RuleMetadata, event: SecurityEvent): Occurrence {
  const host = hostOf(event);
  return occurrenceFromRecord(rule, {
    kind: 'match',
    src: { p: 0, o: 0, i: 0 },
    rule: rule.id,
    time: Date.parse(event['@timestamp']),
    eventId: event.event.id,
    organization: event.organization,
    ...(host === undefined ? {} : { host }),
    alert: matchGroup(event),
    correlations: [],
  });
}
const groupId = (ruleId: string, key: string, firstEventId: string) =>
  createHash('sha256').update(`group|${ruleId}|${key}|${firstEventId}`).digest('hex').slice(0, 32);

function firing(partial: Partial<CorrelationFiring>): CorrelationFiring {
  return {
    correlation: bruteForce.id,
    group: { 'user.name': 'admin' },
    windowStart: t0,
    time: t0 + 5 * MINUTE,
    firstSeen: t0,
    lastSeen: t0 + 5 * MINUTE,
    count: 12,
    value: 12,
    eventIds: ['fw-1', 'fw-2', 'fw-3'],
    organization: tanPhu,
    host: { id: 'fw-tanphu' },
    ...partial,
  };
}

describe('alert grouper: repeats of one rule on one PC', () => {
  it('updates one alert within the window: count, first and last seen, the events behind it', () => {
    const grouper = createAlertGrouper({ windowMs: HOUR });
    const first = grouper.add(occurrenceFromMatch(mimikatz, detection('evt-1', t0)), at(t0 + 1000));
    grouper.add(occurrenceFromMatch(mimikatz, detection('evt-2', t0 + 10 * MINUTE)), at(t0 + 10 * MINUTE + 1000));
    const third = grouper.add(occurrenceFromMatch(mimikatz, detection('evt-3', t0 + 59 * MINUTE)), at(t0 + 59 * MINUTE + 1000));

    expect(alertSchema.parse(third)).toEqual(third);
    expect(third.id).toBe(first.id);
    expect(third.id).toBe(groupId(mimikatz.id, '[["host.id","a1b2c3"],["organization.id","unit-117"]]', 'evt-1'));
    expect(third).toEqual({
      id: first.id,
      rule: { ...mimikatz, kind: 'match' },
      severity: 'high',
      status: 'new',
      assignee: null,
      organization: tanPhu,
      host: { id: 'a1b2c3', name: 'tanphu-pc-04' },
      group: { 'organization.id': 'unit-117', 'host.id': 'a1b2c3' },
      first_seen: '2026-11-23T02:00:00.000Z',
      last_seen: '2026-11-23T02:59:00.000Z',
      count: 3,
      event_ids: ['evt-1', 'evt-2', 'evt-3'],
      attack: { tactics: ['credential-access'], techniques: ['T1003.001'] },
      notes: [],
      history: [],
      created: '2026-11-23T02:00:01.000Z',
      updated: '2026-11-23T02:59:01.000Z',
    });
    expect(grouper.size).toBe(1);
  });

  it('keeps a capped sample: the first events and the most recent ones', () => {
    const grouper = createAlertGrouper({ windowMs: HOUR, sampleSize: 4 });
    let alert: Alert | undefined;
    for (let i = 1; i <= 10; i += 1) {
      alert = grouper.add(occurrenceFromMatch(eicar, detection(`evt-${i}`, t0 + i * MINUTE)), at(t0 + i * MINUTE));
    }
    expect(alert).toMatchObject({ count: 10, event_ids: ['evt-1', 'evt-2', 'evt-9', 'evt-10'] });
    expect(alert?.first_seen).toBe('2026-11-23T02:01:00.000Z');
    expect(alert?.last_seen).toBe('2026-11-23T02:10:00.000Z');
  });

  it('never keeps more than ALERT_EVENT_SAMPLE_CAP event ids', () => {
    const grouper = createAlertGrouper({ windowMs: HOUR, sampleSize: 1_000 });
    let alert: Alert | undefined;
    for (let i = 0; i < 250; i += 1) alert = grouper.add(occurrenceFromMatch(eicar, detection(`evt-${i}`, t0 + i)), at(t0));
    expect(alert?.count).toBe(250);
    expect(alert?.event_ids).toHaveLength(100);
    expect(alert?.event_ids.slice(0, 2)).toEqual(['evt-0', 'evt-1']);
    expect(alert?.event_ids.at(-1)).toBe('evt-249');
  });

  it('starts a new alert, named by its own first event, once the window has passed', () => {
    const grouper = createAlertGrouper({ windowMs: HOUR });
    const first = grouper.add(occurrenceFromMatch(mimikatz, detection('evt-1', t0)), at(t0));
    grouper.add(occurrenceFromMatch(mimikatz, detection('evt-2', t0 + 30 * MINUTE)), at(t0 + 30 * MINUTE));
    const next = grouper.add(occurrenceFromMatch(mimikatz, detection('evt-3', t0 + HOUR)), at(t0 + HOUR));
    const after = grouper.add(occurrenceFromMatch(mimikatz, detection('evt-4', t0 + HOUR + MINUTE)), at(t0 + HOUR + MINUTE));

    expect(next.id).not.toBe(first.id);
    expect(next.id).toBe(groupId(mimikatz.id, '[["host.id","a1b2c3"],["organization.id","unit-117"]]', 'evt-3'));
    expect(after).toMatchObject({ id: next.id, count: 2, event_ids: ['evt-3', 'evt-4'], created: '2026-11-23T03:00:00.000Z' });
    expect(after.first_seen).toBe('2026-11-23T03:00:00.000Z');
  });

  it('keeps different PCs, rules and units apart', () => {
    const grouper = createAlertGrouper({ windowMs: HOUR });
    const ids = new Set([
      grouper.add(occurrenceFromMatch(mimikatz, detection('evt-1', t0)), at(t0)).id,
      grouper.add(occurrenceFromMatch(mimikatz, detection('evt-2', t0, { id: 'd4e5f6', name: 'tanphu-pc-05' })), at(t0)).id,
      grouper.add(occurrenceFromMatch(eicar, detection('evt-3', t0)), at(t0)).id,
      grouper.add(occurrenceFromMatch(mimikatz, detection('evt-4', t0, { id: 'a1b2c3', name: 'yte-pc-01' }, soYTe)), at(t0)).id,
    ]);
    expect(ids.size).toBe(4);
    expect(grouper.size).toBe(4);
  });

  it('groups PCs without a host id by name, and network sensors by source address', () => {
    const grouper = createAlertGrouper({ windowMs: HOUR });
    const byName = (id: string) => securityEvent({ '@timestamp': new Date(t0).toISOString(), event: { id }, organization: tanPhu, host: { hostname: 'tanphu-pc-09' } });
    const bySource = (id: string, ip: string) =>
      securityEvent({ '@timestamp': new Date(t0).toISOString(), event: { id }, organization: tanPhu, host: undefined, source: { ip } });

    grouper.add(occurrenceFromMatch(eicar, byName('n-1')), at(t0));
    const named = grouper.add(occurrenceFromMatch(eicar, byName('n-2')), at(t0));
    expect(named).toMatchObject({ count: 2, host: { name: 'tanphu-pc-09' }, group: { 'organization.id': 'unit-117', 'host.name': 'tanphu-pc-09' } });

    grouper.add(occurrenceFromMatch(eicar, bySource('s-1', '10.17.0.5')), at(t0));
    const sameSource = grouper.add(occurrenceFromMatch(eicar, bySource('s-2', '10.17.0.5')), at(t0));
    const otherSource = grouper.add(occurrenceFromMatch(eicar, bySource('s-3', '10.17.0.6')), at(t0));
    expect(sameSource).toMatchObject({ count: 2, host: {}, group: { 'organization.id': 'unit-117', 'source.ip': '10.17.0.5' } });
    expect(otherSource.count).toBe(1);
    expect(grouper.size).toBe(3);
  });

  it('gives the same alerts, id for id and field for field, when the same occurrences are replayed', () => {
    const run = () => {
      const grouper = createAlertGrouper({ windowMs: HOUR, sampleSize: 3 });
      return [0, 20, 50, 70, 90].map((m, i) => grouper.add(occurrenceFromMatch(mimikatz, detection(`r-${i}`, t0 + m * MINUTE)), at(t0 + m * MINUTE)));
    };
    expect(run()).toEqual(run());
  });
});

describe('alert grouper: correlation firings', () => {
  it('updates one correlation alert per group, summing counts and sampling each event once', () => {
    const grouper = createAlertGrouper({ windowMs: HOUR });
    const first = grouper.add(occurrenceFromFiring(bruteForce, firing({})), at(t0 + 5 * MINUTE));
    const second = grouper.add(
      occurrenceFromFiring(bruteForce, firing({ time: t0 + 20 * MINUTE, firstSeen: t0 + 2 * MINUTE, lastSeen: t0 + 20 * MINUTE, count: 7, eventIds: ['fw-3', 'fw-4'] })),
      at(t0 + 20 * MINUTE),
    );
    expect(alertSchema.safeParse(second).success).toBe(true);
    expect(second).toMatchObject({
      id: first.id,
      rule: { id: bruteForce.id, kind: 'correlation', level: 'critical' },
      severity: 'critical',
      organization: tanPhu,
      host: { id: 'fw-tanphu' },
      group: { 'user.name': 'admin' },
      count: 19,
      event_ids: ['fw-1', 'fw-2', 'fw-3', 'fw-4'],
      first_seen: '2026-11-23T02:00:00.000Z',
      last_seen: '2026-11-23T02:20:00.000Z',
      attack: { tactics: ['credential-access'], techniques: ['T1110'] },
    });
    expect(first.id).toBe(groupId(bruteForce.id, '[["user.name","admin"]]', 'fw-1'));
  });

  it('files a firing across several units under all units, kept from unit officers', () => {
    const grouper = createAlertGrouper({ windowMs: HOUR });
    const alert = grouper.add(occurrenceFromFiring(bruteForce, firing({ organization: undefined, host: undefined })), at(t0));
    expect(ALL_UNITS_ORGANIZATION).toEqual({ id: '*', name: 'All units' });
    expect(alert.organization).toEqual(ALL_UNITS_ORGANIZATION);
    expect(alert.host).toEqual({});
  });

  it('widens an alert to all units, and drops its machine, once firings from another unit or machine join it', () => {
    const grouper = createAlertGrouper({ windowMs: HOUR });
    grouper.add(occurrenceFromFiring(bruteForce, firing({})), at(t0));
    const otherHost = grouper.add(occurrenceFromFiring(bruteForce, firing({ eventIds: ['fw-9'], host: { id: 'fw-tanphu-2' } })), at(t0));
    expect(otherHost).toMatchObject({ organization: tanPhu, host: {} });
    const otherUnit = grouper.add(occurrenceFromFiring(bruteForce, firing({ eventIds: ['yt-1'], organization: soYTe, host: { id: 'fw-tanphu' } })), at(t0));
    expect(otherUnit).toMatchObject({ organization: ALL_UNITS_ORGANIZATION, host: {}, count: 36 });
    const backHome = grouper.add(occurrenceFromFiring(bruteForce, firing({ eventIds: ['fw-10'] })), at(t0));
    expect(backHome.organization).toEqual(ALL_UNITS_ORGANIZATION);
  });
});

describe('alert grouper: memory and restarts', () => {
  it('forgets groups a window after their window ended', () => {
    const grouper = createAlertGrouper({ windowMs: HOUR });
    grouper.add(occurrenceFromMatch(mimikatz, detection('evt-1', t0)), at(t0));
    grouper.add(occurrenceFromMatch(eicar, detection('evt-2', t0 + HOUR)), at(t0 + HOUR));
    grouper.advance(t0 + 2 * HOUR);
    expect(grouper.size).toBe(2);
    grouper.advance(t0 + 2 * HOUR + 1);
    expect(grouper.size).toBe(1);
    const changes = grouper.takeChanges().groups;
    expect(changes.filter(([, state]) => state === null)).toHaveLength(1);
  });

  it('continues after a restore exactly as an uninterrupted run', () => {
    const stream: Occurrence[] = [];
    for (let i = 0; i < 40; i += 1) {
      const host = { id: `pc-${i % 3}`, name: `tanphu-pc-${i % 3}` };
      const rule = i % 4 === 0 ? eicar : mimikatz;
      stream.push(occurrenceFromMatch(rule, detection(`e-${i}`, t0 + i * 7 * MINUTE, host)));
      if (i % 10 === 5) stream.push(occurrenceFromFiring(bruteForce, firing({ time: t0 + i * 7 * MINUTE, eventIds: [`f-${i}`], organization: undefined })));
    }
    const apply = (grouper: ReturnType<typeof createAlertGrouper>, occurrences: Occurrence[]) =>
      occurrences.map((occurrence) => {
        const now = at(occurrence.time + 500);
        const alert = grouper.add(occurrence, now);
        grouper.advance(occurrence.time);
        return alert;
      });

    const uninterrupted = createAlertGrouper({ windowMs: HOUR, sampleSize: 5 });
    const expected = apply(uninterrupted, stream);

    const before = createAlertGrouper({ windowMs: HOUR, sampleSize: 5 });
    const saved = new Map<string, unknown>();
    const save = () => {
      for (const [key, state] of before.takeChanges().groups) {
        if (state === null) saved.delete(key);
        else saved.set(key, JSON.parse(JSON.stringify(state)));
      }
    };
    const half = 23;
    apply(before, stream.slice(0, 10));
    save();
    apply(before, stream.slice(10, half));
    save();

    const after = createAlertGrouper({ windowMs: HOUR, sampleSize: 5 });
    after.restore(saved);
    expect(after.size).toBe(before.size);
    const resumed = apply(after, stream.slice(half));
    expect(resumed).toEqual(expected.slice(half));
    expect(new Set(expected.map((alert) => alert.id)).size).toBeGreaterThan(5);
  });

  it('refuses a state that is not one it wrote', () => {
    const grouper = createAlertGrouper({ windowMs: HOUR });
    expect(() => grouper.restore([['x', { id: 'a' }]])).toThrow();
  });
});
