// Silent sources as an analyst sees them: office PCs in Vietnam (UTC+7) that send
// from 9:00 to 17:00 on working days are not reported at night or at weekends, but are
// when they stop during office hours; a unit going dark is one alert; speaking again
// ends an episode; nothing is reported before anything was learned; a restart in the
// middle changes nothing; an agent that says it is alive (heartbeats) while it has
// nothing to send is quiet, not silent, and its heartbeats teach no hours. Event time is
// driven in 15-minute steps, as batches would.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { alertSchema, type Alert } from '../../../core/schemas/alert.ts';
import {
  createSilenceMonitor,
  type SilenceActivity,
  type SilenceMonitor,
  type SilenceOptions,
} from '../../../detect/correlation/silence-monitor.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const STEP = 15 * MINUTE;

const tanPhu = { id: 'unit-117', name: 'UBND xã Tân Phú' };

/** Epoch ms of a Vietnam local time. 2026-11-02 is a Monday. */
const local = (date: string, time = '00:00') => Date.parse(`${date}T${time}:00+07:00`);
const iso = (date: string, time: string) => new Date(local(date, time)).toISOString();

function pc(agent: string, time: number): SilenceActivity {
  return { time, organization: tanPhu, agent, host: { id: `host-${agent}`, name: `tanphu-${agent}` }, count: 3 };
}

/** Whether an office PC is on at `time`: Monday to Friday, 9:00 to 17:00 local. */
function officeHours(time: number): boolean {
  const shifted = new Date(time + 7 * HOUR);
  const weekday = shifted.getUTCDay();
  const minutes = shifted.getUTCHours() * 60 + shifted.getUTCMinutes();
  return weekday >= 1 && weekday <= 5 && minutes >= 9 * 60 && minutes <= 17 * 60;
}

type Schedule = (agent: string, time: number) => boolean;
const office: Schedule = (_agent, time) => officeHours(time);

/** Steps event time from `from` to `to`: each step, the PCs on send, then time advances. */
function drive(monitor: SilenceMonitor, from: number, to: number, on: Schedule, agents = ['pc-1', 'pc-2']): Alert[] {
  const alerts: Alert[] = [];
  for (let time = from; time <= to; time += STEP) {
    for (const agent of agents) if (on(agent, time)) monitor.observe(pc(agent, time));
    alerts.push(...monitor.advance(time));
  }
  return alerts;
}

const silenceId = (kind: string, id: string, lastSeen: string) =>
  createHash('sha256').update(`silence|${kind}|${id}|${lastSeen}`).digest('hex').slice(0, 32);

/** Two office PCs of one unit, learned over two working weeks, up to Monday 2026-11-16 00:00. */
function learnedOffice(options: Partial<SilenceOptions> = {}): SilenceMonitor {
  const monitor = createSilenceMonitor(options);
  expect(drive(monitor, local('2026-11-02'), local('2026-11-16') - STEP, office)).toEqual([]);
  return monitor;
}

/** pc-1 is off from `stop` on (or between `stop` and `back`); pc-2 keeps office hours. */
const pc1Stops =
  (stop: number, back = Infinity, again = Infinity): Schedule =>
  (agent, time) =>
    officeHours(time) && (agent !== 'pc-1' || time <= stop || (time >= back && time <= again));

