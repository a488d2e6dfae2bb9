// When detection cannot keep up, ingest says so instead of growing the backlog without
// end: above VIGIL_INGEST_MAX_BACKLOG events not yet detected, posts get 503 with a
// Retry-After and a message saying why; nothing of a refused post is kept (the agent
// resends it), nothing accepted before is touched, and posts are accepted again once
// detection has caught up.
import { afterEach, describe, expect, it } from 'vitest';
import { TOPICS } from '../../core/ports/bus.ts';
import { DETECT_GROUP } from '../../detect/detect-stage.ts';
import { retryAfterSeconds } from '../../ingest/backlog-gate.ts';
import { startIngest, type IngestHarness } from './ingest-harness.ts';

const events = (count: number, from = 0) =>
  JSON.stringify(
    Array.from({ length: count }, (_, i) => ({ '@timestamp': new Date().toISOString(), event: { id: `e-${from + i}`, kind: 'event' }, host: { name: `PC-${i % 7}` } })),
  );

describe('ingest above the detection backlog bound', () => {
  let ingest: IngestHarness | undefined;
  afterEach(async () => ingest?.close());

  it('refuses with 503 and Retry-After while detection is behind, keeps nothing of the refused post, and accepts again once caught up', async () => {
    ingest = await startIngest({ maxBacklogEvents: 50 });
    const first = await ingest.post(ingest.keys.a, events(60));
    expect(first.status).toBe(202);
    expect(first.body.accepted).toBe(60);

    await ingest.sampleBacklog();
    const refused = await ingest.post(ingest.keys.a, events(5, 100));
    expect(refused.status).toBe(503);
    expect(refused.body.error?.message).toContain('detection is 60 events behind');
    expect(refused.body.error?.message).toContain('VIGIL_INGEST_MAX_BACKLOG');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(5);
    expect(await ingest.metrics.registry.getSingleMetricAsString('vigil_ingest_posts_refused_total')).toContain('vigil_ingest_posts_refused_total{reason="backlog"} 1');
    expect(await ingest.bus.lag(TOPICS.events, DETECT_GROUP)).toBe(60);

    // Detect works the backlog off (commits everything), as the detect stage would.
    let handled = 0;
    let caughtUp: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (caughtUp = resolve));
    const detect = ingest.bus.subscribe(TOPICS.events, DETECT_GROUP, async (batch) => {
      handled += batch.length;
      if (handled >= 60) caughtUp();
    });
    await done;
    await detect.stop();
    await ingest.sampleBacklog();

    const again = await ingest.post(ingest.keys.a, events(5, 100));
    expect(again.status).toBe(202);
    // Everything accepted is there once: the 60 and the resent 5, never the refused copy.
    expect(await ingest.toStore()).toBe(65);
  });

  it('does not refuse without a bound (VIGIL_INGEST_MAX_BACKLOG=0)', async () => {
    ingest = await startIngest({ maxBacklogEvents: 0 });
    expect((await ingest.post(ingest.keys.a, events(60))).status).toBe(202);
    await ingest.sampleBacklog();
    expect((await ingest.post(ingest.keys.a, events(60, 60))).status).toBe(202);
  });
});

describe('Retry-After from the backlog', () => {
  it('is the time to fall back under the bound at the measured rates, within 5 s and 5 minutes', () => {
    expect(retryAfterSeconds({ events: 150_000, drainPerSecond: 6_000, inflowPerSecond: 1_000, catchUpSeconds: 30 }, 100_000)).toBe(10);
    expect(retryAfterSeconds({ events: 100_100, drainPerSecond: 6_000, inflowPerSecond: 1_000, catchUpSeconds: 21 }, 100_000)).toBe(5);
    expect(retryAfterSeconds({ events: 9_000_000, drainPerSecond: 2_000, inflowPerSecond: 1_000, catchUpSeconds: 9_000 }, 100_000)).toBe(300);
    // Not shrinking: no estimate, a minute.
    expect(retryAfterSeconds({ events: 200_000, drainPerSecond: 1_000, inflowPerSecond: 3_000, catchUpSeconds: null }, 100_000)).toBe(60);
  });
});
