// The Bus conformance suite: the behaviour every stage relies on, run against each
// adapter (embedded SQLite, Kafka) so they are interchangeable. Assertions stay within
// what the port promises: order is per partition (so per key), positions are per
// partition and name the last record handled, topics are ensured before use.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VigilError } from '../../core/errors.ts';
import type { Bus, BusMessage, BusRecord, Positions, SubscribeOptions, Subscription } from '../../core/ports/bus.ts';

export interface BusFixture {
  bus: Bus;
  /**
   * Simulates a process restart: closes the current bus and opens a new one on the same
   * state. `cleanup` must then close the reopened bus. Omit when the adapter cannot.
   */
  reopen?: () => Promise<Bus>;
  cleanup: () => Promise<void>;
}

export interface BusConformanceOptions {
  create: () => Promise<BusFixture>;
  /** Why this adapter cannot run here; the suite is then skipped, and says so loudly. */
  skip?: string;
}

// Generous enough for a Kafka consumer group to join and rebalance.
const DELIVERY_TIMEOUT_MS = 30_000;
// How long "nothing more arrives" is watched for.
const QUIET_MS = 500;
// Topics have several partitions, so nothing below can lean on one global order.
const PARTITIONS = 3;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function message(key: string, text: string): BusMessage {
  return { key, value: encoder.encode(text) };
}

function text(record: BusRecord): string {
  return decoder.decode(record.value);
}