describe('silence monitor: office PCs', () => {
  it('reports nothing for nights and weekends an office PC is normally off', () => {
    const monitor = learnedOffice();
    // A third working week and its weekend: both PCs keep their usual hours.
    expect(drive(monitor, local('2026-11-16'), local('2026-11-23', '08:45'), office)).toEqual([]);
    expect(monitor.silent()).toEqual([]);
  });

  it('reports a PC that stops at 10:00 on a working day, once it has been silent for two office hours', () => {
    const monitor = learnedOffice();
    const stop = local('2026-11-18', '10:00'); // a Wednesday
    const alerts = drive(monitor, local('2026-11-16'), local('2026-11-19') - STEP, pc1Stops(stop));
    expect(alerts).toHaveLength(1);
    const [alert] = alerts;
    expect(alertSchema.parse(alert)).toEqual(alert);
    expect(alert).toEqual({
      id: silenceId('agent', 'pc-1', iso('2026-11-18', '10:00')),
      rule: {
        id: 'vigil-silent-agent',
        title: 'Agent went silent',
        level: 'medium',
        tags: ['attack.defense-evasion', 'attack.t1562.001'],
        kind: 'correlation',
      },
      severity: 'medium',
      status: 'new',
      assignee: null,
      organization: tanPhu,
      host: { id: 'host-pc-1', name: 'tanphu-pc-1' },
      group: { 'organization.id': 'unit-117', 'agent.id': 'pc-1' },
      first_seen: iso('2026-11-18', '10:00'),
      last_seen: iso('2026-11-18', '12:00'),
      count: 1,
      event_ids: [],
      attack: { tactics: ['defense-evasion'], techniques: ['T1562.001'] },
      notes: [],
      history: [],
      created: iso('2026-11-18', '12:00'),
      updated: iso('2026-11-18', '12:00'),
    });
    expect(monitor.silent()).toEqual([{ kind: 'agent', id: 'pc-1', unit: 'unit-117', lastSeen: iso('2026-11-18', '10:00') }]);
  });

  it('reports a PC that does not come on on a Monday morning, not over the weekend before', () => {
    const monitor = learnedOffice();
    const notMonday: Schedule = (agent, time) => officeHours(time) && (agent !== 'pc-1' || time < local('2026-11-16'));
    const alerts = drive(monitor, local('2026-11-16'), local('2026-11-16', '23:45'), notMonday);
    expect(alerts.map((a) => [a.rule.id, a.group['agent.id'], a.first_seen, a.last_seen])).toEqual([
      // 9:00 is when PCs come on, not an hour they are on through: the silence counts from 10:00.
      ['vigil-silent-agent', 'pc-1', iso('2026-11-13', '17:00'), iso('2026-11-16', '12:00')],
    ]);
  });

  it('reports a silence at the time it began to count when event time jumps past it', () => {
    const monitor = learnedOffice();
    const stop = local('2026-11-18', '10:00');
    drive(monitor, local('2026-11-16'), stop, office);
    // pc-2 keeps sending, but event time is not advanced until the evening.
    for (let time = stop + STEP; time <= local('2026-11-18', '17:00'); time += STEP) monitor.observe(pc('pc-2', time));
    const late = monitor.advance(local('2026-11-18', '20:00'));
    expect(late.map((a) => [a.group['agent.id'], a.first_seen, a.last_seen, a.created])).toEqual([
      ['pc-1', iso('2026-11-18', '10:00'), iso('2026-11-18', '12:00'), iso('2026-11-18', '20:00')],
    ]);
  });

  it('ends an episode when the PC speaks again, and makes a later silence a new alert', () => {
    const monitor = learnedOffice();
    const schedule = pc1Stops(local('2026-11-18', '10:00'), local('2026-11-18', '13:00'), local('2026-11-18', '13:30'));
    const first = drive(monitor, local('2026-11-16'), local('2026-11-18', '12:45'), schedule);
    expect(first.map((a) => a.last_seen)).toEqual([iso('2026-11-18', '12:00')]);
    expect(monitor.silent()).toHaveLength(1);

    drive(monitor, local('2026-11-18', '13:00'), local('2026-11-18', '13:00'), schedule);
    expect(monitor.silent()).toEqual([]);

    const second = drive(monitor, local('2026-11-18', '13:15'), local('2026-11-19') - STEP, schedule);
    expect(second).toHaveLength(1);
    expect(second[0]).toMatchObject({
      id: silenceId('agent', 'pc-1', iso('2026-11-18', '13:30')),
      first_seen: iso('2026-11-18', '13:30'),
      last_seen: iso('2026-11-18', '15:30'),
    });
    expect(second[0]?.id).not.toBe(first[0]?.id);
  });
});

