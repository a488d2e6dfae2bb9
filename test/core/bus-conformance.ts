// The Bus conformance suite: the behaviour every stage relies on, run against each
// adapter (embedded SQLite now, Kafka later) so they are interchangeable. Assertions stay
// within what the port promises: order is per key, positions are per partition.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bus, BusMessage, BusRecord, SubscribeOptions, Subscription } from '../../core/ports/bus.ts';

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
        const topic = uniqueName('order');
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
        const topic = uniqueName('keys');
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
        const topic = uniqueName('live');
        const consumer = track(consume(bus, topic, uniqueName('group')));
        await sleep(200);
        await bus.publish(topic, [message('k', 'late-0'), message('k', 'late-1')]);
        await consumer.received(2);
        expect(texts(consumer.records)).toEqual(['late-0', 'late-1']);
      });

      it('never hands more than maxBatchRecords to one onBatch call', async () => {
        const topic = uniqueName('batch-size');
        await bus.publish(topic, Array.from({ length: 10 }, (_, i) => message('k', `m${i}`)));

        const consumer = track(consume(bus, topic, uniqueName('group'), { maxBatchRecords: 3 }));
        await consumer.received(10);

        expect(consumer.batches.length).toBeGreaterThanOrEqual(4);
        for (const batch of consumer.batches) expect(batch.length).toBeLessThanOrEqual(3);
        expect(texts(consumer.records)).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
      });

      it('gives every record to each of two groups', async () => {
        const topic = uniqueName('groups');
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
        const topic = uniqueName('resume');
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
        const topic = uniqueName('restart');
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
        const topic = uniqueName('retry');
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
        const topic = uniqueName('stop');
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
        const topic = uniqueName('idle-stop');
        const consumer = consume(bus, topic, uniqueName('group'));
        await sleep(200);
        await consumer.subscription.stop();
        await bus.publish(topic, [message('k', 'after-stop')]);
        await sleep(QUIET_MS);
        expect(consumer.records).toEqual([]);
      });

      it("start: 'latest' sees only records published after subscribing", async () => {
        const topic = uniqueName('latest');
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
        const topic = uniqueName('read');
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

      it('returns nothing for a topic nobody has published to', async () => {
        expect(await bus.readAfter(uniqueName('empty'), {}, 100)).toEqual([]);
      });
    });

    describe('endPositions', () => {
      it('marks the current end, so reading after it returns only what is published later', async () => {
        const topic = uniqueName('end');
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
        const topic = uniqueName('lag');
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
  });
}