function texts(records: readonly BusRecord[]): string[] {
  return records.map(text);
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

let names = 0;
/** Topic and group names unique per test, valid for Kafka ([a-zA-Z0-9._-]). */
function uniqueName(prefix: string): string {
  names += 1;
  return `conformance.${prefix}.${process.pid}.${Date.now().toString(36)}.${names}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = DELIVERY_TIMEOUT_MS, everyMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

function expectOffsetsIncreasePerPartition(records: readonly BusRecord[]): void {
  const last = new Map<number, number>();
  for (const record of records) {
    const previous = last.get(record.partition);
    if (previous !== undefined) expect(record.offset).toBeGreaterThan(previous);
    last.set(record.partition, record.offset);
  }
}

/** A subscription that keeps what it was handed, for assertions. */
interface Consumer {
  records: BusRecord[];
  batches: BusRecord[][];
  subscription: Subscription;
  /** Waits until at least `count` records arrived. */
  received(count: number): Promise<void>;
}

function consume(bus: Bus, topic: string, group: string, options?: SubscribeOptions): Consumer {
  const records: BusRecord[] = [];
  const batches: BusRecord[][] = [];
  const subscription = bus.subscribe(
    topic,
    group,
    async (batch) => {
      batches.push(batch);
      records.push(...batch);
    },
    options,
  );
  return {
    records,
    batches,
    subscription,
    received: (count) => waitFor(`${count} records on ${topic} for ${group} (have ${records.length})`, () => records.length >= count),
  };
}

export function runBusConformance(name: string, options: BusConformanceOptions): void {
  if (options.skip) {
    console.warn(`\n!!! Bus conformance suite for ${name} is SKIPPED: ${options.skip}\n`);
    describe.skip(`Bus conformance: ${name} (skipped: ${options.skip})`, () => {
      it('is skipped', () => undefined);
    });
    return;
  }

  describe(`Bus conformance: ${name}`, () => {
    let fixture: BusFixture;
    // Tests that reopen the bus replace it here, so every test reads the current one.
    let bus: Bus;
    const open: Subscription[] = [];

    function track(consumer: Consumer): Consumer {
      open.push(consumer.subscription);
      return consumer;
    }

    /** A fresh topic, ensured first as stages do (Kafka refuses topics nobody created). */
    async function newTopic(prefix: string, partitions = PARTITIONS, compacted = false): Promise<string> {
      const topic = uniqueName(prefix);
      await bus.ensureTopics([{ name: topic, partitions, compacted }]);
      return topic;
    }

    beforeEach(async () => {
      fixture = await options.create();
      bus = fixture.bus;
    });

    afterEach(async () => {
      // A failed assertion must not leave a consumer running into the next test.
      await Promise.all(open.splice(0).map((subscription) => subscription.stop()));
      await fixture.cleanup();
    });

    describe('publish and subscribe', () => {
      it('delivers every record of every publish call, with keys and bytes intact, in order', async () => {
        const topic = await newTopic('order');
        const before = Date.now();
        const binary = new Uint8Array([0, 1, 2, 127, 128, 254, 255, 0]);
        const large = new Uint8Array(64 * 1024).map((_, i) => i % 251);
        await bus.publish(topic, [message('host-1', 'r0'), message('host-1', 'r1')]);
        await bus.publish(topic, [{ key: 'host-1', value: binary }, { key: 'host-1', value: large }]);
        await bus.publish(topic, [message('host-1', 'r4'), message('host-1', ''), message('host-1', 'r6 ünïcødé')]);
        const after = Date.now();

        const consumer = track(consume(bus, topic, uniqueName('group')));
        await consumer.received(7);
        await sleep(QUIET_MS);

        const records = consumer.records;
        expect(records).toHaveLength(7);
        expect(records.map((record) => record.key)).toEqual(Array(7).fill('host-1'));
        expect(texts(records.slice(0, 2))).toEqual(['r0', 'r1']);
        expect(hex(records[2]!.value)).toBe(hex(binary));
        expect(hex(records[3]!.value)).toBe(hex(large));
        expect(texts(records.slice(4))).toEqual(['r4', '', 'r6 ünïcødé']);
        for (const record of records) {
          expect(record.topic).toBe(topic);
          expect(record.value).toBeInstanceOf(Uint8Array);
          expect(record.timestamp).toBeGreaterThanOrEqual(before - 5_000);
          expect(record.timestamp).toBeLessThanOrEqual(after + 5_000);
        }
        expectOffsetsIncreasePerPartition(records);
      });

      it('keeps the order of each key when keys are interleaved', async () => {
        const topic = await newTopic('keys');
        const keys = ['host-a', 'host-b', 'host-c'];
        const batch = Array.from({ length: 30 }, (_, i) => message(keys[i % 3]!, `${keys[i % 3]}#${Math.floor(i / 3)}`));
        await bus.publish(topic, batch);

        const consumer = track(consume(bus, topic, uniqueName('group')));
        await consumer.received(30);
        await sleep(QUIET_MS);

        expect(consumer.records).toHaveLength(30);
        for (const key of keys) {
          const ofKey = consumer.records.filter((record) => record.key === key);
          expect(texts(ofKey)).toEqual(Array.from({ length: 10 }, (_, n) => `${key}#${n}`));
        }
        expectOffsetsIncreasePerPartition(consumer.records);
      });

      it('delivers records published while the group is already waiting', async () => {
        const topic = await newTopic('live');
        const consumer = track(consume(bus, topic, uniqueName('group')));
        await sleep(200);
        await bus.publish(topic, [message('k', 'late-0'), message('k', 'late-1')]);
        await consumer.received(2);
        expect(texts(consumer.records)).toEqual(['late-0', 'late-1']);
      });

      it('never hands more than maxBatchRecords to one onBatch call', async () => {
        const topic = await newTopic('batch-size');
        await bus.publish(topic, Array.from({ length: 10 }, (_, i) => message('k', `m${i}`)));

        const consumer = track(consume(bus, topic, uniqueName('group'), { maxBatchRecords: 3 }));
        await consumer.received(10);

        expect(consumer.batches.length).toBeGreaterThanOrEqual(4);
        for (const batch of consumer.batches) expect(batch.length).toBeLessThanOrEqual(3);
        expect(texts(consumer.records)).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
      });

      it('gives every record to each of two groups', async () => {
        const topic = await newTopic('groups');
        const published = Array.from({ length: 12 }, (_, i) => message(i % 2 ? 'odd' : 'even', `g${i}`));
        await bus.publish(topic, published);

        const first = track(consume(bus, topic, uniqueName('first')));
        const second = track(consume(bus, topic, uniqueName('second')));
        await first.received(12);
        await second.received(12);
        await sleep(QUIET_MS);

        const expected = published.map((record) => decoder.decode(record.value)).sort();
        expect(texts(first.records).sort()).toEqual(expected);
        expect(texts(second.records).sort()).toEqual(expected);
      });
    });

    describe('committed positions', () => {
      it('resumes a group after its committed position when it subscribes again', async () => {
        const topic = await newTopic('resume');
        const group = uniqueName('group');
        await bus.publish(topic, ['a0', 'a1', 'a2', 'a3'].map((value) => message('k', value)));
        const first = consume(bus, topic, group);
        await first.received(4);
        await first.subscription.stop();

        await bus.publish(topic, ['b0', 'b1', 'b2'].map((value) => message('k', value)));
        const second = track(consume(bus, topic, group));
        await second.received(3);
        await sleep(QUIET_MS);

        expect(texts(second.records)).toEqual(['b0', 'b1', 'b2']);
      });

      it('keeps records and committed positions across a restart', async (context) => {
        if (!fixture.reopen) context.skip(`${name} gives no reopen(), so a restart cannot be simulated`);
        const topic = await newTopic('restart');
        const group = uniqueName('group');
        await bus.publish(topic, ['a0', 'a1', 'a2', 'a3'].map((value) => message('k', value)));
        const first = consume(bus, topic, group);
        await first.received(4);
        await first.subscription.stop();

        bus = await fixture.reopen!();
        expect(texts(await bus.readAfter(topic, {}, 100))).toEqual(['a0', 'a1', 'a2', 'a3']);
        expect(await bus.lag(topic, group)).toBe(0);
        // The committed position is the last record handled, and reading after it finds nothing.
        const committed = await bus.committed(topic, group);
        expect(await bus.readAfter(topic, committed, 100)).toEqual([]);
        expect(await bus.committed(topic, uniqueName('never-consumed'))).toEqual({});

        await bus.publish(topic, ['b0', 'b1'].map((value) => message('k', value)));
        const second = track(consume(bus, topic, group));
        await second.received(2);
        await sleep(QUIET_MS);

        expect(texts(second.records)).toEqual(['b0', 'b1']);
        expect(texts(await bus.readAfter(topic, {}, 100))).toEqual(['a0', 'a1', 'a2', 'a3', 'b0', 'b1']);
      });

      it('retries a failing batch with the same records, commits nothing early and skips nothing', async () => {
        const topic = await newTopic('retry');
        const group = uniqueName('group');
        await bus.publish(topic, ['x0', 'x1', 'x2'].map((value) => message('k', value)));

        const attempts: string[][] = [];
        const lagWhileFailing: number[] = [];
        const handled: BusRecord[] = [];
        const errors: unknown[] = [];
        const subscription = bus.subscribe(
          topic,
          group,
          async (batch) => {
            attempts.push(texts(batch));
            if (attempts.length <= 2) {
              lagWhileFailing.push(await bus.lag(topic, group));
              throw new Error(`store down (attempt ${attempts.length})`);
            }
            handled.push(...batch);
          },
          { onError: (error) => errors.push(error) },
        );
        open.push(subscription);

        await waitFor('the batch to succeed after two failures', () => handled.length >= 3);
        expect(attempts[1]).toEqual(attempts[0]);
        expect(attempts[2]).toEqual(attempts[0]);
        expect(lagWhileFailing).toEqual([3, 3]);
        expect(errors.map((error) => (error as Error).message)).toEqual([
          'store down (attempt 1)',
          'store down (attempt 2)',
        ]);
        expect(texts(handled)).toEqual(['x0', 'x1', 'x2']);
        await waitFor('the group to commit after the success', async () => (await bus.lag(topic, group)) === 0);

        await bus.publish(topic, [message('k', 'x3')]);
        await waitFor('the next record after recovery', () => handled.length >= 4);
        expect(texts(handled)).toEqual(['x0', 'x1', 'x2', 'x3']);
      });

      it('stop() finishes the batch in hand, commits it, and hands over nothing afterwards', async () => {
        const topic = await newTopic('stop');
        const group = uniqueName('group');
        await bus.publish(topic, ['s0', 's1', 's2', 's3', 's4'].map((value) => message('k', value)));

        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        const calls: BusRecord[][] = [];
        const subscription = bus.subscribe(
          topic,
          group,
          async (batch) => {
            calls.push(batch);
            await gate;
          },
          { maxBatchRecords: 2 },
        );
        open.push(subscription);
        await waitFor('the first batch to be in hand', () => calls.length === 1);

        let stopped = false;
        const stopping = subscription.stop().then(() => (stopped = true));
        await sleep(200);
        expect(stopped).toBe(false);
        release();
        await stopping;

        expect(calls).toHaveLength(1);
        const inHand = texts(calls[0]!);
        await bus.publish(topic, [message('k', 's5')]);
        await sleep(QUIET_MS);
        expect(calls).toHaveLength(1);

        const rest = ['s0', 's1', 's2', 's3', 's4', 's5'].slice(inHand.length);
        const again = track(consume(bus, topic, group));
        await again.received(rest.length);
        await sleep(QUIET_MS);
        expect(texts(again.records)).toEqual(rest);
      });

      it('stop() on an idle subscription resolves and nothing is handed over afterwards', async () => {
        const topic = await newTopic('idle-stop');
        const consumer = consume(bus, topic, uniqueName('group'));
        await sleep(200);
        await consumer.subscription.stop();
        await bus.publish(topic, [message('k', 'after-stop')]);
        await sleep(QUIET_MS);
        expect(consumer.records).toEqual([]);
      });

      it("start: 'latest' sees only records published after subscribing", async () => {
        const topic = await newTopic('latest');
        await bus.publish(topic, ['old0', 'old1', 'old2'].map((value) => message('k', value)));

        const consumer = track(consume(bus, topic, uniqueName('group'), { start: 'latest' }));
        // The port has no "ready" signal (a Kafka group joins asynchronously), so probe
        // until the subscription demonstrably sees new records.
        let probes = 0;
        await waitFor(
          'a probe published after subscribing',
          async () => {
            if (consumer.records.length > 0) return true;
            probes += 1;
            await bus.publish(topic, [message('k', `probe${probes}`)]);
            return false;
          },
          DELIVERY_TIMEOUT_MS,
          250,
        );
        await bus.publish(topic, ['new0', 'new1', 'new2'].map((value) => message('k', value)));
        await waitFor('the new records', () => texts(consumer.records).includes('new2'));
        await sleep(QUIET_MS);

        const seen = texts(consumer.records);
        expect(seen.filter((value) => value.startsWith('old'))).toEqual([]);
        expect(seen.slice(-3)).toEqual(['new0', 'new1', 'new2']);
      });
    });

    describe('readAfter', () => {
      it('returns exactly the records after the given positions, oldest first, up to the limit', async () => {
        const topic = await newTopic('read');
        await bus.publish(topic, Array.from({ length: 10 }, (_, i) => message('console', `e${i}`)));
        await bus.publish(topic, []);

        const all = await bus.readAfter(topic, {}, 100);
        expect(texts(all)).toEqual(Array.from({ length: 10 }, (_, i) => `e${i}`));
        expect(all.every((record) => record.key === 'console' && record.topic === topic)).toBe(true);
        expectOffsetsIncreasePerPartition(all);

        const fourth = all[3]!;
        const rest = await bus.readAfter(topic, { [fourth.partition]: fourth.offset }, 100);
        expect(texts(rest)).toEqual(['e4', 'e5', 'e6', 'e7', 'e8', 'e9']);
        expect(rest.map((record) => record.offset)).toEqual(all.slice(4).map((record) => record.offset));

        expect(texts(await bus.readAfter(topic, {}, 2))).toEqual(['e0', 'e1']);
        expect(texts(await bus.readAfter(topic, { [fourth.partition]: fourth.offset }, 3))).toEqual(['e4', 'e5', 'e6']);

        const last = all[9]!;
        expect(await bus.readAfter(topic, { [last.partition]: last.offset }, 100)).toEqual([]);
      });

      it('returns nothing for a topic nobody has published to yet', async () => {
        expect(await bus.readAfter(await newTopic('empty'), {}, 100)).toEqual([]);
      });
    });

    describe('endPositions', () => {
      it('marks the current end, so reading after it returns only what is published later', async () => {
        const topic = await newTopic('end');
        expect(await bus.endPositions(topic)).toEqual({});

        await bus.publish(topic, ['p0', 'p1', 'p2'].map((value) => message('console', value)));
        const end = await bus.endPositions(topic);
        const all = await bus.readAfter(topic, {}, 100);
        const last = all[all.length - 1]!;
        expect(end[last.partition]).toBe(last.offset);
        expect(await bus.readAfter(topic, end, 100)).toEqual([]);

        await bus.publish(topic, ['q0', 'q1'].map((value) => message('console', value)));
        expect(texts(await bus.readAfter(topic, end, 100))).toEqual(['q0', 'q1']);
      });
    });

    describe('lag', () => {
      it('counts the records a group has not committed', async () => {
        const topic = await newTopic('lag');
        const group = uniqueName('group');
        expect(await bus.lag(topic, group)).toBe(0);

        await bus.publish(topic, ['l0', 'l1', 'l2', 'l3', 'l4'].map((value) => message('k', value)));
        expect(await bus.lag(topic, group)).toBe(5);

        const consumer = consume(bus, topic, group, { maxBatchRecords: 2 });
        await consumer.received(5);
        await consumer.subscription.stop();
        expect(await bus.lag(topic, group)).toBe(0);

        await bus.publish(topic, ['l5', 'l6', 'l7'].map((value) => message('k', value)));
        expect(await bus.lag(topic, group)).toBe(3);
        expect(await bus.lag(topic, uniqueName('never-subscribed'))).toBe(8);
      });
    });
    describe('topics and partitions', () => {
      it('creates topics with their partition count and leaves an existing topic as it is', async () => {
        const topic = await newTopic('topics', 4);
        expect(await bus.partitionCount(topic)).toBe(4);
        await bus.ensureTopics([{ name: topic, partitions: 2 }]);
        expect(await bus.partitionCount(topic)).toBe(4);

        const compacted = await newTopic('compacted', 2, true);
        expect(await bus.partitionCount(compacted)).toBe(2);
        await bus.publish(compacted, [message('partition-0', 'checkpoint')]);
        expect(texts(await bus.readAfter(compacted, {}, 10))).toEqual(['checkpoint']);
      });

      it('puts every record of one key in one partition, and spreads keys over partitions', async () => {
        const topic = await newTopic('spread', 4);
        const keys = Array.from({ length: 12 }, (_, i) => `host-${i}`);
        await bus.publish(topic, keys.flatMap((key) => [0, 1, 2].map((n) => message(key, `${key}#${n}`))));

        const all = await bus.readAfter(topic, {}, 100);
        expect(all).toHaveLength(36);
        const partitionOf = new Map<string, Set<number>>();
        for (const record of all) {
          expect(record.partition).toBeGreaterThanOrEqual(0);
          expect(record.partition).toBeLessThan(4);
          partitionOf.set(record.key, (partitionOf.get(record.key) ?? new Set()).add(record.partition));
        }
        for (const key of keys) {
          expect(partitionOf.get(key)?.size).toBe(1);
          expect(texts(all.filter((record) => record.key === key))).toEqual([0, 1, 2].map((n) => `${key}#${n}`));
        }
        expect(new Set(all.map((record) => record.partition)).size).toBeGreaterThan(1);
        expectOffsetsIncreasePerPartition(all);

        // A later publish of a key lands where its earlier records are.
        await bus.publish(topic, [message('host-3', 'host-3#3')]);
        const end = await bus.endPositions(topic);
        const host3 = [...partitionOf.get('host-3')!][0]!;
        const again = await bus.readAfter(topic, { ...end, [host3]: end[host3]! - 1 }, 10);
        expect(again.map((record) => [record.partition, text(record)])).toEqual([[host3, 'host-3#3']]);
      });

      it('appends to the partition a record names, whatever its key', async () => {
        const topic = await newTopic('explicit', 4);
        await bus.publish(topic, ['a', 'b', 'c', 'd'].map((key, i) => ({ ...message(key, `to-2-${i}`), partition: 2 })));
        await bus.publish(topic, [{ ...message('a', 'to-0'), partition: 0 }]);

        const all = await bus.readAfter(topic, {}, 100);
        expect(all.filter((record) => record.partition === 2).map(text)).toEqual(['to-2-0', 'to-2-1', 'to-2-2', 'to-2-3']);
        expect(all.filter((record) => record.partition === 0).map(text)).toEqual(['to-0']);
        const end = await bus.endPositions(topic);
        expect(Object.keys(end).map(Number).sort()).toEqual([0, 2]);
        expect(end[2]).toBe(all.filter((record) => record.partition === 2).at(-1)!.offset);
      });

      it('refuses a record naming a partition the topic does not have', async () => {
        const topic = await newTopic('no-such-partition', 2);
        await expect(bus.publish(topic, [{ ...message('k', 'x'), partition: 2 }])).rejects.toBeInstanceOf(VigilError);
        await expect(bus.publish(topic, [{ ...message('k', 'x'), partition: -1 }])).rejects.toBeInstanceOf(VigilError);
        expect(await bus.readAfter(topic, {}, 10)).toEqual([]);
      });

      it('hands a lone group member every partition, in order per partition', async () => {
        const topic = await newTopic('all-partitions', 4);
        const published = Array.from({ length: 40 }, (_, i) => ({ ...message(`k${i % 7}`, `m${i}`), partition: i % 4 }));
        await bus.publish(topic, published);

        const consumer = track(consume(bus, topic, uniqueName('group'), { maxBatchRecords: 7 }));
        await consumer.received(40);
        await sleep(QUIET_MS);
        expect(consumer.records).toHaveLength(40);
        for (let partition = 0; partition < 4; partition += 1) {
          const expected = published.filter((record) => record.partition === partition).map((record) => decoder.decode(record.value));
          expect(texts(consumer.records.filter((record) => record.partition === partition))).toEqual(expected);
        }
        expectOffsetsIncreasePerPartition(consumer.records);
      });
    });

    describe('positions', () => {
      it('name the last record handled per partition, on committed, endPositions and readAfter alike', async () => {
        const topic = await newTopic('positions', 3);
        const group = uniqueName('group');
        await bus.publish(topic, [0, 1, 2, 3, 4].map((i) => ({ ...message('k', `p0-${i}`), partition: 0 })));
        await bus.publish(topic, [0, 1].map((i) => ({ ...message('k', `p1-${i}`), partition: 1 })));

        const consumer = consume(bus, topic, group);
        await consumer.received(7);
        await consumer.subscription.stop();

        const byPartition = (partition: number) => consumer.records.filter((record) => record.partition === partition);
        const committed = await bus.committed(topic, group);
        const end = await bus.endPositions(topic);
        // Partition 2 never had a record: absent from both, not -1 or 0.
        expect(committed).toEqual({ 0: byPartition(0).at(-1)!.offset, 1: byPartition(1).at(-1)!.offset });
        expect(end).toEqual(committed);
        expect(await bus.lag(topic, group)).toBe(0);
        expect(await bus.readAfter(topic, committed, 100)).toEqual([]);

        // One record before the end of partition 0: exactly the last record comes back.
        const back: Positions = { ...committed, 0: byPartition(0).at(-2)!.offset };
        expect(texts(await bus.readAfter(topic, back, 100))).toEqual(['p0-4']);
        // An absent partition means nothing handled there yet.
        expect(texts(await bus.readAfter(topic, { 0: committed[0]! }, 100))).toEqual(['p1-0', 'p1-1']);
      });

      it('pages through several partitions with readAfter without gaps or repeats', async () => {
        const topic = await newTopic('paging', 3);
        const published: string[] = [];
        for (let round = 0; round < 5; round += 1) {
          const records = Array.from({ length: 9 }, (_, i) => ({ ...message('k', `r${round}-${i}`), partition: i % 3 }));
          published.push(...records.map((record) => decoder.decode(record.value)));
          await bus.publish(topic, records);
        }

        const seen: string[] = [];
        let position: Positions = {};
        for (let page = 0; page < 50; page += 1) {
          const records = await bus.readAfter(topic, position, 4);
          expect(records.length).toBeLessThanOrEqual(4);
          if (records.length === 0) break;
          for (const record of records) {
            expect(record.offset).toBeGreaterThan(position[record.partition] ?? -1);
            position = { ...position, [record.partition]: record.offset };
          }
          seen.push(...texts(records));
        }
        expect(seen.sort()).toEqual(published.sort());
      });
    });

    describe('assignment hooks', () => {
      it('announces every partition before the first batch, and revocation after the last commit on stop', async () => {
        const topic = await newTopic('hooks', 3);
        const group = uniqueName('group');
        await bus.publish(topic, [0, 1, 2].map((partition) => ({ ...message('k', `h${partition}`), partition })));

        const events: string[] = [];
        let committedAtRevoke: Positions | undefined;
        const subscription = bus.subscribe(
          topic,
          group,
          async (batch) => {
            events.push(`batch:${batch.length}`);
          },
          {
            onAssigned: async (partitions) => {
              events.push(`assigned:${[...partitions].sort().join(',')}`);
            },
            onRevoked: async (partitions) => {
              events.push(`revoked:${[...partitions].sort().join(',')}`);
              committedAtRevoke = await bus.committed(topic, group);
            },
          },
        );
        await waitFor('three records', () => events.filter((event) => event.startsWith('batch')).reduce((sum, event) => sum + Number(event.slice(6)), 0) >= 3);
        await subscription.stop();

        expect(events[0]).toBe('assigned:0,1,2');
        expect(events.filter((event) => event.startsWith('assigned'))).toHaveLength(1);
        expect(events.at(-1)).toBe('revoked:0,1,2');
        expect(events.filter((event) => event.startsWith('revoked'))).toHaveLength(1);
        expect(committedAtRevoke).toEqual(await bus.endPositions(topic));
      });

      it('resumes right after the positions onAssigned answers, even before the committed ones, and never moves a commit back', async () => {
        const topic = await newTopic('replay', 2);
        const group = uniqueName('group');
        await bus.publish(topic, [0, 1, 2, 3].map((i) => ({ ...message('k', `a${i}`), partition: 0 })));
        await bus.publish(topic, [0, 1].map((i) => ({ ...message('k', `b${i}`), partition: 1 })));
        const first = consume(bus, topic, group);
        await first.received(6);
        await first.subscription.stop();
        const committed = await bus.committed(topic, group);
        const a1 = first.records.find((record) => text(record) === 'a1')!;

        // A checkpoint taken after a1 on partition 0 and none on partition 1: the stage
        // replays a2, a3 and nothing of partition 1, then gets what is new.
        await bus.publish(topic, [{ ...message('k', 'a4'), partition: 0 }]);
        const second = track(consume(bus, topic, group, { onAssigned: async () => ({ 0: a1.offset }) }));
        await second.received(3);
        await sleep(QUIET_MS);
        expect(texts(second.records)).toEqual(['a2', 'a3', 'a4']);
        await waitFor('the commit of a4', async () => (await bus.lag(topic, group)) === 0);
        const after = await bus.committed(topic, group);
        expect(after[1]).toBe(committed[1]);
        expect(after[0]).toBeGreaterThan(committed[0]!);
      });

      it('retries a failing onAssigned and hands over nothing until it succeeds', async () => {
        const topic = await newTopic('assign-retry', 2);
        await bus.publish(topic, [message('k', 'x')]);
        let calls = 0;
        const errors: unknown[] = [];
        const consumer = track(
          consume(bus, topic, uniqueName('group'), {
            onAssigned: async () => {
              calls += 1;
              if (calls === 1) throw new Error('checkpoint store down');
            },
            onError: (error) => errors.push(error),
          }),
        );
        await consumer.received(1);
        expect(calls).toBeGreaterThanOrEqual(2);
        expect((errors[0] as Error).message).toBe('checkpoint store down');
        expect(texts(consumer.records)).toEqual(['x']);
      });
    });

    describe('commit: false', () => {
      it('tails every partition from the end, commits nothing, and gives each member everything', async () => {
        const topic = await newTopic('tail', 3);
        const group = uniqueName('tail');
        await bus.publish(topic, [0, 1, 2].map((partition) => ({ ...message('k', `old${partition}`), partition })));

        const first = track(consume(bus, topic, group, { commit: false, start: 'latest' }));
        const second = track(consume(bus, topic, group, { commit: false, start: 'latest' }));
        let probes = 0;
        await waitFor(
          'both tails to see a probe',
          async () => {
            if (first.records.some((record) => text(record).startsWith('probe')) && second.records.some((record) => text(record).startsWith('probe'))) return true;
            probes += 1;
            await bus.publish(topic, [0, 1, 2].map((partition) => ({ ...message('k', `probe${probes}`), partition })));
            return false;
          },
          DELIVERY_TIMEOUT_MS,
          250,
        );
        await bus.publish(topic, [0, 1, 2].map((partition) => ({ ...message('k', `new${partition}`), partition })));
        await waitFor('the new records on both', () => [first, second].every((consumer) => ['new0', 'new1', 'new2'].every((value) => texts(consumer.records).includes(value))));

        for (const consumer of [first, second]) {
          expect(texts(consumer.records).filter((value) => value.startsWith('old'))).toEqual([]);
          expect(new Set(consumer.records.filter((record) => text(record).startsWith('new')).map((record) => record.partition))).toEqual(new Set([0, 1, 2]));
        }
        expect(await bus.committed(topic, group)).toEqual({});
        await first.subscription.stop();
        await second.subscription.stop();
        expect(await bus.committed(topic, group)).toEqual({});
        const end = await bus.endPositions(topic);
        expect(await bus.lag(topic, group)).toBe(Object.values(end).reduce((sum, offset) => sum + offset + 1, 0));
      });

      it("reads from the oldest record with start: 'earliest' and still commits nothing", async () => {
        const topic = await newTopic('tail-earliest', 2);
        const group = uniqueName('tail');
        await bus.publish(topic, [0, 1].map((partition) => ({ ...message('k', `e${partition}`), partition })));
        const consumer = consume(bus, topic, group, { commit: false, start: 'earliest' });
        await consumer.received(2);
        await consumer.subscription.stop();
        expect(texts(consumer.records).sort()).toEqual(['e0', 'e1']);
        expect(await bus.committed(topic, group)).toEqual({});
      });
    });
  });
}
