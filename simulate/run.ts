// Drives one simulation into a sink: batches per unit and agent, flushed every 5
// simulated minutes (so no unit runs more than that ahead of another, well inside
// Vigil's correlation lateness) or when a batch is full, a few units at a time.
// Reports progress through a callback; answers the number of events sent. After each
// flush the agents that are up say so (heartbeats.ts), as real agents beat every minute.
import type { SimEvent } from './background.ts';
import { HEARTBEAT_EVERY_MS, HeartbeatSchedule } from './heartbeats.ts';
import type { Sink } from './sinks.ts';
import type { Simulation } from './timeline.ts';

const FLUSH_EVERY_MS = 5 * 60_000;
const MAX_BATCH = 2000;
const CONCURRENCY = 8;

export interface Progress {
  simulatedTime: number;
  events: number;
  elapsedMs: number;
}

export async function runSimulation(sim: Simulation, sink: Sink, onProgress: (progress: Progress) => void = () => {}): Promise<number> {
  const began = Date.now();
  const pending = new Map<string, { unit: string; agent: SimEvent['agent']; events: Record<string, unknown>[] }>();
  let events = 0;
  let boundary: number | undefined;
  let lastReport = 0;
  const schedule = new HeartbeatSchedule(sim.agents, sim.outages);
  /** Simulated time of the newest event sent. */
  let latest = -Infinity;
  let pendingLatest = -Infinity;
  let nextBeat = -Infinity;
  /** Vigil's event time, asked for only while an agent back from an outage waits for it. */
  let vigilTime: number | null = null;

  // The heartbeats due by `latest`: one post per agent key per flush stands for those a
  // real agent sends in that span (five in 5 minutes). Replayed, they would all reach
  // Vigil within an instant of its clock, where it publishes one per agent per 15 s.
  const beat = async () => {
    if (latest < nextBeat) return;
    nextBeat = latest + HEARTBEAT_EVERY_MS;
    if (sink.eventTime !== undefined && schedule.waitsForVigil(latest, vigilTime)) {
      const read = await sink.eventTime();
      if (read !== null && (vigilTime === null || read > vigilTime)) vigilTime = read;
    }
    await sink.beat(schedule.beating(latest, vigilTime));
  };

  const flush = async () => {
    const batches = [...pending.values()].filter((batch) => batch.events.length > 0);
    pending.clear();
    for (let i = 0; i < batches.length; i += CONCURRENCY) {
      await Promise.all(batches.slice(i, i + CONCURRENCY).map((batch) => sink.send(batch.unit, batch.agent, batch.events)));
    }
    latest = Math.max(latest, pendingLatest);
    await beat();
  };

  for (const event of sim.events()) {
    if (boundary === undefined) boundary = event.time + FLUSH_EVERY_MS;
    // The wrong-clock agent's events come last and out of order: flush before them.
    if (event.time >= boundary || (event.agent !== 'main' && pending.size > 0 && [...pending.values()].every((b) => b.agent === 'main'))) {
      await flush();
      boundary = event.time + FLUSH_EVERY_MS;
      const now = Date.now();
      if (now - lastReport >= 1000) {
        lastReport = now;
        onProgress({ simulatedTime: event.time, events, elapsedMs: now - began });
      }
    }
    const key = `${event.unit}|${event.agent}`;
    let batch = pending.get(key);
    if (batch === undefined) pending.set(key, (batch = { unit: event.unit, agent: event.agent, events: [] }));
    batch.events.push(event.event);
    events += 1;
    pendingLatest = Math.max(pendingLatest, event.time);
    if (batch.events.length >= MAX_BATCH) {
      pending.delete(key);
      await sink.send(batch.unit, batch.agent, batch.events);
    }
  }
  await flush();
  onProgress({ simulatedTime: Number.NaN, events, elapsedMs: Date.now() - began });
  return events;
}
