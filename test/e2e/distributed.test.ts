// Vigil distributed, end to end, on the real Kafka broker and search node: 1 ingest,
// 2 detect, 2 correlate and 1 api processes. 100,000 events from 12 units go in while
// one detect and one correlate process are SIGKILLed (and restarted), the broker is
// restarted, and a console drops its WebSocket and resumes from its cursor. Afterwards
// every accepted event is indexed exactly once, every expected alert (per-PC alerts,
// and spread, outbreak and reinfection correlations whose signals came through several
// partitions and both detect processes) exists exactly once with the right count, and
// the console received every alert update once. Then, with the broker down, ingest
// answers 503 with Retry-After and never 202, and accepts again once it is back.
import { Client } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.ts';
import { openStore } from '../../core/adapters/open-store.ts';
import { createLogger } from '../../core/log.ts';
import type { Store } from '../../core/ports/store.ts';
import type { Alert } from '../../core/schemas/alert.ts';
import { restartKafka, servicesStatus, startKafka, stopKafka } from '../../scripts/services/index.ts';
import { pipelineLag, startCluster, type DistributedCluster } from '../support/distributed-cluster.ts';
import { servicesForSuite } from '../support/services.ts';
import { eventually, signIn } from '../support/start-vigil.ts';
import { buildWorkload, correlationKey, type Batch, type Workload } from './distributed-workload.ts';
import { connectStream, type StreamClient, type StreamFrame } from './ws-client.ts';

/** 100,000 by default; VIGIL_TEST_DISTRIBUTED_EVENTS scales it (a multiple of 500). */
const EVENTS = Number(process.env.VIGIL_TEST_DISTRIBUTED_EVENTS ?? 100_000);
const UNITS = ['so-y-te', ...Array.from({ length: 11 }, (_, i) => `don-vi-${i + 1}`)];
const POSTERS = 4;

const services = servicesForSuite('the distributed pipeline test');

interface PostOutcome {
  /** Answers to a post while the bus could not take it (503), with their Retry-After. */
  unavailable: { retryAfter: string | null }[];
}

/** Decodes a stream cursor (base64url JSON of partition → offset) to check frame order. */
function cursorPositions(cursor: string): Record<string, number> {
  return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, number>;
}

