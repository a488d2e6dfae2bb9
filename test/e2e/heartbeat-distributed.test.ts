// Heartbeats in Vigil distributed, on the real Kafka broker and search node: the ingest
// process and the two correlate processes are different processes, and each correlate
// replica owns half of the 4 signals partitions. Two units are watched by different
// partitions (2 and 3, which the round-robin assignment gives to different replicas).
// In each unit an agent that sent events and then only heartbeats must not be reported
// silent, nor its unit; in one of them an agent that stopped completely must be.
//
// The processes run on the wall clock, so the history is posted with event times in
// the past: a week ago and the two days after, and today until 2.5 hours ago, each hour
// in its own detect batch (a batch teaches one hour per source). Today's events come
// first and the heartbeats right after them, so that once the older days have been
// learned (and the silence is judged against them) a live agent has already said so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shardOf } from '../../core/bus/shard-of.ts';
import type { Alert } from '../../core/schemas/alert.ts';
import { pipelineLag, startCluster, type DistributedCluster } from '../support/distributed-cluster.ts';
import { servicesForSuite } from '../support/services.ts';
import { eventually, signIn } from '../support/start-vigil.ts';

const services = servicesForSuite('the distributed heartbeat test');

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SIGNALS_PARTITIONS = 4;
const UNITS = { tanPhu: 'xa-tan-phu', anBinh: 'thcs-an-binh' } as const;

describe.skipIf(!services)('Vigil distributed: heartbeats reach the correlate replica that watches the unit', () => {
  let cluster: DistributedCluster;
  let cookie: string;
  const keys = new Map<string, { key: string; id: string; unit: string }>();

  const api = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${cluster.url('api')}${path}`, { ...init, headers: { 'Content-Type': 'application/json', Cookie: cookie } });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> };
  };

  const post = async (route: string, key: string, body?: string) => {
    const response = await fetch(`${cluster.url('ingest')}${route}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'Content-Type': 'application/x-ndjson' }) },
      ...(body === undefined ? {} : { body }),
    });
    return { status: response.status, text: await response.text() };
  };

  /** One antivirus event of the agent's PC at `time`. */
  const postEvent = async (agent: string, time: number) => {
    const { key } = keys.get(agent)!;
    const host = `${agent}-pc`;
    const event = { '@timestamp': new Date(time).toISOString(), event: { id: `${agent}-${time}`, kind: 'event', category: ['malware'], action: 'blocked', module: 'antivirus' }, host: { id: host, name: host } };
    const answer = await post('/api/v1/events', key, JSON.stringify(event));
    expect(answer.status, answer.text).toBe(202);
  };

  const drained = async (what: 'events' | 'both') =>
    eventually(async () => {
      const lag = await pipelineLag(services!.kafkaBrokers);
      return lag.events === 0 && (what === 'events' || lag.signals === 0) ? true : undefined;
    }, 60_000);

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
        VIGIL_SILENT_UNIT_MINUTES: '30',
      },
    });
    cookie = await signIn(cluster.url('api'), 'admin', cluster.adminPassword);
    for (const unit of Object.values(UNITS)) {
      expect((await api('/api/v1/units', { method: 'POST', body: JSON.stringify({ id: unit, name: `Đơn vị ${unit}` }) })).status).toBe(201);
    }
    const agents: [name: string, unit: string][] = [
      ['tanphu-av', UNITS.tanPhu],
      ['tanphu-ids', UNITS.tanPhu],
      ['anbinh-av', UNITS.anBinh],
    ];
    for (const [name, unit] of agents) {
      const created = await api('/api/v1/agents', { method: 'POST', body: JSON.stringify({ unit, name }) });
      expect(created.status).toBe(201);
      keys.set(name, { key: created.body.key as string, id: (created.body.agent as { id: string }).id, unit });
    }
    // Ingest knows every key (an empty array is a 400 once the key is authenticated, 401 before).
    for (const { key } of keys.values()) {
      await eventually(async () => ((await post('/api/v1/events', key, '[]')).status === 401 ? undefined : true), 30_000);
    }
  }, 300_000);

  afterAll(async () => {
    const codes = await cluster?.stop();
    if (codes) expect(Object.values(codes).every((code) => code === 0), `clean exits: ${JSON.stringify(codes)}`).toBe(true);
  }, 120_000);

  it('reports the agent that stopped, and neither the agents that only beat nor their units', async () => {
    const now = Date.now();
    const stop = now - 150 * MINUTE;
    // Today, until 2.5 hours ago: every agent sends.
    for (const time of [now - 4 * HOUR, now - 3 * HOUR, stop]) {
      for (const agent of keys.keys()) await postEvent(agent, time);
      await drained('both');
    }
    // Then the two antivirus consoles have nothing to send but are alive; the IDS is off.
    for (const agent of ['tanphu-av', 'anbinh-av']) {
      const answer = await post('/api/v1/heartbeat', keys.get(agent)!.key);
      expect(answer.status, answer.text).toBe(200);
    }
    await drained('both');
    // The week before: a week ago and the two days after, the hours around this one.
    for (const day of [7, 6, 5]) {
      for (let hour = -4; hour <= 1; hour++) {
        for (const agent of keys.keys()) await postEvent(agent, now - day * DAY + hour * HOUR);
        await drained('events');
      }
    }
    await drained('both');

    // The IDS has been silent since `stop`, an hour of it in hours it is normally heard in.
    const silences = async () => {
      const page = await api('/api/v1/alerts?limit=100');
      expect(page.status).toBe(200);
      return (page.body.items as Alert[]).filter((alert) => alert.rule.id.startsWith('vigil-silent-'));
    };
    const raised = await eventually(async () => {
      const found = await silences();
      return found.length > 0 ? found : undefined;
    }, 60_000);
    const ids = keys.get('tanphu-ids')!;
    expect(raised.map((alert) => [alert.rule.id, alert.organization.id, alert.group['agent.id'], alert.first_seen])).toEqual([
      ['vigil-silent-agent', UNITS.tanPhu, ids.id, new Date(stop).toISOString()],
    ]);
    // Health, merged over both replicas, calls only the IDS silent.
    const silent = await eventually(async () => {
      const health = await api('/api/v1/health');
      const sources = (health.body.detection as { silentSources?: { kind: string; id: string }[] } | undefined)?.silentSources ?? [];
      return sources.length > 0 ? sources : undefined;
    }, 30_000);
    expect(silent.map((source) => [source.kind, source.id])).toEqual([['agent', ids.id]]);
    expect(await silences()).toHaveLength(1);
  }, 300_000);
});
