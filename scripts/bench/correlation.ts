// The correlation half of `npm run bench:detect`. With 100,000 groups active in the
// engine (a busy province's hosts and sources), it measures, per event of a stream:
//  - single-event matching of the whole shipped library, the baseline; the part spent
//    on building-block rules (which exist only to feed correlations) is shown apart;
//  - correlation: extracting each matched rule's group-by values from the event for the
//    correlations that reference it, and updating their windows — the engine's work,
//    without the bus between the stages (that is `npm run bench`'s business);
// and reports correlation as a share of matching (target below half), the engine's own
// signals/s, and the memory one active group takes.
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { SecurityEvent } from '../../core/schemas/event.ts';
import type { CompiledCorrelation, CorrelationEngine } from '../../detect/correlation/contract.ts';
import { createCorrelationEngine } from '../../detect/correlation/engine.ts';
import { correlationSignalOf } from '../../detect/correlation/signals-from-match.ts';
import { correlationsReferencing } from '../../detect/sigma/correlation-index.ts';
import { matchEvent, type RuleSet } from '../../detect/sigma/rule-set.ts';

const GROUPS = 100_000;
const HOUR_MS = 3_600_000;
const ROUNDS = 3;

/** A correlation no group ever satisfies: every signal stays in its window, the worst case for memory. */
function neverFiring(id: string, groupBy: string): CompiledCorrelation {
  return {
    kind: 'correlation',
    id,
    name: id,
    title: id,
    level: 'medium',
    status: 'test',
    description: undefined,
    tags: [],
    falsepositives: [],
    location: { file: 'bench', line: 1, col: 1 },
    type: 'event_count',
    rules: ['bench-base'],
    groupBy: [groupBy],
    fields: { 'bench-base': { [groupBy]: [groupBy] } },
    timespanMs: HOUR_MS,
    condition: { gte: 1e9 },
    generate: false,
  };
}

/** Heap in use after a full collection (the flag is set at run time so `npm run` needs no node options). */
function heapUsed(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const start = Date.parse('2026-11-22T08:00:00Z');

/** An engine for the shipped correlations plus one that holds GROUPS busy groups. */
function busyEngine(shipped: RuleSet): { engine: CorrelationEngine; bytesPerGroup: number; signalsPerSecond: number } {
  const filler = neverFiring('bench-filler', 'host.id');
  const engine = createCorrelationEngine([...shipped.correlations, filler], {
    allowedLatenessMs: 15 * 60_000,
    maxGroupsPerRule: 1_000_000,
    maxEntriesPerGroup: 10_000,
    sampleSize: 100,
  });
  const hosts = Array.from({ length: GROUPS }, (_, i) => ({ host: { id: `pc-${i}` } }));
  const eventIds = Array.from({ length: GROUPS * 3 }, (_, i) => `e${i}`);
  const unit = { id: 'unit-1', name: 'Unit 1' };
  const before = heapUsed();
  for (let i = 0; i < GROUPS; i++) {
    const signal = correlationSignalOf(filler, 'bench-base', hosts[i]!, start + i)!;
    engine.observe({ ...signal, eventId: eventIds[i]!, organization: unit });
  }
  const bytesPerGroup = (heapUsed() - before) / GROUPS;
  // The engine's own rate: two more signals into every group, in time order.
  const started = performance.now();
  for (let i = GROUPS; i < GROUPS * 3; i++) {
    const signal = correlationSignalOf(filler, 'bench-base', hosts[i % GROUPS]!, start + i)!;
    engine.observe({ ...signal, eventId: eventIds[i]!, organization: unit });
  }
  const signalsPerSecond = (GROUPS * 2) / ((performance.now() - started) / 1000);
  return { engine, bytesPerGroup, signalsPerSecond };
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

/** Median µs per event of `work` over the events. */
function microsPerEvent(events: readonly SecurityEvent[], work: (event: SecurityEvent, index: number) => void): number {
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    for (let i = 0; i < events.length; i++) work(events[i]!, i);
    rounds.push(((performance.now() - started) * 1000) / events.length);
  }
  return median(rounds);
}

export function benchCorrelation(shipped: RuleSet, detection: RuleSet, streams: Record<string, readonly SecurityEvent[]>): void {
  const { engine, bytesPerGroup, signalsPerSecond } = busyEngine(shipped);
  process.stdout.write(
    `correlation engine, ${engine.health().activeGroups.toLocaleString('en')} active groups: ` +
      `${Math.round(signalsPerSecond).toLocaleString('en')} signals/s/core (${(1e6 / signalsPerSecond).toFixed(2)} µs per signal); ` +
      `memory per active group ${Math.round(bytesPerGroup).toLocaleString('en')} bytes\n`,
  );
  for (const [name, events] of Object.entries(streams)) {
    const matching = microsPerEvent(events, (event) => matchEvent(shipped, event));
    const detectionOnly = microsPerEvent(events, (event) => matchEvent(detection, event));
    const fired = events.map((event) => matchEvent(shipped, event).map((rule) => rule.id));
    let signals = 0;
    // Event times move on from the filler's, so windows slide as they would live.
    let clock = start + GROUPS * 3;
    const windows = microsPerEvent(events, (event, index) => {
      clock += 1;
      for (const ruleId of fired[index]!) {
        for (const correlation of correlationsReferencing(shipped, ruleId)) {
          const signal = correlationSignalOf(correlation, ruleId, event, clock);
          if (signal === undefined) continue;
          signals += 1;
          engine.observe({ ...signal, eventId: event.event.id, organization: event.organization });
        }
      }
    });
    process.stdout.write(
      `per event, ${name}: single-event matching ${matching.toFixed(2)} µs (detection rules ${detectionOnly.toFixed(2)}, ` +
        `building blocks ${(matching - detectionOnly).toFixed(2)}); correlation ${windows.toFixed(2)} µs ` +
        `(${(signals / ROUNDS / events.length).toFixed(2)} signals/event) = ${Math.round((windows / matching) * 100)}% of matching (target < 50%)\n`,
    );
  }
}
