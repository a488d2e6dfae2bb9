// Heartbeats in Vigil distributed, on the real Kafka broker and search node: the ingest
// process and the two correlate processes are different processes, and each correlate
// replica owns half of the 4 signals partitions. The two units are watched by
// partitions 2 and 3, which the round-robin assignment gives to different replicas, so
// each replica must get its own unit's heartbeats. The scenario: heartbeat-scenario.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shardOf } from '../../core/bus/shard-of.ts';
import { pipelineLag, startCluster, type DistributedCluster } from '../support/distributed-cluster.ts';
import { servicesForSuite } from '../support/services.ts';
import { eventually, signIn } from '../support/start-vigil.ts';
import { runHeartbeatScenario, setUpHeartbeatScenario, type HeartbeatTarget } from './heartbeat-scenario.ts';

const services = servicesForSuite('the distributed heartbeat test');

const SIGNALS_PARTITIONS = 4;
const UNITS = { tanPhu: 'xa-tan-phu', anBinh: 'thcs-an-binh' } as const;

describe.skipIf(!services)('Vigil distributed: heartbeats reach the correlate replica that watches the unit', () => {
  let cluster: DistributedCluster;
  let target: HeartbeatTarget;
  let agents: Awaited<ReturnType<typeof setUpHeartbeatScenario>>;

  beforeAll(async () => {
    expect(shardOf(UNITS.tanPhu, SIGNALS_PARTITIONS)).not.toBe(shardOf(UNITS.anBinh, SIGNALS_PARTITIONS));
    cluster = await startCluster({
      kafkaBrokers: services!.kafkaBrokers,
      searchUrl: services!.opensearchUrl,
      counts: { api: 1, ingest: 1, detect: 1, correlate: 2 },
      env: {
        VIGIL_EVENTS_PARTITIONS: '2',
        VIGIL_SIGNALS_PARTITIONS: String(SIGNALS_PARTITIONS),
        VIGIL_AGENT_RATE_PER_SECOND: '0',
        VIGIL_SILENT_AGENT_MINUTES: '60',
      },
    });
    target = {
      ingestUrl: cluster.url('ingest'),
      apiUrl: cluster.url('api'),
      cookie: await signIn(cluster.url('api'), 'admin', cluster.adminPassword),
      // Read from the broker itself: the health view's lag is a snapshot some seconds old.
      drained: async (what) => {
        await eventually(async () => {
          const lag = await pipelineLag(services!.kafkaBrokers);
          return lag.events === 0 && (what === 'events' || lag.signals === 0) ? true : undefined;
        }, 60_000);
      },
    };
    agents = await setUpHeartbeatScenario(target, UNITS);
  }, 300_000);

  afterAll(async () => {
    const codes = await cluster?.stop();
    if (codes) expect(Object.values(codes).every((code) => code === 0), `clean exits: ${JSON.stringify(codes)}`).toBe(true);
  }, 120_000);

  it('reports the agent that stopped, and neither the agents that only beat nor their units', async () => {
    await runHeartbeatScenario(target, UNITS, agents);
  }, 300_000);
});
