// The backlog estimate an analyst reads on Health ("38,000 events behind, caught up in
// about 2 minutes") and ingest uses for Retry-After: rates over the last minute of
// samples, and no invented time when the backlog is not shrinking.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openEmbeddedBus } from '../../../core/bus/embedded-bus.ts';
import { BacklogEstimator, readTopicProgress, type TopicProgress } from '../../../core/health/backlog.ts';
import { TOPICS, type Bus } from '../../../core/ports/bus.ts';

const sample = (seconds: number, appended: number, done: number): TopicProgress => ({ at: seconds * 1000, appended, done, lag: appended - done });

describe('BacklogEstimator', () => {
  it('says how long the backlog takes to go when detection outruns the inflow', () => {
    const estimator = new BacklogEstimator();
    estimator.add(sample(0, 100_000, 40_000));
    // 10 s later: 20,000 more arrived, 50,000 more were detected.
    const backlog = estimator.add(sample(10, 120_000, 90_000));
    expect(backlog).toEqual({ events: 30_000, inflowPerSecond: 2_000, drainPerSecond: 5_000, catchUpSeconds: 10 });
  });

  it('gives no time when the backlog is not shrinking, and zero when there is none', () => {
    const growing = new BacklogEstimator();
    growing.add(sample(0, 1_000, 500));
    expect(growing.add(sample(10, 11_000, 5_500)).catchUpSeconds).toBeNull();
    const stalled = new BacklogEstimator();
    stalled.add(sample(0, 1_000, 500));
    expect(stalled.add(sample(10, 1_000, 500)).catchUpSeconds).toBeNull();
    const idle = new BacklogEstimator();
    expect(idle.add(sample(0, 1_000, 1_000))).toMatchObject({ events: 0, catchUpSeconds: 0 });
  });

  it('measures its rates over the last minute, not since it started', () => {
    const estimator = new BacklogEstimator(60_000);
    // A fast first minute, then detection slows to 100 events/s with nothing arriving.
    estimator.add(sample(0, 200_000, 0));
    estimator.add(sample(60, 200_000, 120_000));
    estimator.add(sample(120, 200_000, 126_000));
    const backlog = estimator.add(sample(180, 200_000, 132_000));
    expect(backlog.drainPerSecond).toBe(100);
    expect(backlog.catchUpSeconds).toBe(680);
  });
});

describe('readTopicProgress', () => {
  let dataDir: string | undefined;
  let bus: Bus | undefined;
  afterEach(async () => {
    await bus?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads appended and committed totals from the bus, the same as its lag', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-backlog-'));
    bus = openEmbeddedBus({ dataDir });
    await bus.ensureTopics([{ name: TOPICS.events, partitions: 2 }]);
    const messages = Array.from({ length: 10 }, (_, i) => ({ key: `host-${i}`, value: Buffer.from(`{"n":${i}}`) }));
    await bus.publish(TOPICS.events, messages);
    const before = await readTopicProgress(bus, TOPICS.events, 'readers', 1_000);
    expect(before).toEqual({ at: 1_000, appended: 10, done: 0, lag: 10 });

    let seen = 0;
    let resolveAll: () => void = () => undefined;
    const all = new Promise<void>((resolve) => (resolveAll = resolve));
    const subscription = bus.subscribe(TOPICS.events, 'readers', async (batch) => {
      seen += batch.length;
      if (seen === 10) resolveAll();
    });
    await all;
    await subscription.stop();
    const after = await readTopicProgress(bus, TOPICS.events, 'readers', 2_000);
    expect(after).toEqual({ at: 2_000, appended: 10, done: 10, lag: 0 });
  });
});
