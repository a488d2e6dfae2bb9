// Heartbeats through the real pipeline, in process on the embedded bus: agents post
// events to the real ingest route, detect and correlate run as in all-in-one (four
// signals partitions, so a unit's sources live in one of them), and each agent then
// either posts only heartbeats (POST /api/v1/heartbeat) or goes quiet completely. The
// one that still says it is alive must not be reported silent, nor its unit; the one
// that stopped must. Time is Vigil's clock, injected into ingest (the heartbeats' time)
// and into the correlate stage (its idle advance), and moved 30 minutes at a time: no
// test waits for hours.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openEmbeddedAccounts } from '../../../core/accounts/embedded-accounts.ts';
import { openEmbeddedBus } from '../../../core/bus/embedded-bus.ts';
import { unitShard } from '../../../core/bus/shard-of.ts';
import { createHttpServer } from '../../../core/http/create-http-server.ts';
import { createLogger } from '../../../core/log.ts';
import { createMetrics } from '../../../core/metrics.ts';
import { TOPICS } from '../../../core/ports/bus.ts';
import { ALL_UNITS } from '../../../core/ports/scope.ts';
import type { Alert } from '../../../core/schemas/alert.ts';
import { openEmbeddedStore } from '../../../core/store/embedded-store.ts';
import { CORRELATE_GROUP, startCorrelateStage, type CorrelateStage } from '../../../detect/correlation/correlate-stage.ts';
import { openSqliteCheckpointStore } from '../../../detect/correlation/sqlite-checkpoint-store.ts';
import { DETECT_GROUP, startDetectStage } from '../../../detect/detect-stage.ts';
import { loadDetector } from '../../../detect/rule-detector.ts';
import { ingestRoutes } from '../../../ingest/ingest-routes.ts';
import { DEFAULT_TEST_LIMITS } from '../../ingest/ingest-harness.ts';
import { makeTempDir } from '../../support/start-vigil.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const SIGNALS_PARTITIONS = 4;
const LATENESS_MS = 60_000;
/** Vietnam local time (the monitor's default UTC+7). 2026-11-11 and 2026-11-18 are Wednesdays. */
const local = (date: string, time: string) => Date.parse(`${date}T${time}:00+07:00`);
const iso = (time: number) => new Date(time).toISOString();

const tanPhu = { id: 'unit-117', name: 'UBND xã Tân Phú' };
const anBinh = { id: 'unit-205', name: 'Trường THCS An Bình' };

