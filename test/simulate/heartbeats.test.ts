// The simulated agents' heartbeats: every agent the simulation sends with beats after
// every flush, from the window's first minutes to its last, except the unit that goes
// silent, which sends nothing before or during its outage (a heartbeat is stamped with
// Vigil's clock, after the whole replayed window, so one before the outage would tell
// Vigil the unit was alive through it) and beats again only once Vigil's event time has
// passed the outage's end. The file sink writes no heartbeats.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SimEvent } from '../../simulate/background.ts';
import { HeartbeatSchedule, type SimAgent } from '../../simulate/heartbeats.ts';
import { runSimulation } from '../../simulate/run.ts';
import { fileSink, type Sink, type SinkStats } from '../../simulate/sinks.ts';
import { simulation } from '../../simulate/timeline.ts';
import { makeTempDir } from '../support/start-vigil.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface Beat {
  agent: string;
  /** The newest simulated event time sent when it was sent. */
  at: number;
}

/** A sink that keeps what it was sent; Vigil's event time is `lagMs` behind the newest event sent (undefined: not known). */
function recordingSink(sim: ReturnType<typeof simulation>, lagMs?: number): Sink & { beats: Beat[]; asked: number } {
  const stats: SinkStats = { accepted: 0, rejected: 0, retries: 0, heartbeats: 0, heartbeatsMissed: 0 };
  const beats: Beat[] = [];
  const timeOf = new Map<unknown, number>();
  let newest = -Infinity;
  // Events are sent as their bodies: find their simulated time by identity.
  const sink = {
    stats,
    beats,
    asked: 0,
    async send(_unit: string, _agent: SimEvent['agent'], events: Record<string, unknown>[]) {
      for (const event of events) newest = Math.max(newest, timeOf.get(event) ?? -Infinity);
      stats.accepted += events.length;
    },
    async beat(agents: readonly SimAgent[]) {
      for (const agent of agents) beats.push({ agent: `${agent.unit}|${agent.agent}`, at: newest });
      stats.heartbeats += agents.length;
    },
    ...(lagMs === undefined
      ? {}
      : {
          eventTime: async () => {
            sink.asked += 1;
            return newest - lagMs;
          },
        }),
  };
  const events = sim.events.bind(sim);
  sim.events = function* () {
    for (const event of events()) {
      timeOf.set(event.event, event.time);
      yield event;
    }
  };
  return sink;
}

const start = Date.UTC(2026, 10, 16, 17); // Monday 17 November 2026, 00:00 in Vietnam
const end = start + 8 * DAY;
const small = () => simulation({ seed: 7, scale: 1, units: 3, hosts: 30, start, end });

describe('simulated heartbeats', () => {
  it('every agent beats throughout, the silent unit neither before nor during its outage, and after it once Vigil has caught up', async () => {
    const sim = small();
    const [outage] = sim.outages;
    expect(outage).toBeDefined();
    const { unit: dark, from, to } = outage!;
    const lagMs = 3 * HOUR;
    const sink = recordingSink(sim, lagMs);
    await runSimulation(sim, sink);

    const agents = sim.agents.map((agent) => `${agent.unit}|${agent.agent}`);
    // Each unit's usual agent and the wrong-clock one.
    expect(agents).toHaveLength(4);
    for (const agent of agents) {
      const times = sink.beats.filter((beat) => beat.agent === agent).map((beat) => beat.at);
      const ofDarkUnit = agent.startsWith(`${dark}|`);
      if (!ofDarkUnit) {
        // From the first minutes of the window to its last, never an hour without one.
        expect(times[0]! - start, agent).toBeLessThan(10 * MINUTE);
        expect(end - times.at(-1)!, agent).toBeLessThan(10 * MINUTE);
        const gaps = times.slice(1).map((time, i) => time - times[i]!);
        expect(Math.max(...gaps), agent).toBeLessThan(HOUR);
        continue;
      }
      // Nothing before the outage ends, nor until Vigil (3 hours behind) has passed it.
      expect(times.filter((time) => time < to + lagMs), agent).toEqual([]);
      expect(times[0]! - (to + lagMs), agent).toBeLessThan(10 * MINUTE);
      expect(end - times.at(-1)!, agent).toBeLessThan(10 * MINUTE);
    }
    expect(from).toBeGreaterThan(start + 7 * DAY);
    // Vigil's time was asked for only while the dark unit's agent waited for it.
    expect(sink.asked).toBeGreaterThan(0);
    expect(sink.asked).toBeLessThan(sink.beats.length / 10);
  });

  it('without Vigil’s event time the silent unit does not beat again; other agents beat as ever', async () => {
    const sim = small();
    const dark = sim.outages[0]!.unit;
    const sink = recordingSink(sim);
    await runSimulation(sim, sink);
    expect(sink.beats.filter((beat) => beat.agent.startsWith(`${dark}|`))).toEqual([]);
    expect(new Set(sink.beats.map((beat) => beat.agent)).size).toBe(sim.agents.filter((agent) => agent.unit !== dark).length);
  });

  it('the schedule: an agent sharing a key with a dark unit is judged alone; one whose outage is over waits for Vigil', () => {
    const agents: SimAgent[] = [
      { unit: 'a', agent: 'main' },
      { unit: 'b', agent: 'main' },
      { unit: 'b', agent: 'wrong-clock' },
    ];
    const schedule = new HeartbeatSchedule(agents, [{ unit: 'b', from: 100, to: 200 }]);
    const names = (list: SimAgent[]) => list.map((agent) => `${agent.unit}|${agent.agent}`);
    expect(names(schedule.beating(50, null))).toEqual(['a|main']);
    expect(names(schedule.beating(150, 1_000))).toEqual(['a|main']);
    expect(schedule.waitsForVigil(150, null)).toBe(false);
    expect(names(schedule.beating(250, 199))).toEqual(['a|main']);
    expect(schedule.waitsForVigil(250, 199)).toBe(true);
    expect(names(schedule.beating(250, 200))).toEqual(['a|main', 'b|main', 'b|wrong-clock']);
    expect(schedule.waitsForVigil(250, 200)).toBe(false);
  });

  it('the NDJSON files carry events only', async () => {
    const dir = makeTempDir('vigil-simulate-files-');
    const sim = simulation({ seed: 7, scale: 1, units: 2, hosts: 6, start, end: start + 2 * HOUR });
    const sink = fileSink(dir);
    await runSimulation(sim, sink);
    expect(sink.stats.heartbeats).toBe(0);
    expect(readdirSync(dir).every((name) => name.endsWith('.ndjson'))).toBe(true);
  });
});
