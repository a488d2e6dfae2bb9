// The detect and correlate stages on a partitioned embedded bus (several events and
// signals partitions), in process, events in and alerts out: a match split over shards
// counted in each; each signals partition restored from its checkpoint after a crash,
// replaying silently what was delivered after it; a partition handed from one stage
// instance to another mid-window through the cluster's checkpoint topic; the watermark
// held by a slow events partition and released by an idle one; and issue 9's year-3000
// event, which must neither make other units' correlations late nor survive a restart.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openEmbeddedBus, type EmbeddedBus } from '../../../core/bus/embedded-bus.ts';
import { createLogger } from '../../../core/log.ts';
import { createMetrics } from '../../../core/metrics.ts';
import { TOPICS } from '../../../core/ports/bus.ts';
import { ALL_UNITS } from '../../../core/ports/scope.ts';
import type { Store } from '../../../core/ports/store.ts';
import type { Alert } from '../../../core/schemas/alert.ts';
import type { SecurityEvent } from '../../../core/schemas/event.ts';
import { openEmbeddedStore } from '../../../core/store/embedded-store.ts';
import { createBusCheckpointStore } from '../../../detect/correlation/bus-checkpoint-store.ts';
import type { CheckpointStore } from '../../../detect/correlation/checkpoint-store.ts';
import { CORRELATE_GROUP, startCorrelateStage, type CorrelateStage } from '../../../detect/correlation/correlate-stage.ts';
import { splitByShard } from '../../../detect/correlation/signal-record.ts';
import { openSqliteCheckpointStore } from '../../../detect/correlation/sqlite-checkpoint-store.ts';
import { DETECT_GROUP, startDetectStage, type DetectStage } from '../../../detect/detect-stage.ts';
import { loadDetector } from '../../../detect/rule-detector.ts';
import { makeTempDir } from '../../support/start-vigil.ts';
import { securityEvent } from '../security-event-fixture.ts';

const EICAR_ID = '11111111-1111-4111-8111-111111111111';
const SPREAD_ID = '55555555-5555-4555-8555-555555555555';
const THREE_FAILURES_ID = '33333333-3333-4333-8333-333333333333';
const SINGLE_FAILURE_ID = '44444444-4444-4444-8444-444444444444';

const RULES = {
  'eicar.yml': `
title: EICAR test file
id: ${EICAR_ID}
name: eicar
status: test
logsource: { category: antivirus }
detection:
  selection: { file.hash.sha256: 275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f }
  condition: selection
level: medium
---
title: EICAR on several machines of a unit
id: ${SPREAD_ID}
status: test
correlation:
  type: value_count
  rules: [eicar]
  group-by: [organization.id]
  timespan: 1h
  condition: { gte: 2, field: host.id }
  generate: true
level: high
`,
  'failed-logons.yml': `
title: Failed logon
id: 22222222-2222-4222-8222-222222222222
name: failed_logon
status: test
logsource: { product: windows }
detection:
  selection: { event.category: authentication, event.outcome: failure }
  condition: selection
level: low
---
title: Three failed logons on one host
id: ${THREE_FAILURES_ID}
status: test
correlation:
  type: event_count
  rules: [failed_logon]
  group-by: [host.id]
  timespan: 10m
  condition: { gte: 3 }
level: high
---
title: A single failed logon on a host in five minutes
id: ${SINGLE_FAILURE_ID}
status: test
correlation:
  type: event_count
  rules: [failed_logon]
  group-by: [host.id]
  timespan: 5m
  condition: { lt: 2 }
level: low
`,
};

const EICAR = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';
const T0 = Date.parse('2026-11-22T08:00:00.000Z');
const at = (minute: number) => new Date(T0 + minute * 60_000).toISOString();

function eicar(host: string, minute: number) {
  return securityEvent({
    '@timestamp': at(minute),
    event: { category: ['malware'], action: 'quarantined', outcome: 'success', module: 'antivirus', ingested: at(minute) },
    host: { id: host, name: host.toUpperCase() },
    file: { hash: { sha256: EICAR } },
  });
}

function failedLogon(host: string, minute: number, unit = 'unit-042') {
  return securityEvent({
    '@timestamp': at(minute),
    organization: { id: unit, name: unit },
    event: { category: ['authentication'], outcome: 'failure', ingested: at(minute) },
    host: { id: host, name: host.toUpperCase(), os: { family: 'windows' } },
  });
}