describe.skipIf(!services)('Vigil distributed: ingest, 2 detect, 2 correlate, api on Kafka and OpenSearch', () => {
  let cluster: DistributedCluster;
  let store: Store;
  let search: Client;
  let cookie: string;
  let workload: Workload;
  const keys = new Map<string, string>();
  const accepted = new Set<string>();

  const api = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${cluster.url('api')}${path}`, { ...init, headers: { 'Content-Type': 'application/json', Cookie: cookie } });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> };
  };

  /** Every alert, paged through the REST API as a console would. */
  const allAlerts = async (): Promise<Alert[]> => {
    const alerts: Alert[] = [];
    let cursor: string | null = null;
    do {
      const page = await api(`/api/v1/alerts?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.status).toBe(200);
      alerts.push(...(page.body.items as Alert[]));
      cursor = page.body.next as string | null;
    } while (cursor);
    return alerts;
  };

  /** (unit, event.id) → how many documents the store holds, over every events index. */
  const indexedIdentities = async (): Promise<Map<string, number>> => {
    await store.refresh();
    const counts = new Map<string, number>();
    let after: Record<string, string> | undefined;
    for (;;) {
      const response = await search.search({
        index: `${cluster.env.VIGIL_SEARCH_INDEX_PREFIX}-events-*`,
        body: {
          size: 0,
          aggs: {
            identity: {
              composite: {
                size: 10_000,
                sources: [{ unit: { terms: { field: 'organization.id' } } }, { id: { terms: { field: 'event.id' } } }],
                ...(after ? { after } : {}),
              },
            },
          },
        },
      });
      const aggregation = (response.body.aggregations as { identity: { buckets: { key: { unit: string; id: string }; doc_count: number }[]; after_key?: Record<string, string> } })
        .identity;
      for (const bucket of aggregation.buckets) counts.set(`${bucket.key.unit}|${bucket.key.id}`, bucket.doc_count);
      if (aggregation.buckets.length === 0 || !aggregation.after_key) return counts;
      after = aggregation.after_key;
    }
  };

  /** Posts a batch as an agent does: on 503 it waits Retry-After and sends the same body again. */
  const postBatch = async (batch: Batch, outcome: PostOutcome): Promise<void> => {
    for (let attempt = 0; attempt < 120; attempt++) {
      const response = await fetch(`${cluster.url('ingest')}/api/v1/events`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${keys.get(batch.unit)!}`, 'Content-Type': 'application/x-ndjson' },
        body: batch.body,
        signal: AbortSignal.timeout(60_000),
      });
      const text = await response.text();
      if (response.status === 202) {
        expect(JSON.parse(text)).toEqual({ accepted: batch.ids.length, rejected: [] });
        for (const id of batch.ids) accepted.add(`${batch.unit}|${id}`);
        return;
      }
      if (response.status !== 503) throw new Error(`ingest answered ${response.status}: ${text}\n${cluster.diagnostics()}`);
      const retryAfter = response.headers.get('retry-after');
      outcome.unavailable.push({ retryAfter });
      await new Promise((resolve) => setTimeout(resolve, Math.min(Number(retryAfter ?? 1), 2) * 1000));
    }
    throw new Error('ingest kept answering 503 for two minutes');
  };

  beforeAll(async () => {
    // The broker this test restarts must be the one the processes use.
    const status = await servicesStatus();
    expect(status.kafka.endpoint, 'the recorded broker (scripts/services) is the one under test').toBe(services!.kafkaBrokers);

    cluster = await startCluster({
      kafkaBrokers: services!.kafkaBrokers,
      searchUrl: services!.opensearchUrl,
      counts: { ingest: 1, detect: 2, correlate: 2, api: 1 },
      env: { VIGIL_EVENTS_PARTITIONS: '6', VIGIL_SIGNALS_PARTITIONS: '6', VIGIL_AGENT_RATE_PER_SECOND: '0' },
    });
    store = await openStore(loadConfig({ ...cluster.env }), createLogger('silent'));
    search = new Client({ node: services!.opensearchUrl });
    cookie = await signIn(cluster.url('api'), 'admin', cluster.adminPassword);
    keys.set(cluster.unit, cluster.agentKey);
    for (const unit of UNITS.slice(1)) {
      expect((await api('/api/v1/units', { method: 'POST', body: JSON.stringify({ id: unit, name: `Đơn vị ${unit}` }) })).status).toBe(201);
      const agent = await api('/api/v1/agents', { method: 'POST', body: JSON.stringify({ unit, name: 'AV server' }) });
      expect(agent.status).toBe(201);
      keys.set(unit, agent.body.key as string);
    }
    // Ingest knows every key (an empty array is a 400 once the key is authenticated, 401 before).
    for (const [unit, key] of keys) {
      await eventually(async () => {
        const response = await fetch(`${cluster.url('ingest')}/api/v1/events`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
          body: '[]',
        });
        return response.status === 401 ? undefined : unit;
      }, 30_000);
    }
    workload = buildWorkload({ events: EVENTS, units: UNITS });
  }, 300_000);

  afterAll(async () => {
    await store?.close();
    await search?.close();
    // Whatever happened, the broker is left running for the next file.
    await startKafka().catch(() => undefined);
    const codes = await cluster?.stop();
    if (codes) expect(Object.values(codes).every((code) => code === 0), `clean exits: ${JSON.stringify(codes)}`).toBe(true);
  }, 120_000);

  it('indexes every accepted event once and raises every expected alert once, through SIGKILLs and a broker restart', async () => {
    let stream: StreamClient = await connectStream(cluster.url('api'), cookie);
    await stream.waitFor((frames) => frames.some((f) => f.type === 'ready'));
    const firstFrames: StreamFrame[] = stream.frames;
    let resumedFrames: StreamFrame[] = [];

    // The failures, each once, at set points of the stream; they run beside the posts.
    const outcome: PostOutcome = { unavailable: [] };
    const chaos: Promise<void>[] = [];
    const chaosErrors: unknown[] = [];
    const detect = cluster.of('detect')[0]!;
    const correlate = cluster.of('correlate')[0]!;
    const steps: [number, () => Promise<void>][] = [
      [0.25, async () => {
        await detect.kill();
        await detect.start();
      }],
      [0.4, async () => {
        await correlate.kill();
        await correlate.start();
      }],
      [0.5, () => stream.close()],
      [0.6, () => restartKafka()],
      [0.75, async () => {
        const cursor = firstFrames.filter((f) => f.cursor).at(-1)!.cursor!;
        // Resume as soon as the socket opens: the hub sends live frames from `ready` on
        // until it has the resume, and those would come again in the replay.
        stream = await connectStream(cluster.url('api'), cookie);
        stream.send({ type: 'resume', cursor });
        resumedFrames = stream.frames;
      }],
    ];

    let next = 0;
    await Promise.all(
      Array.from({ length: POSTERS }, async () => {
        while (next < workload.batches.length) {
          const index = next++;
          while (steps.length > 0 && index >= steps[0]![0] * workload.batches.length) {
            chaos.push(steps.shift()![1]().catch((error: unknown) => void chaosErrors.push(error)));
          }
          await postBatch(workload.batches[index]!, outcome);
        }
      }),
    );
    await Promise.all(chaos);
    if (chaosErrors.length > 0) throw chaosErrors[0];
    expect(accepted.size).toBe(EVENTS);
    // Every refusal during the broker restart was a 503 that said when to retry.
    for (const refusal of outcome.unavailable) expect(Number(refusal.retryAfter)).toBeGreaterThan(0);

    // Each accepted event is indexed, once, under its own unit.
    const identities = await eventually(async () => {
      const found = await indexedIdentities();
      return found.size >= accepted.size ? found : undefined;
    }, 480_000).catch(async (error: unknown) => {
      // Stuck (lag left) or lost (no lag): say which, with every process's last words.
      const lag = await pipelineLag(services!.kafkaBrokers).catch((e: unknown) => String(e));
      const found = await indexedIdentities();
      throw new Error(`${String(error)}: ${found.size} of ${accepted.size} indexed; lag ${JSON.stringify(lag)}\n${cluster.diagnostics()}`);
    });
    expect([...identities.entries()].filter(([, count]) => count !== 1)).toEqual([]);
    expect(new Set(identities.keys())).toEqual(accepted);

    // Alerts come a step behind: wait until the pipeline caught up and they all show.
    await eventually(async () => {
      const lag = await pipelineLag(services!.kafkaBrokers);
      return lag.events === 0 && lag.signals === 0 ? true : undefined;
    }, 240_000);
    // Alerts are written a step after their signals are committed: give the last ones a
    // moment, then compare (a shortfall shows as a diff of the expected and found maps).
    const expectedTotal = workload.matchAlerts.size + workload.correlationAlerts.size;
    const alerts = await eventually(async () => {
      const found = await allAlerts();
      return found.length >= expectedTotal ? found : undefined;
    }, 60_000).catch(() => allAlerts());
    const matches = alerts.filter((alert) => alert.rule.kind === 'match');
    const matchCounts = new Map<string, number[]>();
    for (const alert of matches) {
      const key = `${alert.rule.id}|${alert.organization.id}|${alert.host.id}`;
      matchCounts.set(key, [...(matchCounts.get(key) ?? []), alert.count]);
    }
    // One alert per rule and PC (a duplicate shows as two counts), with every detection counted.
    expect(matchCounts).toEqual(new Map([...workload.matchAlerts].map(([key, count]) => [key, [count]])));

    const correlationCounts = new Map<string, number[]>();
    for (const alert of alerts.filter((a) => a.rule.kind === 'correlation')) {
      const key = correlationKey(alert.rule.id, alert.group);
      correlationCounts.set(key, [...(correlationCounts.get(key) ?? []), alert.count]);
    }
    // Each expected correlation alert exactly once, and no other; each count in its range.
    expect([...correlationCounts.keys()].sort()).toEqual([...workload.correlationAlerts.keys()].sort());
    for (const [key, counts] of correlationCounts) {
      const { min, max } = workload.correlationAlerts.get(key)!;
      expect(counts, key).toHaveLength(1);
      expect(counts[0], key).toBeGreaterThanOrEqual(min);
      expect(counts[0], key).toBeLessThanOrEqual(max);
    }

    // The console: frames before the drop, then the resumed ones, each update once and in order.
    await stream.waitFor((frames) => {
      const last = new Map<string, number>();
      for (const frame of [...firstFrames, ...frames]) if (frame.type === 'alert') last.set(frame.alert!.id, (frame.alert as unknown as Alert).count);
      return alerts.every((alert) => last.get(alert.id) === alert.count);
    }, 60_000);
    const frames = [...firstFrames, ...resumedFrames].filter((frame) => frame.type === 'alert');
    const delivered = new Set<string>();
    const positions: Record<string, number> = {};
    for (const frame of frames) {
      // Each frame moves the cursor forward on one partition: nothing delivered twice, nothing out of order.
      const moved = Object.entries(cursorPositions(frame.cursor!)).filter(([partition, offset]) => offset !== (positions[partition] ?? -1));
      expect(moved).toHaveLength(1);
      const [partition, offset] = moved[0]!;
      expect(offset).toBeGreaterThan(positions[partition] ?? -1);
      positions[partition] = offset;
      delivered.add(`${partition}:${offset}`);
    }
    expect(delivered.size).toBe(frames.length);
    const updates = new Map<string, number[]>();
    for (const frame of frames) updates.set(frame.alert!.id, [...(updates.get(frame.alert!.id) ?? []), (frame.alert as unknown as Alert).count]);
    for (const alert of alerts) {
      const counts = updates.get(alert.id) ?? [];
      // Counts only go up (no update twice), and the last one is the stored alert's.
      expect(counts.every((count, i) => i === 0 || count > counts[i - 1]!), `${alert.rule.title}: ${counts.join(', ')}`).toBe(true);
      expect(counts.at(-1)).toBe(alert.count);
    }
    await stream.close();
  }, 900_000);

  it('answers 503 with Retry-After while the broker is down, never 202, and accepts again once it is back', async () => {
    const pids = cluster.members.map((member) => member.pid);
    const batch = (n: number): Batch => {
      const events = Array.from({ length: 10 }, (_, i) => ({
        '@timestamp': new Date().toISOString(),
        event: { id: `outage-${n}-${i}-${cluster.runId}`, kind: 'event', category: ['network'], type: ['connection'], action: 'accept', outcome: 'success', module: 'firewall' },
        host: { id: 'fw-outage', name: 'FW-OUTAGE' },
      }));
      return { unit: cluster.unit, ids: events.map((e) => e.event.id), body: events.map((e) => JSON.stringify(e)).join('\n') };
    };
    const post = (b: Batch) =>
      fetch(`${cluster.url('ingest')}/api/v1/events`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${cluster.agentKey}`, 'Content-Type': 'application/x-ndjson' },
        body: b.body,
        signal: AbortSignal.timeout(60_000),
      });

    await stopKafka();
    try {
      for (let n = 0; n < 3; n++) {
        const response = await post(batch(n));
        expect(response.status).toBe(503);
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBeTruthy();
      }
    } finally {
      await startKafka();
    }

    // Back without a restart: the same processes take posts again.
    const back = batch(3);
    await eventually(async () => {
      const response = await post(back);
      return response.status === 202 ? true : undefined;
    }, 120_000);
    for (const id of back.ids) accepted.add(`${cluster.unit}|${id}`);
    expect(cluster.members.map((member) => member.pid)).toEqual(pids);
    expect(cluster.members.every((member) => member.running)).toBe(true);

    // And what it accepted is indexed; what it refused is not.
    const identities = await eventually(async () => {
      const found = await indexedIdentities();
      return back.ids.every((id) => found.has(`${cluster.unit}|${id}`)) ? found : undefined;
    }, 120_000);
    expect(new Set(identities.keys())).toEqual(accepted);
  }, 300_000);
});
