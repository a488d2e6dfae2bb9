// `npm run bench -- --distributed`: Vigil distributed with everything on this machine —
// the Kafka broker, the OpenSearch node, and 1 ingest, 2 detect, 2 correlate and 1 api
// processes (BENCH_INGEST, BENCH_DETECT, BENCH_CORRELATE change the counts). Prints
//  1. sustained throughput: events/s posted as NDJSON batches of 500 (the province's mix:
//     network sensors' records, 2% antivirus detections) until every one is indexed in
//     the search store and detect and correlate have committed everything, with the
//     indexed count checked against the posted one (nothing lost) — target ≥ 5,000;
//  2. alert latency: p50/p99 from the POST of an alerting event to its alert frame on a
//     console's WebSocket, at a steady 1,000 events/s — target p99 < 1 s.
// The broker and node come from scripts/services (started if not running, and then
// stopped at the end); set VIGIL_SERVICES_DIR for a private pair.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Client } from '@opensearch-project/opensearch';
import { ensureServices, stopServices } from '../services/index.ts';
import { pipelineLag, startCluster, type DistributedCluster } from '../../test/support/distributed-cluster.ts';
import { signIn } from '../../test/support/start-vigil.ts';
import { connectStream } from '../../test/e2e/ws-client.ts';
import { eicarEvent, mixedEvent, seededRandom } from '../simulate/realistic-events.ts';