interface Layout {
  events: number;
  signals: number;
}

/** A checkpoint store whose saves can be made to vanish: what a killed process leaves behind. */
function killable(store: CheckpointStore) {
  let dead = false;
  const wrapped: CheckpointStore = {
    load: (partitions) => store.load(partitions),
    save: async (checkpoints) => {
      if (!dead) await store.save(checkpoints);
    },
    close: () => store.close(),
  };
  return { store: wrapped, kill: () => (dead = true) };
}

interface Running {
  bus: EmbeddedBus;
  store: Store;
  detect: DetectStage;
  correlate: CorrelateStage;
  /** Alert ids written by this run, in order. */
  written: string[];
  metrics: ReturnType<typeof createMetrics>;
  stop(): Promise<void>;
}

interface StartOptions {
  checkpoints: (bus: EmbeddedBus) => CheckpointStore;
  sourceIdleMs?: number;
  checkpointSignals?: number;
  futureToleranceMs?: number;
  /** The store refuses this many event writes first (a search node away): detect retries its batch. */
  failEventWrites?: number;
  /** Event writes wait for this before they are done (a slow search node). */
  eventWritesWaitFor?: Promise<void>;
}

async function start(dataDir: string, rulesDir: string, layout: Layout, options: StartOptions): Promise<Running> {
  const bus = openEmbeddedBus({ dataDir, pollIntervalMs: 20 });
  await bus.ensureTopics([
    { name: TOPICS.events, partitions: layout.events },
    { name: TOPICS.signals, partitions: layout.signals },
    { name: TOPICS.alerts, partitions: 1 },
    { name: TOPICS.correlateState, partitions: 2, compacted: true },
  ]);
  const store = openEmbeddedStore({ dataDir });
  const written: string[] = [];
  let refusals = options.failEventWrites ?? 0;
  const flaky = Object.assign(Object.create(store) as Store, {
    writeEvents: async (events: readonly SecurityEvent[]) => {
      if (refusals > 0) {
        refusals -= 1;
        throw new Error('the store is away');
      }
      await options.eventWritesWaitFor;
      return store.writeEvents(events);
    },
  });
  const recording = Object.assign(Object.create(store) as Store, {
    writeAlerts: async (alerts: readonly Alert[]) => {
      written.push(...alerts.map((alert) => alert.id));
      return store.writeAlerts(alerts);
    },
  });
  const checkpoints = options.checkpoints(bus);
  const metrics = createMetrics({ defaultMetrics: false });
  const log = createLogger('silent');
  const rules = loadDetector(rulesDir);
  expect(rules.errors).toEqual([]);
  const detect = startDetectStage({ bus, store: flaky, detector: () => rules.detector, metrics, log, futureToleranceMs: options.futureToleranceMs ?? 300_000 });
  const correlate = await startCorrelateStage({
    bus,
    store: recording,
    checkpoints,
    rules: () => rules.correlation,
    metrics,
    log,
    detectLag: () => bus.lag(TOPICS.events, DETECT_GROUP),
    options: {
      limits: { allowedLatenessMs: 60_000, maxGroupsPerRule: 1000, maxEntriesPerGroup: 1000, sampleSize: 100 },
      alertGroupWindowMs: 3_600_000,
      silence: {},
      idleAdvance: false,
      sourceIdleMs: options.sourceIdleMs ?? 3_600_000,
      checkpointMs: 3_600_000,
      checkpointSignals: options.checkpointSignals ?? 1_000_000,
    },
  });
  return {
    bus,
    store,
    detect,
    correlate,
    written,
    metrics,
    async stop() {
      await detect.stop();
      await correlate.stop();
      await checkpoints.close();
      await bus.close();
      await store.close();
    },
  };
}

/** Publishes events; `partition` pins them to one events partition (else by key). */
async function publish(running: Running, events: SecurityEvent[], partition?: number) {
  await running.bus.publish(
    TOPICS.events,
    events.map((event) => ({ key: event.host?.id ?? event.event.id, value: Buffer.from(JSON.stringify(event)), ...(partition === undefined ? {} : { partition }) })),
  );
}

