// `npm run bench`: the all-in-one process on this machine. Prints
//  1. sustained throughput: events/s posted as NDJSON batches of 500 and fully processed
//     (stored, rules matched, correlated, alerts written, everything committed), for two
//     mixes: the province's (network sensors' records, 2% antivirus detections) —
//     target ≥ 10,000 — and a stress mix where half the events are antivirus detections,
//     each feeding the spread, outbreak and reinfection correlations;
//  2. alert latency: p50/p99 from the POST of an alerting event to its alert frame on a
//     WebSocket, at a steady 2,000 events/s of the province mix — target p99 < 1 s.
// `npm run bench -- --distributed` runs scripts/bench/distributed.ts instead.
import { performance } from 'node:perf_hooks';
import { signIn, startVigil, type VigilProcess } from '../../test/support/start-vigil.ts';
import { connectStream } from '../../test/e2e/ws-client.ts';
import { eicarEvent, mixedEvent, seededRandom } from '../simulate/realistic-events.ts';

const THROUGHPUT_EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const BATCH = 500;
const CONCURRENCY = 4;
const LATENCY_RATE = 2_000;
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 20);

async function processedCount(vigil: VigilProcess): Promise<number> {
  const text = await (await fetch(`${vigil.url}/metrics`)).text();
  return Number(/^vigil_events_processed_total (\d+)/m.exec(text)?.[1] ?? 0);
}

async function post(vigil: VigilProcess, body: string): Promise<void> {
  const response = await fetch(`${vigil.url}/api/v1/events`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${vigil.agentKey}`, 'Content-Type': 'application/x-ndjson' },
    body,
  });
  if (response.status !== 202) throw new Error(`post failed: ${response.status} ${await response.text()}`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Share of antivirus detections in the province's traffic, and in the stress mix. */
const PROVINCE_ANTIVIRUS_SHARE = 0.02;
const STRESS_ANTIVIRUS_SHARE = 0.53;

/** Detect and correlate have nothing pending (the console's health view reports it). */
async function caughtUp(vigil: VigilProcess, cookie: string): Promise<boolean> {
  const response = await fetch(`${vigil.url}/api/v1/health`, { headers: { Cookie: cookie } });
  if (response.status !== 200) return false;
  const { detection } = (await response.json()) as { detection: { lag: { events: number; signals: number } } };
  return detection.lag.events === 0 && detection.lag.signals === 0;
}

async function throughput(vigil: VigilProcess, label: string, antivirusShare: number, target: string): Promise<void> {
  const cookie = await signIn(vigil.url, 'admin', vigil.adminPassword);
  const random = seededRandom(42);
  // Bodies are prepared up front so the figure measures Vigil, not the generator.
  const bodies = Array.from({ length: Math.ceil(THROUGHPUT_EVENTS / BATCH) }, (_, b) =>
    Array.from({ length: BATCH }, (_, i) =>
      JSON.stringify(mixedEvent(`PC-${(b * BATCH + i) % 5700}`, `FW-${b % 48}`, random, 0.02, new Date(), antivirusShare)),
    ).join('\n'),
  );
  const before = await processedCount(vigil);
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) await post(vigil, bodies[next++]!);
    }),
  );
  const postedAt = performance.now();
  const total = bodies.length * BATCH;
  while ((await processedCount(vigil)) - before < total) await new Promise((r) => setTimeout(r, 20));
  // Fully processed includes the correlate stage: alert groups and windows up to date.
  while (!(await caughtUp(vigil, cookie))) await new Promise((r) => setTimeout(r, 20));
  const done = performance.now();
  const seconds = (done - started) / 1000;
  process.stdout.write(
    `throughput, ${label}: ${total} events in ${seconds.toFixed(2)} s = ${Math.round(total / seconds)} events/s fully processed ` +
      `(accepted at ${Math.round(total / ((postedAt - started) / 1000))} events/s; ${target})\n`,
  );
}

async function latency(vigil: VigilProcess): Promise<void> {
  const cookie = await signIn(vigil.url, 'admin', vigil.adminPassword);
  const stream = await connectStream(vigil.url, cookie);
  await stream.waitFor((frames) => frames.some((f) => f.type === 'ready'));
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const seen = new Set<number>();
  const random = seededRandom(7);
  const tickMs = 50;
  const perTick = (LATENCY_RATE * tickMs) / 1000;
  const ticks = (LATENCY_SECONDS * 1000) / tickMs;
  const start = performance.now();
  let probe = 0;
  for (let tick = 0; tick < ticks; tick++) {
    const events = Array.from({ length: perTick }, () =>
      mixedEvent(`PC-${Math.floor(random() * 5700)}`, 'FW-1', random, 0, new Date(), PROVINCE_ANTIVIRUS_SHARE),
    );
    if (tick % 4 === 0) {
      const host = `PROBE-${probe++}`;
      events[0] = eicarEvent(host);
      sentAt.set(host, performance.now());
    }
    await post(vigil, events.map((e) => JSON.stringify(e)).join('\n'));
    for (let i = 0; i < stream.frames.length; i++) {
      const frame = stream.frames[i]!;
      const host = frame.alert?.host.name;
      if (!seen.has(i) && host && sentAt.has(host)) {
        seen.add(i);
        latencies.push(performance.now() - sentAt.get(host)!);
      }
    }
    const wait = start + (tick + 1) * tickMs - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  await stream.waitFor((frames) => frames.filter((f) => f.alert?.host.name?.startsWith('PROBE-')).length >= probe, 10_000);
  // Frames that arrived after the sending loop: measured late, which only overstates latency.
  const arrivedLate = stream.frames.filter((f, i) => !seen.has(i) && f.alert?.host.name?.startsWith('PROBE-')).length;
  for (let i = 0; i < arrivedLate; i++) latencies.push(performance.now() - start - LATENCY_SECONDS * 1000);
  await stream.close();
  const sorted = latencies.sort((a, b) => a - b);
  process.stdout.write(
    `alert latency at ${LATENCY_RATE} events/s: p50 ${percentile(sorted, 50).toFixed(0)} ms, ` +
      `p99 ${percentile(sorted, 99).toFixed(0)} ms, max ${sorted.at(-1)?.toFixed(0)} ms over ${sorted.length} alerts (target p99 < 1000 ms)\n`,
  );
}

if (process.argv.includes('--distributed')) {
  // `npm run bench -- --distributed`: the same measures on Kafka, OpenSearch and one process per stage replica.
  await import('./distributed.ts');
} else {
  // The bench posts as one agent key far above the per-key default (2000/s): switch that limit off, as distributed.ts does.
  const vigil = await startVigil({ env: { VIGIL_AGENT_RATE_PER_SECOND: '0', VIGIL_LOG_LEVEL: 'warn' } });
  try {
    process.stdout.write(`Vigil all-in-one at ${vigil.url}; ${THROUGHPUT_EVENTS} events per throughput run\n`);
    await throughput(vigil, 'province mix', PROVINCE_ANTIVIRUS_SHARE, 'target ≥ 10000');
    await latency(vigil);
    await throughput(vigil, 'stress mix (half antivirus detections)', STRESS_ANTIVIRUS_SHARE, 'no target; a worst case');
  } finally {
    await vigil.stop();
  }
}