async function startPipeline() {
  const dataDir = makeTempDir('vigil-heartbeat-');
  const rulesDir = path.join(dataDir, 'rules');
  fs.mkdirSync(rulesDir);
  const bus = openEmbeddedBus({ dataDir, pollIntervalMs: 20 });
  await bus.ensureTopics([
    { name: TOPICS.events, partitions: 2 },
    { name: TOPICS.signals, partitions: SIGNALS_PARTITIONS },
    { name: TOPICS.alerts, partitions: 1 },
  ]);
  const store = openEmbeddedStore({ dataDir });
  const accounts = openEmbeddedAccounts({ dataDir });
  const checkpoints = openSqliteCheckpointStore(dataDir);
  const metrics = createMetrics({ defaultMetrics: false });
  const log = createLogger('silent');
  /** Vigil's clock, moved by the test. */
  let now = local('2026-11-11', '08:00');
  const clock = () => now;

  await accounts.createUnit(tanPhu);
  await accounts.createUnit(anBinh);
  const agents = {
    /** Tân Phú's antivirus console shipper: quiet after Wednesday 10:00, but alive. */
    beating: await accounts.createAgent(tanPhu.id, 'tanphu-av-console'),
    /** Tân Phú's IDS sensor: switched off on Wednesday at 10:00. */
    stopped: await accounts.createAgent(tanPhu.id, 'tanphu-ids'),
    /** An Bình's only agent: quiet after Wednesday 10:00, but alive. */
    alone: await accounts.createAgent(anBinh.id, 'anbinh-av-console'),
  };

  const app = createHttpServer({ log, metrics, readiness: async () => null });
  await app.register(async (scope) =>
    ingestRoutes(scope, { accounts, bus, metrics, log, maxBodyBytes: 1024 * 1024, limits: DEFAULT_TEST_LIMITS, futureToleranceMs: 300_000, clock }),
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const rules = loadDetector(rulesDir);
  const detect = startDetectStage({ bus, store, detector: () => rules.detector, metrics, log });
  const correlate: CorrelateStage = await startCorrelateStage({
    bus,
    store,
    checkpoints,
    rules: () => rules.correlation,
    metrics,
    log,
    detectLag: () => bus.lag(TOPICS.events, DETECT_GROUP),
    clock,
    options: {
      limits: { allowedLatenessMs: LATENESS_MS, maxGroupsPerRule: 1000, maxEntriesPerGroup: 1000, sampleSize: 100 },
      alertGroupWindowMs: HOUR,
      // An hour of silence in hours heard in on one day of the week before: one learned Wednesday is enough.
      silence: { agentSilentAfterMs: HOUR, unitSilentAfterMs: 30 * MINUTE, minActiveDays: 1 },
      idleAdvance: true,
    },
  });

  return {
    bus,
    store,
    agents,
    correlate,
    setNow(time: number) {
      now = time;
    },
    /** Posts one antivirus event per host at `time`, as the agent's key. */
    async postEvents(key: string, hosts: string[], time: number) {
      const body = hosts
        .map((host) =>
          JSON.stringify({
            '@timestamp': iso(time),
            event: { id: `${host}-${time}`, kind: 'event', category: ['malware'], action: 'blocked', module: 'antivirus' },
            host: { id: host, name: host },
          }),
        )
        .join('\n');
      const response = await fetch(`${url}/api/v1/events`, { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/x-ndjson' }, body });
      expect(response.status, await response.clone().text()).toBe(202);
    },
    async heartbeat(key: string) {
      const response = await fetch(`${url}/api/v1/heartbeat`, { method: 'POST', headers: { Authorization: `Bearer ${key}` } });
      expect(response.status).toBe(200);
      return (await response.json()) as { agent: string; unit: string; time: string };
    },
    /** Waits until detect and correlate have handled everything published so far. */
    async settled() {
      for (let i = 0; i < 400; i++) {
        const lags = await Promise.all([bus.lag(TOPICS.events, DETECT_GROUP), bus.lag(TOPICS.signals, CORRELATE_GROUP)]);
        if (lags.every((lag) => lag === 0)) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error('the stages did not catch up');
    },
    async stop() {
      await app.close();
      await detect.stop();
      await correlate.stop();
      await checkpoints.close();
      await bus.close();
      await store.close();
      await accounts.close();
    },
  };
}

type Pipeline = Awaited<ReturnType<typeof startPipeline>>;

async function silenceAlerts(pipeline: Pipeline): Promise<Alert[]> {
  const page = await pipeline.store.searchAlerts({ limit: 100 }, ALL_UNITS);
  return page.items.filter((alert) => alert.rule.id.startsWith('vigil-silent-'));
}

describe('heartbeats on the embedded pipeline', () => {
  let pipeline: Pipeline | undefined;
  afterEach(async () => {
    await pipeline?.stop();
    pipeline = undefined;
  });

  it('keeps an agent that only beats (and its unit) from being reported silent, and reports the one that stopped', async () => {
    pipeline = await startPipeline();
    const { agents } = pipeline;
    const hostsOf = { beating: ['tanphu-pc-01', 'tanphu-pc-02'], stopped: ['tanphu-ids'], alone: ['anbinh-pc-01'] };
    // Heard through the late morning of one Wednesday, and on the next up to 10:00.
    const hours = [
      ...['09', '10', '11', '12', '13'].map((h) => local('2026-11-11', `${h}:00`)),
      ...['09', '10'].map((h) => local('2026-11-18', `${h}:00`)),
    ];
    let posted = 0;
    for (const time of hours) {
      pipeline.setNow(time);
      for (const name of ['beating', 'stopped', 'alone'] as const) {
        await pipeline.postEvents(agents[name].key, hostsOf[name], time);
        posted += hostsOf[name].length;
      }
      // One hour per detect batch, as a live pipeline would see them.
      await pipeline.settled();
    }

    // From 10:00 on, two agents have nothing to send but beat every 30 minutes; the IDS sends nothing at all.
    const stop = local('2026-11-18', '10:00');
    const end = stop + 150 * MINUTE;
    const beats: string[] = [];
    for (let time = stop + 30 * MINUTE; time <= end; time += 30 * MINUTE) {
      pipeline.setNow(time);
      for (const name of ['beating', 'alone'] as const) {
        const answer = await pipeline.heartbeat(agents[name].key);
        expect(answer).toEqual({ agent: agents[name].agent.id, unit: agents[name].agent.unit.id, time: iso(time) });
        beats.push(answer.time);
      }
      await pipeline.settled();
    }

    // The IDS was due at 11:00 (an hour after its last event, all of it in learned hours).
    let raised: Alert[] = [];
    for (let i = 0; i < 300 && raised.length === 0; i++) {
      raised = await silenceAlerts(pipeline);
      if (raised.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(raised.map((alert) => [alert.rule.title, alert.organization.id, alert.group['agent.id'], alert.first_seen, alert.last_seen])).toEqual([
      ['Agent went silent', tanPhu.id, agents.stopped.agent.id, iso(stop), iso(stop + HOUR)],
    ]);
    // The idle advance reached the last clock (12:30; the engine reports it less the allowed
    // lateness), and still calls only the IDS silent.
    let health = await pipeline.correlate.health();
    for (let i = 0; i < 300 && health.correlation.watermark !== end - LATENESS_MS; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      health = await pipeline.correlate.health();
    }
    expect(health.correlation.watermark).toBe(end - LATENESS_MS);
    expect(health.silentSources).toEqual([{ kind: 'agent', id: agents.stopped.agent.id, unit: tanPhu.id, lastSeen: iso(stop) }]);
    expect(await silenceAlerts(pipeline)).toHaveLength(1);

    // Heartbeats are not events: only what the agents posted was stored.
    const stored = await pipeline.store.searchEvents({ limit: 1000 }, ALL_UNITS);
    expect(stored.total).toBe(posted);
    expect(beats).toHaveLength(10);
  });

  it('sends each unit’s heartbeats to the signals partition that watches that unit, and nothing to the events topic', async () => {
    pipeline = await startPipeline();
    const { agents } = pipeline;
    pipeline.setNow(local('2026-11-18', '10:00'));
    const eventsBefore = await pipeline.bus.endPositions(TOPICS.events);
    await pipeline.heartbeat(agents.beating.key);
    await pipeline.heartbeat(agents.alone.key);
    const records = await pipeline.bus.readAfter(TOPICS.signals, {}, 10);
    expect(records.map((record) => [record.partition, JSON.parse(Buffer.from(record.value).toString('utf8'))])).toEqual(
      [
        [unitShard(tanPhu.id, SIGNALS_PARTITIONS), { signals: [{ kind: 'heartbeat', time: local('2026-11-18', '10:00'), organization: tanPhu, agent: agents.beating.agent.id }] }],
        [unitShard(anBinh.id, SIGNALS_PARTITIONS), { signals: [{ kind: 'heartbeat', time: local('2026-11-18', '10:00'), organization: anBinh, agent: agents.alone.agent.id }] }],
      ].sort((a, b) => (a[0] as number) - (b[0] as number)),
    );
    expect(unitShard(tanPhu.id, SIGNALS_PARTITIONS)).not.toBe(unitShard(anBinh.id, SIGNALS_PARTITIONS));
    expect(await pipeline.bus.endPositions(TOPICS.events)).toEqual(eventsBefore);
  });
});
