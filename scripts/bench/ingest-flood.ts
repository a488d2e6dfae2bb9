// `npx tsx scripts/bench/ingest-flood.ts`: how responsive the all-in-one process stays
// while one agent floods it. One agent keeps FLOOD_CONCURRENCY posts in flight, cycling
// through the heaviest bodies it may send — 10,000-event NDJSON (the per-post maximum),
// the same gzipped, 1.5 MB of `[{},{},…]` (refused 413), and an event nested 100,000
// deep (refused 400) — with its rate limit off, so every post costs full decoding work.
// Meanwhile a console-like client asks /healthz every 20 ms and another agent posts one
// event every 100 ms. Prints p50/p99/max of both latencies (target: /healthz p99 < 100 ms)
// and what the flood got through.
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { startVigil } from '../../test/support/start-vigil.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const FLOOD_CONCURRENCY = Number(process.env.FLOOD_CONCURRENCY ?? 4);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function summary(name: string, samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(1).padStart(7);
  return `${name.padEnd(28)} n=${String(sorted.length).padStart(5)}  p50 ${f(percentile(sorted, 50))} ms  p99 ${f(percentile(sorted, 99))} ms  max ${f(sorted.at(-1) ?? NaN)} ms`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const maxPost = Array.from({ length: 10_000 }, (_, i) =>
  JSON.stringify({
    '@timestamp': new Date(Date.UTC(2026, 10, 22, 8, 0, 0, i)).toISOString(),
    event: { category: ['network'], action: 'connection', outcome: 'success' },
    host: { id: `pc-${i % 300}`, name: `PC-${i % 300}` },
    source: { ip: `10.1.${i % 250}.${i % 200}`, port: 40_000 + (i % 20_000) },
    destination: { ip: '172.16.0.10', port: 443 },
    message: `flow ${i} from a flooding agent`,
  }),
).join('\n');
const bodies: { name: string; body: Buffer; headers: Record<string, string> }[] = [
  { name: '10,000-event NDJSON', body: Buffer.from(maxPost), headers: { 'Content-Type': 'application/x-ndjson' } },
  { name: 'the same, gzip', body: gzipSync(maxPost), headers: { 'Content-Type': 'application/x-ndjson', 'Content-Encoding': 'gzip' } },
  { name: '1.5 MB [{},{},…]', body: Buffer.from(`[${Array.from({ length: 500_000 }, () => '{}').join(',')}]`), headers: { 'Content-Type': 'application/json' } },
  { name: 'nested 100,000 deep', body: Buffer.from(`{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`), headers: { 'Content-Type': 'application/json' } },
];

const vigil = await startVigil({
  env: { VIGIL_LOG_LEVEL: 'warn', VIGIL_AGENT_RATE_PER_SECOND: '0', VIGIL_BUS_RETENTION_HOURS: '1' },
});
process.stdout.write(`Vigil at ${vigil.url}; flooding for ${SECONDS} s with ${FLOOD_CONCURRENCY} posts in flight\n`);

const post = (body: Buffer, headers: Record<string, string>) =>
  fetch(`${vigil.url}/api/v1/events`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${vigil.agentKey}`, ...headers },
    body: new Uint8Array(body),
  });

try {
  const deadline = performance.now() + SECONDS * 1000;
  const statuses = new Map<string, number>();
  const postMs: Record<string, number[]> = {};
  let accepted = 0;
  const flooder = async (offset: number) => {
    for (let n = offset; performance.now() < deadline; n++) {
      const { name, body, headers } = bodies[n % bodies.length]!;
      const started = performance.now();
      const response = await post(body, headers);
      const answer = (await response.json()) as { accepted?: number };
      (postMs[name] ??= []).push(performance.now() - started);
      accepted += answer.accepted ?? 0;
      statuses.set(`${name} → ${response.status}`, (statuses.get(`${name} → ${response.status}`) ?? 0) + 1);
    }
  };
  const health: number[] = [];
  const prober = async () => {
    while (performance.now() < deadline) {
      const started = performance.now();
      const response = await fetch(`${vigil.url}/healthz`);
      await response.text();
      health.push(performance.now() - started);
      await sleep(20);
    }
  };
  const small: number[] = [];
  const smallAgent = async () => {
    for (let i = 0; performance.now() < deadline; i++) {
      const started = performance.now();
      const response = await post(Buffer.from(JSON.stringify({ event: { id: `small-${i}` }, host: { id: 'quiet-pc' } })), {
        'Content-Type': 'application/json',
      });
      await response.text();
      small.push(performance.now() - started);
      await sleep(100);
    }
  };
  await Promise.all([...Array.from({ length: FLOOD_CONCURRENCY }, (_, i) => flooder(i)), prober(), smallAgent()]);

  process.stdout.write(`${summary('/healthz while flooded', health)}\n`);
  process.stdout.write(`${summary('one-event post while flooded', small)}\n`);
  for (const [name, samples] of Object.entries(postMs)) process.stdout.write(`${summary(`flood: ${name}`, samples)}\n`);
  process.stdout.write(`flood answers: ${[...statuses].map(([k, v]) => `${k} ×${v}`).join(', ')}\n`);
  process.stdout.write(`flood events accepted: ${accepted} (${Math.round(accepted / SECONDS)}/s)\n`);
} finally {
  await vigil.stop();
}
