// The whole simulation as one stream: the province's background minute by minute with
// the scenarios' events merged in, in simulated-time order, and the truth that goes with
// it. The wrong-clock agent's events come last: detect counts a future-stamped event at
// ingest time plus the tolerance, which would otherwise make the rest of a compressed
// (past) simulation look late to the correlation engine.
import { backgroundMinute, provinceRates, type BackgroundRates, type SimEvent } from './background.ts';
import type { Outage, SimAgent } from './heartbeats.ts';
import { buildProvince, type Province } from './province.ts';
import { seededRandom } from './random.ts';
import { injectScenarios, type Injection } from './scenarios.ts';
import type { Truth } from './truth.ts';

const MINUTE = 60_000;

export interface SimulationOptions {
  seed: number;
  scale: number;
  /** Simulated window, epoch ms; `end` must not be after the real clock. */
  start: number;
  end: number;
  /** Tests: a small province instead of 230 units × scale. */
  units?: number;
  hosts?: number;
  /** Overrides the province's background rates (tests, benches). */
  rates?: Partial<BackgroundRates>;
}

export interface Simulation {
  province: Province;
  injection: Injection;
  /** Every agent the simulation sends with: each unit's usual one, and the wrong-clock one. */
  agents: SimAgent[];
  /** Spans in which a unit sends nothing, not even heartbeats (the silence scenario). */
  outages: Outage[];
  /** Events in order; iterate once. */
  events(): Generator<SimEvent>;
  /** The ground truth, with the number of events produced so far. */
  truth(events: number): Truth;
}

export function simulation(options: SimulationOptions): Simulation {
  if (!(options.end > options.start)) throw new RangeError('the simulated window must end after it starts');
  const province = buildProvince({ seed: options.seed, scale: options.scale, ...(options.units === undefined ? {} : { units: options.units }), ...(options.hosts === undefined ? {} : { hosts: options.hosts }) });
  const rates = { ...provinceRates(province), ...options.rates };
  const injection = injectScenarios(province, options.start, options.end, options.seed);
  const mutes = injection.scenarios.flatMap((scenario) => (scenario.mute === undefined ? [] : [scenario.mute]));
  const injected = injection.scenarios
    .flatMap((scenario) => scenario.events)
    .filter((event) => event.agent === 'main')
    .sort((a, b) => a.time - b.time);
  const late = injection.scenarios.flatMap((scenario) => scenario.events).filter((event) => event.agent !== 'main');

  function* events(): Generator<SimEvent> {
    const random = seededRandom(options.seed);
    let next = 0;
    const first = options.start - (options.start % MINUTE);
    for (let minute = first; minute < options.end; minute += MINUTE) {
      const batch: SimEvent[] = [];
      for (const unit of province.units) batch.push(...backgroundMinute(unit, province, rates, minute, random));
      while (next < injected.length && injected[next]!.time < minute + MINUTE) batch.push(injected[next++]!);
      batch.sort((a, b) => a.time - b.time);
      for (const event of batch) {
        if (event.time < options.start || event.time >= options.end) continue;
        if (mutes.some((mute) => mute.unit === event.unit && event.time >= mute.from && event.time < mute.to)) continue;
        yield event;
      }
    }
    yield* late;
  }

  const agents: SimAgent[] = [
    ...province.units.map((unit) => ({ unit: unit.id, agent: 'main' as const })),
    ...new Map(late.map((event) => [`${event.unit}|${event.agent}`, { unit: event.unit, agent: event.agent }])).values(),
  ];

  return {
    province,
    injection,
    agents,
    outages: mutes.map(({ unit, from, to }) => ({ unit, from, to })),
    events,
    truth: (count) => ({
      seed: options.seed,
      scale: options.scale,
      start: new Date(options.start).toISOString(),
      end: new Date(options.end).toISOString(),
      units: province.units.length,
      hosts: province.hostCount,
      events: count,
      scenarios: injection.scenarios.map((scenario) => ({
        ...scenario.truth,
        eventIds: scenario.events.map((event) => String((event.event.event as { id?: unknown }).id)),
      })),
      skipped: injection.skipped,
    }),
  };
}
