// Embedded bus retention: records past retention go, except what a named group has not
// committed yet (a stopped detect must lose nothing) and each partition's newest record.
import { afterEach, describe, expect, it } from 'vitest';
import { openEmbeddedBus, type EmbeddedBus } from '../../../core/bus/embedded-bus.ts';
import { startBusRetention, type BusRetention } from '../../../core/bus/retention.ts';
import { createLogger } from '../../../core/log.ts';
import { makeTempDir } from '../../support/start-vigil.ts';

const log = createLogger('silent');

describe('startBusRetention', () => {
  let bus: EmbeddedBus | undefined;
  let retention: BusRetention | undefined;
  afterEach(async () => {
    retention?.stop();
    await bus?.close();
  });

  it('keeps what the consuming group has not committed, and prunes the rest once it has', async () => {
    bus = openEmbeddedBus({ dataDir: makeTempDir('vigil-retention-') });
    await bus.ensureTopics([{ name: 'events', partitions: 1 }]);
    await bus.publish('events', Array.from({ length: 10 }, (_, i) => ({ key: 'host', value: Buffer.from(String(i)) })));

    // Two hours later, with one hour of retention: everything is past it, but the group
    // has committed nothing.
    const later = () => Date.now() + 2 * 3600_000;
    retention = startBusRetention(bus, { retentionHours: 1, topics: { events: ['detect'] }, clock: later }, log);
    expect(retention.prune()).toEqual({ events: 0 });

    // The group handles the first 6 records and commits.
    let handled!: () => void;
    const done = new Promise<void>((resolve) => (handled = resolve));
    const subscription = bus.subscribe('events', 'detect', async (batch) => {
      if (batch.some((record) => record.offset >= 5)) handled();
    }, { maxBatchRecords: 6 });
    await done;
    await subscription.stop();
    const committed = (await bus.committed('events', 'detect'))[0]!;
    expect(committed).toBeGreaterThanOrEqual(5);

    expect(retention.prune().events).toBe(Math.min(committed, 8) + 1);
    const left = await bus.readAfter('events', {}, 100);
    expect(left[0]!.offset).toBe(Math.min(committed, 8) + 1);
    expect(left.at(-1)!.offset).toBe(9);
  });
});