/** Waits until detect and correlate have committed everything published so far. */
async function settled(running: Running) {
  for (let i = 0; i < 400; i++) {
    const lags = await Promise.all([running.bus.lag(TOPICS.events, DETECT_GROUP), running.bus.lag(TOPICS.signals, CORRELATE_GROUP)]);
    if (lags.every((lag) => lag === 0)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the stages did not catch up');
}

async function alerts(running: Running): Promise<Alert[]> {
  return (await running.store.searchAlerts({ limit: 500 }, ALL_UNITS)).items;
}

const summary = (raised: Alert[]) =>
  raised.map((alert) => `${alert.rule.title} ${JSON.stringify(alert.group)} ×${alert.count}`).sort();

describe('correlate on a partitioned bus', () => {
  let running: Running | undefined;
  let dataDir: string;
  let rulesDir: string;

  const setUp = () => {
    dataDir = makeTempDir('vigil-partitioned-');
    rulesDir = path.join(dataDir, 'rules');
    fs.mkdirSync(rulesDir);
    for (const [file, text] of Object.entries(RULES)) fs.writeFileSync(path.join(rulesDir, file), text);
  };
  const restart = async (layout: Layout, options: StartOptions) => {
    running = await start(dataDir, rulesDir, layout, options);
    return running;
  };

  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  it('counts both parts of a match split over two shards (it used to drop the second)', async () => {
    setUp();
    const hosts = Array.from({ length: 8 }, (_, i) => `pc-${i + 1}`);
    const layout = { events: 2, signals: 3 };
    // Some host's own alert and the unit's spread correlation fall in different shards.
    const split = hosts.filter((host) => {
      const match = { kind: 'match' as const, src: { p: 0, o: 0, i: 0 }, rule: EICAR_ID, time: T0, eventId: 'e', organization: { id: 'unit-042', name: 'x' } };
      const parts = splitByShard({ ...match, alert: { 'organization.id': 'unit-042', 'host.id': host }, correlations: [{ correlation: SPREAD_ID, group: { 'organization.id': 'unit-042' }, value: host }] }, layout.signals);
      return parts.size === 2;
    });
    expect(split.length).toBeGreaterThan(0);

    const vigil = await restart(layout, { checkpoints: () => openSqliteCheckpointStore(dataDir) });
    await publish(vigil, hosts.map((host, minute) => eicar(host, minute)));
    await settled(vigil);

    expect(summary(await alerts(vigil))).toEqual(
      [
        ...hosts.map((host) => `EICAR test file {"organization.id":"unit-042","host.id":"${host}"} ×1`),
        // Eight machines, two per early firing: four firings grouped into one alert.
        'EICAR on several machines of a unit {"organization.id":"unit-042"} ×8',
      ].sort(),
    );
  });

  it('restores each signals partition after a crash and replays what followed its checkpoint without writing it again', async () => {
    setUp();
    const layout = { events: 2, signals: 3 };
    const hosts = ['dc-1', 'dc-2', 'dc-3', 'dc-4', 'dc-5', 'dc-6'];
    let vigil = await restart(layout, { checkpoints: () => openSqliteCheckpointStore(dataDir) });
    await publish(vigil, hosts.map((host) => failedLogon(host, 0)));
    await settled(vigil);
    await vigil.stop(); // checkpoints every partition

    let kill = () => false as boolean;
    vigil = await restart(layout, {
      checkpoints: () => {
        const store = killable(openSqliteCheckpointStore(dataDir));
        kill = store.kill;
        return store.store;
      },
    });
    await publish(vigil, hosts.map((host) => failedLogon(host, 1)));
    await publish(vigil, hosts.slice(0, 3).map((host) => failedLogon(host, 2)));
    await settled(vigil);
    const beforeCrash = await alerts(vigil);
    expect(summary(beforeCrash)).toEqual(hosts.slice(0, 3).map((host) => `Three failed logons on one host {"host.id":"${host}"} ×3`));
    kill();
    await vigil.stop(); // the process dies: nothing after the first run's checkpoint is saved

    vigil = await restart(layout, { checkpoints: () => openSqliteCheckpointStore(dataDir) });
    // Three only if the second failures (after the checkpoint, before the crash) were replayed into the windows.
    await publish(vigil, hosts.slice(3).map((host) => failedLogon(host, 2)));
    await settled(vigil);
    expect(summary(await alerts(vigil))).toEqual(hosts.map((host) => `Three failed logons on one host {"host.id":"${host}"} ×3`));
    // The replayed records raised nothing again: only the new hosts' alerts were written.
    const replayedIds = new Set(beforeCrash.map((alert) => alert.id));
    expect(vigil.written.filter((id) => replayedIds.has(id))).toEqual([]);
    expect(vigil.written).toHaveLength(3);
  });

  it('hands the partitions from one stage instance to another mid-window through the checkpoint topic: nothing lost, nothing counted twice', async () => {
    setUp();
    const layout = { events: 2, signals: 3 };
    const hosts = ['ws-1', 'ws-2', 'ws-3', 'ws-4'];
    let kill = () => false as boolean;
    // Instance A checkpoints after every batch to vigil.correlate-state.
    let vigil = await restart(layout, {
      checkpointSignals: 1,
      checkpoints: (bus) => {
        const store = killable(createBusCheckpointStore(bus));
        kill = store.kill;
        return store.store;
      },
    });
    await publish(vigil, hosts.map((host) => failedLogon(host, 0)));
    await settled(vigil);
    // Then it goes on without reaching its checkpoint store (a replica about to die).
    kill();
    await publish(vigil, hosts.map((host) => failedLogon(host, 1)));
    await settled(vigil);
    await vigil.stop();

    // Instance B is assigned the partitions: restores A's last checkpoint, replays the rest.
    vigil = await restart(layout, { checkpoints: (bus) => createBusCheckpointStore(bus) });
    await publish(vigil, hosts.map((host) => failedLogon(host, 2)));
    await settled(vigil);
    expect(summary(await alerts(vigil))).toEqual(hosts.map((host) => `Three failed logons on one host {"host.id":"${host}"} ×3`));
    expect(vigil.written).toHaveLength(hosts.length);
  });

  it('holds event time at the slowest events partition: a fast partition does not make a slow one late', async () => {
    setUp();
    const vigil = await restart({ events: 2, signals: 1 }, { checkpoints: () => openSqliteCheckpointStore(dataDir) });
    // Partition 0 is half an hour ahead; partition 1 (heard from at the same time) is behind.
    await publish(vigil, [failedLogon('dc-slow', 0)], 1);
    await publish(vigil, [failedLogon('dc-fast', 30)], 0);
    await settled(vigil);
    await publish(vigil, [failedLogon('dc-slow', 1), failedLogon('dc-slow', 2)], 1);
    await settled(vigil);

    const health = await vigil.correlate.health();
    expect(health.correlation.late).toEqual({});
    expect(summary(await alerts(vigil))).toEqual(['Three failed logons on one host {"host.id":"dc-slow"} ×3']);
  });

  it('advances an idle events partition by the clock, so windows close without it', async () => {
    setUp();
    const vigil = await restart({ events: 2, signals: 1 }, { checkpoints: () => openSqliteCheckpointStore(dataDir), sourceIdleMs: 1 });
    await publish(vigil, [failedLogon('dc-quiet', 0)], 1);
    await settled(vigil);
    // Partition 1 then sends nothing more; partition 0 moves on to minute 30.
    await publish(vigil, [failedLogon('dc-busy', 30)], 0);
    await settled(vigil);

    // The single failure of dc-quiet is decided at its window's close, with no new event from its partition.
    expect(summary(await alerts(vigil))).toEqual(['A single failed logon on a host in five minutes {"host.id":"dc-quiet"} ×1']);
    expect((await vigil.correlate.health()).correlation.watermark).toBe(T0 + 30 * 60_000 - 60_000);
  });

  it('an event from year 3000 neither makes other units late nor survives a restart as the watermark (issue 9)', async () => {
    setUp();
    const layout = { events: 1, signals: 2 };
    // The tolerance below the allowed lateness (60 s here), as the defaults are (5 min, 15 min).
    const options = { checkpoints: () => openSqliteCheckpointStore(dataDir), futureToleranceMs: 30_000 };
    let vigil = await restart(layout, options);
    const fromTheFuture = securityEvent({
      '@timestamp': '3000-01-01T00:00:00Z',
      organization: { id: 'unit-b', name: 'Unit B' },
      event: { category: ['malware'], module: 'antivirus', action: 'detected', outcome: 'failure', ingested: at(0) },
      host: { id: 'pc-x' },
      rule: { name: 'Virus:Win32/Expiro.HK' },
    });
    await publish(vigil, [fromTheFuture]);
    await settled(vigil);
    await publish(vigil, [failedLogon('dc-1', 1, 'unit-a'), failedLogon('dc-1', 2, 'unit-a'), failedLogon('dc-1', 3, 'unit-a')]);
    await settled(vigil);

    const saneWatermark = (watermark: number | null) => watermark !== null && watermark < Date.parse('2027-01-01T00:00:00Z');
    let health = await vigil.correlate.health();
    expect(health.correlation.late).toEqual({});
    expect(saneWatermark(health.correlation.watermark)).toBe(true);
    // Counted once (by the one partition that owns unit-b), shown per agent.
    expect(health.futureTimestamps).toEqual([{ unit: 'unit-b', agent: 'pc-x', count: 1, lastSeen: expect.any(String) }]);
    expect(summary(await alerts(vigil))).toEqual(['Three failed logons on one host {"host.id":"dc-1"} ×3']);

    await vigil.stop();
    vigil = await restart(layout, options);
    // The bus announces the partitions right after the start; health covers the partitions owned.
    for (let i = 0; i < 200 && (health = await vigil.correlate.health()).correlation.watermark === null; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(saneWatermark(health.correlation.watermark)).toBe(true);
    expect(health.futureTimestamps).toEqual([expect.objectContaining({ unit: 'unit-b', agent: 'pc-x', count: 1 })]);
    await publish(vigil, [failedLogon('dc-2', 5, 'unit-a'), failedLogon('dc-2', 6, 'unit-a'), failedLogon('dc-2', 7, 'unit-a')]);
    await settled(vigil);
    expect(summary(await alerts(vigil))).toContain('Three failed logons on one host {"host.id":"dc-2"} ×3');
  });

  it('counts a retried post\'s copy of an event once, and still processes a batch retried at the same position', async () => {
    setUp();
    const layout = { events: 2, signals: 2 };
    const vigil = await restart(layout, { checkpoints: () => openSqliteCheckpointStore(dataDir), failEventWrites: 1 });
    const first = failedLogon('dc-9', 0);
    const second = failedLogon('dc-9', 1);
    // The first batch fails once at the store and is delivered again from the same
    // positions: those are not copies, and both logons count.
    await publish(vigil, [first, second]);
    await settled(vigil);
    // An agent that got no answer posts the second logon again: the same event at a new position.
    await publish(vigil, [second]);
    await settled(vigil);
    expect(summary(await alerts(vigil)).filter((line) => line.startsWith('Three'))).toEqual([]);
    expect((await vigil.metrics.registry.getSingleMetric('vigil_events_duplicate_total')?.get())?.values[0]?.value).toBe(1);
    expect((await vigil.store.searchEvents({ q: 'host.id:dc-9', limit: 10 }, ALL_UNITS)).items).toHaveLength(2);
    // A genuine third logon makes three.
    await publish(vigil, [failedLogon('dc-9', 2)]);
    await settled(vigil);
    expect(summary(await alerts(vigil))).toContain('Three failed logons on one host {"host.id":"dc-9"} ×3');
  });

  it('raises an alert while the events that made it are still being written (a slow store delays the commit, not the alert)', async () => {
    setUp();
    let release = () => {};
    const slowStore = new Promise<void>((resolve) => (release = resolve));
    const vigil = await restart({ events: 1, signals: 1 }, { checkpoints: () => openSqliteCheckpointStore(dataDir), eventWritesWaitFor: slowStore });
    await publish(vigil, [failedLogon('dc-7', 0), failedLogon('dc-7', 1), failedLogon('dc-7', 2)]);
    for (let i = 0; i < 400 && !summary(await alerts(vigil)).some((line) => line.startsWith('Three')); i++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(summary(await alerts(vigil))).toContain('Three failed logons on one host {"host.id":"dc-7"} ×3');
    // Not committed yet: the events are not written.
    expect(await vigil.bus.lag(TOPICS.events, DETECT_GROUP)).toBe(3);
    release();
    await settled(vigil);
    expect((await vigil.store.searchEvents({ q: 'host.id:dc-7', limit: 10 }, ALL_UNITS)).items).toHaveLength(3);
  });
});
