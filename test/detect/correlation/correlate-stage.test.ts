// The detect and correlate stages together, in process, over the real embedded bus and
// store: events in, alerts out. Covers what the pure engine tests cannot: grouping of
// repeats across batches, a restart in the middle of a correlation window, and signals
// that detect published twice (it replays a batch after a crash) counted once.
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
import { openEmbeddedStore } from '../../../core/store/embedded-store.ts';
import { startCorrelateStage, type CorrelateStage } from '../../../detect/correlation/correlate-stage.ts';
import type { CheckpointStore } from '../../../detect/correlation/checkpoint-store.ts';
import { openSqliteCheckpointStore } from '../../../detect/correlation/sqlite-checkpoint-store.ts';
import { DETECT_GROUP, startDetectStage, type DetectStage } from '../../../detect/detect-stage.ts';
import { loadDetector } from '../../../detect/rule-detector.ts';
import { makeTempDir } from '../../support/start-vigil.ts';
import { securityEvent } from '../security-event-fixture.ts';

const RULES = {
  'eicar.yml': `
title: EICAR test file
id: 11111111-1111-4111-8111-111111111111
name: eicar
status: test
logsource: { category: antivirus }
detection:
  selection: { file.hash.sha256: 275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f }
  condition: selection
level: medium
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
id: 33333333-3333-4333-8333-333333333333
status: test
correlation:
  type: event_count
  rules: [failed_logon]
  group-by: [host.id]
  timespan: 10m
  condition: { gte: 3 }
level: high
`,
  'single-failed-logon.yml': `
title: A single failed logon on a host in five minutes
id: 44444444-4444-4444-8444-444444444444
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

function eicar(host: string, minute: number) {
  return securityEvent({
    '@timestamp': new Date(T0 + minute * 60_000).toISOString(),
    event: { category: ['malware'], action: 'quarantined', outcome: 'success', module: 'antivirus', ingested: new Date(T0 + minute * 60_000).toISOString() },
    host: { id: host, name: host.toUpperCase() },
    file: { hash: { sha256: EICAR } },
  });
}

function failedLogon(host: string, minute: number) {
  return securityEvent({
    '@timestamp': new Date(T0 + minute * 60_000).toISOString(),
    event: { category: ['authentication'], outcome: 'failure', ingested: new Date(T0 + minute * 60_000).toISOString() },
    host: { id: host, name: host.toUpperCase(), os: { family: 'windows' } },
  });
}

interface Running {
  bus: EmbeddedBus;
  state: CheckpointStore;
  detect: DetectStage;
  correlate: CorrelateStage;
  store: ReturnType<typeof openEmbeddedStore>;
  metrics: ReturnType<typeof createMetrics>;
  stop(): Promise<void>;
  /** Closes everything without letting the correlate stage checkpoint: a crash, as far as its state knows. */
  crash(): Promise<void>;
}

async function start(
  dataDir: string,
  rulesDir: string,
  clock?: () => number,
  wrapStore: (store: Store) => Store = (store) => store,
): Promise<Running> {
  const bus = openEmbeddedBus({ dataDir, pollIntervalMs: 20 });
  const store = openEmbeddedStore({ dataDir });
  const state = openSqliteCheckpointStore(dataDir);
  const metrics = createMetrics({ defaultMetrics: false });
  const log = createLogger('silent');
  const rules = loadDetector(rulesDir);
  expect(rules.errors).toEqual([]);
  const detect = startDetectStage({ bus, store, detector: () => rules.detector, metrics, log });
  const correlate = await startCorrelateStage({
    bus,
    store: wrapStore(store),
    checkpoints: state,
    rules: () => rules.correlation,
    metrics,
    log,
    detectLag: () => bus.lag(TOPICS.events, DETECT_GROUP),
    ...(clock === undefined ? {} : { clock }),
    options: {
      limits: { allowedLatenessMs: 60_000, maxGroupsPerRule: 1000, maxEntriesPerGroup: 1000, sampleSize: 100 },
      alertGroupWindowMs: 3_600_000,
      silence: {},
      // Event times here are fixed in the past: only a test's own clock may move them.
      idleAdvance: clock !== undefined,
      // Only stop() checkpoints, so crash() leaves everything after the start to replay.
      checkpointMs: 3_600_000,
    },
  });
  return {
    bus,
    state,
    detect,
    correlate,
    store,
    metrics,
    async stop() {
      await detect.stop();
      await correlate.stop();
      await state.close();
      await bus.close();
      await store.close();
    },
    async crash() {
      await detect.stop();
      await bus.close();
      await state.close();
      await store.close();
    },
  };
}

async function publish(running: Running, events: ReturnType<typeof securityEvent>[]) {
  await running.bus.publish(
    TOPICS.events,
    events.map((event) => ({ key: event.event.id, value: Buffer.from(JSON.stringify(event)) })),
  );
}

/** Waits until detect and correlate have committed everything published so far. */
async function settled(running: Running) {
  for (let i = 0; i < 400; i++) {
    const lags = await Promise.all([running.bus.lag(TOPICS.events, DETECT_GROUP), running.bus.lag(TOPICS.signals, 'vigil-correlate')]);
    if (lags.every((lag) => lag === 0)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the stages did not catch up');
}

async function alerts(running: Running): Promise<Alert[]> {
  return (await running.store.searchAlerts({ limit: 100 }, ALL_UNITS)).items;
}

async function eventuallyAlerts(running: Running, count: number): Promise<Alert[]> {
  for (let i = 0; i < 200; i++) {
    const found = await alerts(running);
    if (found.length >= count) return found;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return alerts(running);
}

describe('detect and correlate stages', () => {
  let running: Running | undefined;
  let dataDir: string;
  let rulesDir: string;

  const setUp = async (clock?: () => number, wrapStore?: (store: Store) => Store) => {
    dataDir = makeTempDir('vigil-correlate-');
    rulesDir = path.join(dataDir, 'rules');
    fs.mkdirSync(rulesDir);
    for (const [file, text] of Object.entries(RULES)) fs.writeFileSync(path.join(rulesDir, file), text);
    running = await start(dataDir, rulesDir, clock, wrapStore);
    return running;
  };

  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  it('groups repeats of a rule on one host into one alert, across batches', async () => {
    const vigil = await setUp();
    await publish(vigil, [eicar('pc-1', 0), eicar('pc-1', 1)]);
    await settled(vigil);
    await publish(vigil, [eicar('pc-1', 2), eicar('pc-2', 2), eicar('pc-1', 3)]);
    await settled(vigil);

    const raised = await alerts(vigil);
    const byHost = Object.fromEntries(raised.map((alert) => [alert.host.id, alert]));
    expect(raised).toHaveLength(2);
    expect(byHost['pc-1']).toMatchObject({ count: 4, first_seen: '2026-11-22T08:00:00.000Z', last_seen: '2026-11-22T08:03:00.000Z' });
    expect(byHost['pc-1']!.event_ids).toHaveLength(4);
    expect(byHost['pc-2']).toMatchObject({ count: 1 });
  });

  it('raises a correlation alert once, and base rules without generate raise none', async () => {
    const vigil = await setUp();
    await publish(vigil, [failedLogon('dc-1', 0), failedLogon('dc-1', 1), failedLogon('dc-2', 1), failedLogon('dc-1', 2)]);
    await settled(vigil);

    const raised = await alerts(vigil);
    expect(raised.map((alert) => [alert.rule.title, alert.group, alert.count])).toEqual([
      ['Three failed logons on one host', { 'host.id': 'dc-1' }, 3],
    ]);
    expect(raised[0]!.rule.kind).toBe('correlation');
    expect(raised[0]!.severity).toBe('high');
  });

  it('decides a close-time condition when the window closes, by timer, with no further event', async () => {
    let now = T0 + 60_000;
    const vigil = await setUp(() => now);
    await publish(vigil, [failedLogon('dc-9', 0)]);
    await settled(vigil);
    // Window [T0, T0 + 5 min], allowed lateness 1 min: undecided until the clock passes T0 + 6 min.
    now = T0 + 5 * 60_000;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await alerts(vigil)).toEqual([]);

    now = T0 + 6 * 60_000 + 1;
    const raised = await eventuallyAlerts(vigil, 1);
    expect(raised.map((alert) => [alert.rule.title, alert.group, alert.count])).toEqual([
      ['A single failed logon on a host in five minutes', { 'host.id': 'dc-9' }, 1],
    ]);
  });

  it('counts an event later than the allowed lateness and lists it in the health view, without applying it', async () => {
    const vigil = await setUp();
    await publish(vigil, [failedLogon('dc-1', 30)]);
    await settled(vigil);
    const late = failedLogon('dc-1', 0);
    await publish(vigil, [late, failedLogon('dc-1', 30)]);
    await settled(vigil);

    const health = await vigil.correlate.health();
    const threeFailures = '33333333-3333-4333-8333-333333333333';
    expect(health.correlation.late[threeFailures]).toBe(1);
    expect(health.correlation.recentLate).toContainEqual(expect.objectContaining({ correlation: threeFailures, eventId: late.event.id }));
    // Two on-time failures are not three: the late one was not counted in.
    expect(await alerts(vigil)).toEqual([]);
  });

  it('keeps an open window through a restart: no loss, no double count', async () => {
    let vigil = await setUp();
    await publish(vigil, [failedLogon('dc-1', 0), failedLogon('dc-1', 1)]);
    await settled(vigil);
    expect(await alerts(vigil)).toEqual([]);
    await vigil.stop();

    running = vigil = await start(dataDir, rulesDir);
    await publish(vigil, [failedLogon('dc-1', 2)]);
    await settled(vigil);
    const raised = await alerts(vigil);
    expect(raised.map((alert) => [alert.rule.title, alert.count])).toEqual([['Three failed logons on one host', 3]]);
  });

  it('rebuilds an open window after a crash between checkpoints, by replaying the signals', async () => {
    let vigil = await setUp();
    await publish(vigil, [failedLogon('dc-1', 0), failedLogon('dc-1', 1), eicar('pc-1', 1)]);
    await settled(vigil);
    await vigil.crash();

    running = vigil = await start(dataDir, rulesDir);
    await publish(vigil, [failedLogon('dc-1', 2), eicar('pc-1', 2)]);
    await settled(vigil);
    const raised = await alerts(vigil);
    expect(raised.map((alert) => [alert.rule.title, alert.count]).sort()).toEqual([
      ['EICAR test file', 2],
      ['Three failed logons on one host', 3],
    ]);
  });

  it('delivers the alerts of a batch whose alert write failed, when the bus retries it', async () => {
    let failures = 0;
    const failingOnce = (store: Store): Store =>
      Object.assign(Object.create(store) as Store, {
        writeAlerts: async (alerts: readonly Alert[]) => {
          if (failures === 0) {
            failures += 1;
            throw new Error('disk full (simulated)');
          }
          return store.writeAlerts(alerts);
        },
      });
    const vigil = await setUp(undefined, failingOnce);
    await publish(vigil, [eicar('pc-1', 0), eicar('pc-1', 1), eicar('pc-1', 2)]);
    await settled(vigil);

    expect(failures).toBe(1);
    const raised = await alerts(vigil);
    expect(raised.map((alert) => [alert.rule.title, alert.count])).toEqual([['EICAR test file', 3]]);
  });

  it('counts signals detect published twice only once', async () => {
    const vigil = await setUp();
    await publish(vigil, [failedLogon('dc-1', 0), failedLogon('dc-1', 1)]);
    await settled(vigil);
    // What detect does when it crashes after publishing and replays the batch.
    const published = await vigil.bus.readAfter(TOPICS.signals, {}, 100);
    await vigil.bus.publish(TOPICS.signals, published.map(({ key, value }) => ({ key, value })));
    expect(published.length).toBeGreaterThan(0);
    await settled(vigil);

    expect(await alerts(vigil)).toEqual([]);
    const skipped = await vigil.metrics.signalsSkipped.get();
    expect(skipped.values.find((value) => value.labels.reason === 'replayed')?.value).toBe(2);
  });
});