describe('silence monitor: units', () => {
  it('reports a unit going dark once, at high severity, after 30 minutes, rather than each of its PCs', () => {
    const monitor = learnedOffice();
    const dark = local('2026-11-19', '14:00'); // a Thursday: the unit's link goes down
    const back = local('2026-11-20', '09:00');
    const outage: Schedule = (_agent, time) => officeHours(time) && (time <= dark || time >= back);
    const alerts = drive(monitor, local('2026-11-16'), local('2026-11-19', '23:45'), outage);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      id: silenceId('unit', 'unit-117', iso('2026-11-19', '14:00')),
      rule: { id: 'vigil-silent-unit', title: 'Unit went silent', level: 'high' },
      severity: 'high',
      organization: tanPhu,
      host: {},
      group: { 'organization.id': 'unit-117' },
      first_seen: iso('2026-11-19', '14:00'),
      last_seen: iso('2026-11-19', '14:30'),
    });
    expect(monitor.silent()).toEqual([{ kind: 'unit', id: 'unit-117', unit: 'unit-117', lastSeen: iso('2026-11-19', '14:00') }]);

    // Friday morning the link is back: the episode is over and nothing more is raised.
    expect(drive(monitor, local('2026-11-20'), local('2026-11-20', '18:00'), outage)).toEqual([]);
    expect(monitor.silent()).toEqual([]);
  });

  it('still reports a PC that stays silent after its unit comes back', () => {
    const monitor = learnedOffice();
    const dark = local('2026-11-19', '14:00');
    const back = local('2026-11-20', '09:00');
    const schedule: Schedule = (agent, time) => officeHours(time) && (time <= dark || (time >= back && agent === 'pc-2'));
    const alerts = drive(monitor, local('2026-11-16'), local('2026-11-20', '18:00'), schedule);
    expect(alerts.map((a) => [a.rule.id, a.last_seen])).toEqual([
      ['vigil-silent-unit', iso('2026-11-19', '14:30')],
      // Due at 16:00 Thursday, while the unit was dark; reported when pc-2 speaks again.
      ['vigil-silent-agent', iso('2026-11-19', '16:00')],
    ]);
    expect(alerts[1]?.created).toBe(iso('2026-11-20', '09:00'));
  });
});

describe('silence monitor: learning, memory and limits', () => {
  it('reports nothing about a source it has not learned yet', () => {
    const monitor = createSilenceMonitor();
    monitor.observe(pc('pc-1', local('2026-11-02', '10:00')));
    const alerts: Alert[] = [];
    for (let time = local('2026-11-02', '10:00'); time <= local('2026-11-09', '09:45'); time += STEP) alerts.push(...monitor.advance(time));
    expect(alerts).toEqual([]);
    expect(monitor.size).toBe(2);
  });

  it('expects a source on a weekday only once it was seen on that weekday a week before', () => {
    const monitor = createSilenceMonitor();
    // Learned from Tuesday 2026-11-03; from Monday 2026-11-09 on, every PC is off.
    const alerts = drive(monitor, local('2026-11-03'), local('2026-11-10', '23:45'), (_agent, time) => officeHours(time) && time < local('2026-11-09'));
    expect(alerts.map((a) => [a.rule.id, a.last_seen])).toEqual([['vigil-silent-unit', iso('2026-11-10', '10:30')]]);
  });

  it('forgets a source silent for more than 7 days', () => {
    const monitor = createSilenceMonitor();
    monitor.observe(pc('pc-1', local('2026-11-02', '10:00')));
    monitor.advance(local('2026-11-09', '10:00'));
    expect(monitor.size).toBe(2);
    monitor.advance(local('2026-11-09', '10:00') + 1);
    expect(monitor.size).toBe(0);
    expect(monitor.takeChanges().groups).toEqual([
      ['unit|unit-117', null],
      ['agent|pc-1', null],
    ]);
  });

  it('refuses new sources beyond maxSources and counts them', () => {
    const monitor = createSilenceMonitor({ maxSources: 3 });
    for (const agent of ['pc-1', 'pc-2', 'pc-3', 'pc-4']) monitor.observe(pc(agent, local('2026-11-02', '10:00')));
    expect(monitor.size).toBe(3);
    expect(monitor.refused).toBe(2);
    expect(monitor.takeChanges().meta).toEqual({ refused: 2 });
  });

  it('takes the agent from host.id when the events carry no agent id, and ignores empty batches', () => {
    const monitor = createSilenceMonitor();
    monitor.observe({ time: local('2026-11-02', '10:00'), organization: tanPhu, host: { id: 'host-9' }, count: 1 });
    monitor.observe({ time: local('2026-11-02', '10:00'), organization: { id: 'unit-200', name: 'Quiet' }, agent: 'pc-0', count: 0 });
    expect(monitor.takeChanges().groups.map(([key]) => key)).toEqual(['unit|unit-117', 'agent|host-9']);
  });

  it('continues after a restore exactly as an uninterrupted run', () => {
    const schedule: Schedule = (agent, time) =>
      officeHours(time) &&
      !(agent === 'pc-1' && time >= local('2026-11-16') && time < local('2026-11-17')) &&
      !(agent === 'pc-2' && time > local('2026-11-18', '10:00'));
    const from = local('2026-11-02');
    const split = local('2026-11-16', '13:00');
    const to = local('2026-11-19', '23:45');
    const uninterrupted = createSilenceMonitor();
    const expected = drive(uninterrupted, from, to, schedule);
    expect(expected.length).toBeGreaterThanOrEqual(2);

    // Saved after every batch, as the stage does, and loaded into a new monitor.
    const before = createSilenceMonitor();
    const saved = new Map<string, unknown>();
    let meta: unknown;
    const firstPart: Alert[] = [];
    for (let time = from; time < split; time += STEP) {
      firstPart.push(...drive(before, time, time, schedule));
      const changes = before.takeChanges();
      meta = JSON.parse(JSON.stringify(changes.meta));
      for (const [key, state] of changes.groups) {
        if (state === null) saved.delete(key);
        else saved.set(key, JSON.parse(JSON.stringify(state)));
      }
    }
    const after = createSilenceMonitor();
    after.restore(saved, meta);
    const secondPart = drive(after, split, to, schedule);
    expect([...firstPart, ...secondPart]).toEqual(expected);
    expect(firstPart.length).toBeGreaterThan(0);
    expect(secondPart.length).toBeGreaterThan(0);
    expect(after.silent()).toEqual(uninterrupted.silent());
  });
});

