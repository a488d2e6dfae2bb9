// The correlate stage's checkpoint stores, held to one contract: per partition, the
// latest saved state and position come back, on a fresh store too; partitions are
// independent. The topic-backed store (the cluster's) also proves its atomicity: a save
// that dies before its manifest leaves the previous checkpoint whole, however many
// chunks the state takes. Runs on correlation.db, over the embedded bus, and over the
// real Kafka broker (skipped loudly without it; never under CI=true).
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { openEmbeddedBus } from '../../../core/bus/embedded-bus.ts';
import { openKafkaBus } from '../../../core/bus/kafka-bus.ts';
import type { Bus } from '../../../core/ports/bus.ts';
import { createBusCheckpointStore } from '../../../detect/correlation/bus-checkpoint-store.ts';
import type { CheckpointStore } from '../../../detect/correlation/checkpoint-store.ts';
import { openSqliteCheckpointStore } from '../../../detect/correlation/sqlite-checkpoint-store.ts';
import { makeTempDir } from '../../support/start-vigil.ts';
import { servicesForSuite } from '../../support/services.ts';

interface Backing {
  open(): CheckpointStore;
  topic?: string;
  /** The bus behind a topic-backed store, to break a save half-way. */
  bus?: Bus;
  openWith?(bus: Bus): CheckpointStore;
  cleanup(): Promise<void>;
}

const checkpointTopic = (backing: Backing) => backing.topic ?? 'vigil.correlate-state';

const state = (label: string, size = 10) => ({ label, windows: Array.from({ length: size }, (_, i) => ({ i, id: randomUUID() })) });

function runCheckpointStoreSuite(name: string, create: () => Promise<Backing>, skip?: string) {
  describe.skipIf(skip !== undefined)(`checkpoint store: ${name}`, () => {
    let backing: Backing | undefined;
    afterEach(async () => {
      await backing?.cleanup();
      backing = undefined;
    });

    it('gives back the latest checkpoint of each partition, on a fresh store too', async () => {
      backing = await create();
      const store = backing.open();
      expect(await store.load([0, 1, 2])).toEqual(new Map());
      await store.save(new Map([[0, { position: 4, state: state('p0 first') }], [2, { position: 9, state: state('p2') }]]));
      const newer = state('p0 second');
      await store.save(new Map([[0, { position: 12, state: newer }]]));
      const loaded = await store.load([0, 1, 2]);
      expect([...loaded.keys()].sort()).toEqual([0, 2]);
      expect(loaded.get(0)).toEqual({ position: 12, state: newer });
      expect(loaded.get(2)?.position).toBe(9);
      await store.close();

      const reopened = backing.open();
      expect((await reopened.load([0])).get(0)).toEqual({ position: 12, state: newer });
      await reopened.close();
    });

    if (name.includes('topic')) {
      it('keeps the previous checkpoint whole when a save dies before its manifest, over many chunks', async () => {
        backing = await create();
        const bus = backing.bus!;
        const before = state('before', 400);
        const first = backing.openWith!(bus);
        await first.save(new Map([[1, { position: 100, state: before }]]));

        // The process dies after its chunks are durable, before the manifest is written.
        let publishes = 0;
        const dying = Object.assign(Object.create(bus) as Bus, {
          publish: async (topic: string, records: Parameters<Bus['publish']>[1]) => {
            publishes += 1;
            if (publishes === 2) throw new Error('killed (simulated)');
            return bus.publish(topic, records);
          },
        });
        const crashing = backing.openWith!(dying);
        await crashing.load([1]);
        await expect(crashing.save(new Map([[1, { position: 200, state: state('half-written', 400) }]]))).rejects.toThrow('killed');
        expect(publishes).toBe(2);

        const afterCrash = backing.openWith!(bus);
        expect((await afterCrash.load([1])).get(1)).toEqual({ position: 100, state: before });
        // The next save succeeds and replaces it, its chunks never mixed with the dead save's.
        const after = state('after', 30);
        await afterCrash.save(new Map([[1, { position: 300, state: after }]]));
        expect((await backing.openWith!(bus).load([1])).get(1)).toEqual({ position: 300, state: after });
      });

      it('stays whole when an old owner still saves while the new one does: the last manifest wins', async () => {
        backing = await create();
        const bus = backing.bus!;
        const oldOwner = backing.openWith!(bus);
        const newOwner = backing.openWith!(bus);
        await oldOwner.save(new Map([[0, { position: 10, state: state('old 1', 200) }]]));
        await newOwner.load([0]);
        const interleaved = [
          [newOwner, 20, 'new 1'],
          [oldOwner, 11, 'old 2'],
          [newOwner, 21, 'new 2'],
          [oldOwner, 12, 'old 3'],
          [newOwner, 22, 'new 3'],
        ] as const;
        for (const [store, position, label] of interleaved) {
          const saved = { position, state: state(label, 200) };
          await store.save(new Map([[0, saved]]));
          expect((await backing.openWith!(bus).load([0])).get(0)).toEqual(saved);
        }
      });

      it('blanks the chunks a dead replica left, once they are old', async () => {
        backing = await create();
        const bus = backing.bus!;
        await backing.openWith!(bus).save(new Map([[0, { position: 1, state: state('dead replica', 50) }]]));
        const live = { position: 2, state: state('live', 50) };
        await backing.openWith!(bus).save(new Map([[0, live]]));
        const hasDeadChunks = async () => {
          const records = await bus.readAfter(checkpointTopic(backing!), {}, 10_000);
          const newest = new Map(records.map((record) => [record.key, record.value.length]));
          const writers = new Set([...newest].filter(([key, length]) => key.includes('/') && length > 0).map(([key]) => key.split('/')[1]));
          return writers.size;
        };
        expect(await hasDeadChunks()).toBe(2);
        const later = createBusCheckpointStore(bus, { topic: checkpointTopic(backing), chunkBytes: 256, clock: () => Date.now() + 11 * 60_000 });
        expect((await later.load([0])).get(0)).toEqual(live);
        expect(await hasDeadChunks()).toBe(1);
      });
    }
  });
}

runCheckpointStoreSuite('correlation.db (SQLite)', async () => {
  const dir = makeTempDir('vigil-checkpoints-');
  return { open: () => openSqliteCheckpointStore(dir), cleanup: async () => undefined };
});

runCheckpointStoreSuite('compacted topic over the embedded bus', async () => {
  const bus = openEmbeddedBus({ dataDir: makeTempDir('vigil-checkpoints-bus-') });
  const topic = 'vigil.correlate-state';
  await bus.ensureTopics([{ name: topic, partitions: 2, compacted: true }]);
  // Small chunks, so a state spans many records.
  const openWith = (on: Bus) => createBusCheckpointStore(on, { topic, chunkBytes: 256 });
  return { bus, topic, open: () => openWith(bus), openWith, cleanup: () => bus.close() };
});

const services = servicesForSuite('the Kafka checkpoint store suite');
runCheckpointStoreSuite(
  'compacted topic on Kafka',
  async () => {
    const bus = openKafkaBus({ brokers: services!.kafkaBrokers.split(','), clientId: `vigil-test-${randomUUID().slice(0, 8)}`, replicationFactor: 1 });
    const topic = `checkpoints.${randomUUID().slice(0, 8)}`;
    await bus.ensureTopics([{ name: topic, partitions: 2, compacted: true }]);
    const openWith = (on: Bus) => createBusCheckpointStore(on, { topic, chunkBytes: 1024 });
    return { bus, topic, open: () => openWith(bus), openWith, cleanup: () => bus.close() };
  },
  services ? undefined : 'no Kafka broker; run `npm run services -- start`',
);