const THROUGHPUT_EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
// Sustained means warmed up: fresh JVMs spend much of their first minute compiling
// (the broker's and the node's C2 threads took about a quarter of the node's CPU over a
// first 100,000 events), and a long-running SOC never pays that again.
const WARMUP_EVENTS = Number(process.env.BENCH_WARMUP_EVENTS ?? Math.round(THROUGHPUT_EVENTS / 4));
const BATCH = 500;
const CONCURRENCY = 4;
const LATENCY_RATE = 1_000;
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 20);
const PROVINCE_ANTIVIRUS_SHARE = 0.02;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function post(cluster: DistributedCluster, body: string): Promise<void> {
  const response = await fetch(`${cluster.url('ingest')}/api/v1/events`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${cluster.agentKey}`, 'Content-Type': 'application/x-ndjson' },
    body,
  });
  if (response.status !== 202) throw new Error(`post failed: ${response.status} ${await response.text()}`);
}

async function indexedEvents(search: Client, cluster: DistributedCluster): Promise<number> {
  const index = `${cluster.env.VIGIL_SEARCH_INDEX_PREFIX}-events-*`;
  await search.indices.refresh({ index, allow_no_indices: true });
  const response = await search.count({ index, allow_no_indices: true });
  return (response.body as { count: number }).count;
}

async function throughput(cluster: DistributedCluster, search: Client, brokers: string, events: number, warmUp: boolean): Promise<void> {
  const random = seededRandom(warmUp ? 41 : 42);
  // Bodies are prepared up front so the figure measures Vigil, not the generator.
  const bodies = Array.from({ length: Math.ceil(events / BATCH) }, (_, b) =>
    Array.from({ length: BATCH }, (_, i) =>
      JSON.stringify(mixedEvent(`PC-${(b * BATCH + i) % 5700}`, `FW-${b % 48}`, random, 0.02, new Date(), PROVINCE_ANTIVIRUS_SHARE)),
    ).join('\n'),
  );
  const total = bodies.length * BATCH;
  const before = await indexedEvents(search, cluster);
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) await post(cluster, bodies[next++]!);
    }),
  );
  const postedAt = performance.now();
  // Fully processed: detect and correlate committed everything, and every event is
  // searchable. The lag is asked first: a forced refresh of the events indices every
  // poll would cost the node more than the indexing it measures.
  let indexed: number;
  for (;;) {
    const lag = await pipelineLag(brokers);
    if (lag.events === 0 && lag.signals === 0) {
      indexed = (await indexedEvents(search, cluster)) - before;
      if (indexed >= total) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const seconds = (performance.now() - started) / 1000;
  if (warmUp) {
    process.stdout.write(`warm-up (not counted): ${total} events in ${seconds.toFixed(2)} s = ${Math.round(total / seconds)} events/s\n`);
    return;
  }
  process.stdout.write(
    `throughput, province mix: ${total} events in ${seconds.toFixed(2)} s = ${Math.round(total / seconds)} events/s fully processed ` +
      `(accepted at ${Math.round(total / ((postedAt - started) / 1000))} events/s; indexed ${indexed} of ${total}${indexed === total ? ', nothing lost' : ''}; target ≥ 5000)\n`,
  );
}

async function latency(cluster: DistributedCluster): Promise<void> {
  const cookie = await signIn(cluster.url('api'), 'admin', cluster.adminPassword);
  const stream = await connectStream(cluster.url('api'), cookie);
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
  const collect = () => {
    for (let i = 0; i < stream.frames.length; i++) {
      const host = stream.frames[i]!.alert?.host.name;
      if (!seen.has(i) && host && sentAt.has(host)) {
        seen.add(i);
        latencies.push(performance.now() - sentAt.get(host)!);
      }
    }
  };
  for (let tick = 0; tick < ticks; tick++) {
    const events = Array.from({ length: perTick }, () =>
      mixedEvent(`PC-${Math.floor(random() * 5700)}`, 'FW-1', random, 0, new Date(), PROVINCE_ANTIVIRUS_SHARE),
    );
    if (tick % 4 === 0) {
      const host = `PROBE-${probe++}`;
      events[0] = eicarEvent(host);
      sentAt.set(host, performance.now());
    }
    await post(cluster, events.map((e) => JSON.stringify(e)).join('\n'));
    collect();
    const wait = start + (tick + 1) * tickMs - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  // The last probes' frames: wait for them on the stream, measuring each as it lands.
  const deadline = performance.now() + 30_000;
  while (latencies.length < probe && performance.now() < deadline) {
    collect();
    await new Promise((r) => setTimeout(r, 5));
  }
  await stream.close();
  const sorted = latencies.sort((a, b) => a - b);
  const missing = probe - sorted.length;
  process.stdout.write(
    `alert latency at ${LATENCY_RATE} events/s: p50 ${percentile(sorted, 50).toFixed(0)} ms, ` +
      `p99 ${percentile(sorted, 99).toFixed(0)} ms, max ${sorted.at(-1)?.toFixed(0)} ms over ${sorted.length} alerts` +
      `${missing > 0 ? ` (${missing} probes got no frame within 30 s)` : ''} (target p99 < 1000 ms)\n`,
  );
}

const counts = {
  ingest: Number(process.env.BENCH_INGEST ?? 1),
  detect: Number(process.env.BENCH_DETECT ?? 2),
  correlate: Number(process.env.BENCH_CORRELATE ?? 2),
  api: 1,
};
const { endpoints, started } = await ensureServices();
const cpus = os.cpus();
process.stdout.write(
  `machine: ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB; Kafka at ${endpoints.kafkaBrokers}, ` +
    `OpenSearch at ${endpoints.opensearchUrl}; processes: ${Object.entries(counts).map(([kind, n]) => `${n} ${kind}`).join(', ')}\n`,
);
const cluster = await startCluster({
  kafkaBrokers: endpoints.kafkaBrokers,
  searchUrl: endpoints.opensearchUrl,
  counts,
  env: { VIGIL_AGENT_RATE_PER_SECOND: '0', VIGIL_LOG_LEVEL: 'warn' },
});
const search = new Client({ node: endpoints.opensearchUrl });
try {
  process.stdout.write(`${THROUGHPUT_EVENTS} events per throughput run, after a warm-up of ${WARMUP_EVENTS}\n`);
  if (WARMUP_EVENTS > 0) await throughput(cluster, search, endpoints.kafkaBrokers, WARMUP_EVENTS, true);
  await throughput(cluster, search, endpoints.kafkaBrokers, THROUGHPUT_EVENTS, false);
  await latency(cluster);
} finally {
  await search.close();
  await cluster.stop();
  if (started.length > 0) await stopServices(started);
}