/** Like drive, with heartbeats too: each step, the agents `beats` says are alive send one, 5 minutes into the step. */
function driveWithBeats(monitor: SilenceMonitor, from: number, to: number, events: Schedule, beats: Schedule, agents = ['pc-1', 'pc-2']): Alert[] {
  const alerts: Alert[] = [];
  for (let time = from; time <= to; time += STEP) {
    for (const agent of agents) if (events(agent, time)) monitor.observe(pc(agent, time));
    for (const agent of agents) if (beats(agent, time + 5 * MINUTE)) monitor.alive({ time: time + 5 * MINUTE, organization: tanPhu, agent });
    alerts.push(...monitor.advance(time + 5 * MINUTE));
  }
  return alerts;
}

/** An agent process that runs day and night, whatever the PC's events do. */
const always: Schedule = () => true;

describe('silence monitor: heartbeats', () => {
  it('calls an office PC that stops sending events but keeps saying it is alive quiet, not silent; its unit too', () => {
    const monitor = learnedOffice();
    // From Wednesday 10:00 neither PC has anything to send; both agents keep beating through office hours.
    const quiet: Schedule = (_agent, time) => officeHours(time) && time <= local('2026-11-18', '10:00');
    expect(driveWithBeats(monitor, local('2026-11-16'), local('2026-11-20') - STEP, quiet, office)).toEqual([]);
    expect(monitor.silent()).toEqual([]);
  });

  it('still reports an agent that stops both its events and its heartbeats, from its last heartbeat', () => {
    const monitor = learnedOffice();
    const stop = local('2026-11-18', '10:30'); // Wednesday: events stop at 10:00, the last heartbeat is 10:35
    const events: Schedule = (agent, time) => officeHours(time) && (agent !== 'pc-1' || time <= local('2026-11-18', '10:00'));
    const beats: Schedule = (agent, time) => agent !== 'pc-1' || time <= stop + 5 * MINUTE;
    const alerts = driveWithBeats(monitor, local('2026-11-16'), local('2026-11-19') - STEP, events, beats);
    expect(alerts.map((a) => [a.rule.id, a.group['agent.id'], a.first_seen, a.last_seen])).toEqual([
      ['vigil-silent-agent', 'pc-1', iso('2026-11-18', '10:35'), iso('2026-11-18', '12:35')],
    ]);
    expect(alerts[0]?.id).toBe(silenceId('agent', 'pc-1', iso('2026-11-18', '10:35')));
    expect(monitor.silent()).toEqual([{ kind: 'agent', id: 'pc-1', unit: 'unit-117', lastSeen: iso('2026-11-18', '10:35') }]);
  });

  it('learns no hours from heartbeats: an agent beating day and night is still expected only in office hours', () => {
    // Two weeks of office-hour events, and heartbeats at every hour of every day.
    const monitor = createSilenceMonitor();
    expect(driveWithBeats(monitor, local('2026-11-02'), local('2026-11-16') - STEP, office, always)).toEqual([]);
    // The PC (events and agent) is switched off on Wednesday at 20:00 and on Saturday at 10:00:
    // hours it was heard in only through heartbeats. Were they learned, both would be alerts.
    const eveningOff: Schedule = (agent, time) => agent !== 'pc-1' || time <= local('2026-11-18', '20:00') || time >= local('2026-11-19', '08:00');
    expect(driveWithBeats(monitor, local('2026-11-16'), local('2026-11-20') - STEP, office, eveningOff)).toEqual([]);
    const weekendOff: Schedule = (agent, time) => agent !== 'pc-1' || time <= local('2026-11-21', '10:00');
    expect(driveWithBeats(monitor, local('2026-11-20'), local('2026-11-23', '08:45'), office, weekendOff)).toEqual([]);
    // In office hours it is expected, as learned from its events: a stop on Monday after 11:00 is reported
    // (its last event 11:00, its last heartbeat 10:50).
    const mondayOff: Schedule = (agent, time) => agent !== 'pc-1' || time <= local('2026-11-23', '11:00');
    const monday = driveWithBeats(monitor, local('2026-11-23', '09:00'), local('2026-11-23', '23:45'), (agent, time) => office(agent, time) && mondayOff(agent, time), mondayOff);
    expect(monday.map((a) => [a.group['agent.id'], a.first_seen, a.last_seen])).toEqual([['pc-1', iso('2026-11-23', '11:00'), iso('2026-11-23', '13:00')]]);
  });

  it('ends a reported silence when the agent beats again, and a later silence is a new episode', () => {
    const monitor = learnedOffice();
    const events: Schedule = (agent, time) => officeHours(time) && (agent !== 'pc-1' || time <= local('2026-11-18', '10:00'));
    const first = drive(monitor, local('2026-11-16'), local('2026-11-18', '12:45'), events);
    expect(first.map((a) => a.group['agent.id'])).toEqual(['pc-1']);
    expect(monitor.silent()).toHaveLength(1);
    monitor.alive({ time: local('2026-11-18', '13:00'), organization: tanPhu, agent: 'pc-1' });
    expect(monitor.silent()).toEqual([]);
    const second = drive(monitor, local('2026-11-18', '13:00'), local('2026-11-19') - STEP, events);
    expect(second.map((a) => [a.id, a.first_seen])).toEqual([[silenceId('agent', 'pc-1', iso('2026-11-18', '13:00')), iso('2026-11-18', '13:00')]]);
  });

  it('starts no source, ignores heartbeats older than what was heard, and speaks only for its own unit', () => {
    const monitor = createSilenceMonitor();
    monitor.alive({ time: local('2026-11-02', '10:00'), organization: tanPhu, agent: 'pc-1' });
    expect(monitor.size).toBe(0);
    expect(monitor.takeChanges().groups).toEqual([]);

    monitor.observe(pc('pc-1', local('2026-11-02', '10:00')));
    monitor.takeChanges();
    monitor.alive({ time: local('2026-11-02', '09:00'), organization: tanPhu, agent: 'pc-1' });
    monitor.alive({ time: local('2026-11-02', '11:00'), organization: { id: 'unit-200', name: 'Elsewhere' }, agent: 'pc-1' });
    expect(monitor.takeChanges().groups).toEqual([]);

    // A heartbeat is saved and restored like an event: the new lastSeen, the hours as learned.
    monitor.alive({ time: local('2026-11-02', '11:00'), organization: tanPhu, agent: 'pc-1' });
    const changes = monitor.takeChanges().groups;
    expect(changes.map(([key, state]) => [key, (state as { lastSeen: number }).lastSeen])).toEqual([
      ['unit|unit-117', local('2026-11-02', '11:00')],
      ['agent|pc-1', local('2026-11-02', '11:00')],
    ]);
    expect((changes[1]?.[1] as { hours: number[] }).hours[0]).toBe(1 << 10);
  });
});
