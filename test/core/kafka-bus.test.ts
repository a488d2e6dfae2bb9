// Runs the Bus conformance suite against a real Kafka broker (the one the services script
// runs), plus what only the Kafka adapter has to prove: publishing fails fast and
// recovers while the broker is down, non-committing tails and reads leave no consumer
// group behind, and two members of one group share the partitions and hand them over.
import { randomUUID } from 'node:crypto';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { openKafkaBus, type KafkaBus } from '../../core/bus/kafka-bus.ts';
import { UnavailableError } from '../../core/errors.ts';
import type { BusRecord, Positions, Subscription } from '../../core/ports/bus.ts';
import { startKafka, stopKafka } from '../../scripts/services/index.ts';
import { servicesForSuite } from '../support/services.ts';
import { runBusConformance } from './bus-conformance.ts';

const services = servicesForSuite('the Kafka bus suite');
const brokers = services ? services.kafkaBrokers.split(',') : [];
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function openBus(clientId = `vigil-test-${randomUUID().slice(0, 8)}`): KafkaBus {
  return openKafkaBus({ brokers, clientId, replicationFactor: 1 });
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function uniqueName(prefix: string): string {
  return `kafka-bus.${prefix}.${randomUUID().slice(0, 8)}`;
}

runBusConformance('Kafka (kafkajs)', {
  skip: services ? undefined : 'no Kafka broker; run `npm run services -- start`',
  create: async () => {
    let bus = openBus();
    return {
      bus,
      reopen: async () => {
        await bus.close();
        bus = openBus();
        return bus;
      },
      cleanup: () => bus.close(),
    };
  },
});

describe.skipIf(!services)('Kafka bus', () => {
  const buses: KafkaBus[] = [];
  const subscriptions: Subscription[] = [];

  function bus(clientId?: string): KafkaBus {
    const opened = openBus(clientId);
    buses.push(opened);
    return opened;
  }

  afterEach(async () => {
    await Promise.all(subscriptions.splice(0).map((subscription) => subscription.stop()));
    await Promise.all(buses.splice(0).map((opened) => opened.close()));
  });

  it('publishes batches of 500 at a measured rate, each resolved only once every record is readable', async () => {
    const producer = bus();
    const topic = uniqueName('throughput');
    await producer.ensureTopics([{ name: topic, partitions: 6 }]);
    const payload = 'x'.repeat(200);
    const batches = 40;
    const began = Date.now();
    for (let b = 0; b < batches; b += 1) {
      await producer.publish(
        topic,
        Array.from({ length: 500 }, (_, i) => ({ key: `host-${(b * 500 + i) % 997}`, value: encoder.encode(`${b}:${i}:${payload}`) })),
      );
    }
    const seconds = (Date.now() - began) / 1000;
    console.log(`kafka bus: published ${batches * 500} records in batches of 500 at ${Math.round((batches * 500) / seconds)} msgs/s`);
    const end = await producer.endPositions(topic);
    expect(Object.values(end).reduce((sum, offset) => sum + offset + 1, 0)).toBe(batches * 500);
  });

  it('rejects a publish with UnavailableError within seconds while the broker is down, and publishes again once it is back', async () => {
    const producer = bus();
    const topic = uniqueName('outage');
    await producer.ensureTopics([{ name: topic, partitions: 2 }]);
    await producer.publish(topic, [{ key: 'k', value: encoder.encode('before') }]);
    // A consumer running through the outage carries on by itself afterwards.
    const consumed: string[] = [];
    subscriptions.push(
      bus().subscribe(topic, uniqueName('group'), async (batch) => void consumed.push(...batch.map((record) => decoder.decode(record.value))), {
        onError: () => undefined,
      }),
    );
    await waitFor('the consumer to get the first record', () => consumed.includes('before'));

    await stopKafka();
    try {
      const began = Date.now();
      const failed = await producer.publish(topic, [{ key: 'k', value: encoder.encode('during') }]).then(
        () => undefined,
        (error: unknown) => error,
      );
      const tookMs = Date.now() - began;
      console.log(`kafka bus: publish rejected ${tookMs} ms after the broker went away`);
      expect(failed).toBeInstanceOf(UnavailableError);
      expect(tookMs).toBeLessThan(10_000);
    } finally {
      await startKafka();
    }

    // The same bus, no restart: the broker may need a moment to load its partitions.
    const back = Date.now();
    await waitFor(
      'a publish to succeed after the broker came back',
      () => producer.publish(topic, [{ key: 'k', value: encoder.encode('after') }]).then(() => true, () => false),
      60_000,
    );
    console.log(`kafka bus: publishing worked again ${Date.now() - back} ms after the broker was back`);
    const readBegan = Date.now();
    const values = (await producer.readAfter(topic, {}, 100)).map((record) => decoder.decode(record.value));
    console.log(`kafka bus: the first readAfter after the broker came back took ${Date.now() - readBegan} ms`);
    expect(values[0]).toBe('before');
    expect(values).toContain('after');
    await waitFor('the consumer to get the records published after the outage', () => consumed.includes('after'), 90_000);
    console.log(`kafka bus: the running consumer resumed ${Date.now() - back} ms after the broker was back`);
    expect(consumed.filter((value) => value === 'before')).toHaveLength(1);
  }, 240_000);

  it('creates topics with their retention (retention.ms) and compacted topics with cleanup.policy=compact', async () => {
    const created = bus();
    const [kept, compacted] = [uniqueName('retained'), uniqueName('compacted')];
    await created.ensureTopics([
      { name: kept, partitions: 2, retentionMs: 72 * 3_600_000 },
      { name: compacted, partitions: 1, compacted: true, retentionMs: 1000 },
    ]);
    const admin = new Kafka({ brokers, clientId: 'vigil-test-configs', logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [kept, compacted].map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
      });
      const config = (topic: string, name: string) =>
        resources.find((resource) => resource.resourceName === topic)?.configEntries.find((entry) => entry.configName === name)?.configValue;
      expect(config(kept, 'retention.ms')).toBe(String(72 * 3_600_000));
      expect(config(kept, 'cleanup.policy')).toBe('delete');
      expect(config(compacted, 'cleanup.policy')).toBe('compact');
      // A checkpoint topic keeps its newest record per key for good: no age limit set.
      expect(config(compacted, 'retention.ms')).not.toBe('1000');
    } finally {
      await admin.disconnect();
    }
    expect(await created.partitionCount(kept)).toBe(2);
  });

  it('leaves no consumer group behind after a commit: false tail or a readAfter', async () => {
    const clientId = `vigil-test-${randomUUID().slice(0, 8)}`;
    const tailBus = bus(clientId);
    const topic = uniqueName('no-orphans');
    const group = uniqueName('tail');
    await tailBus.ensureTopics([{ name: topic, partitions: 3 }]);
    const ours = async () => (await tailBus.listGroups()).filter((id) => id.startsWith(group) || id.startsWith(`${clientId}.reader.`));

    const seen: BusRecord[] = [];
    const tail = tailBus.subscribe(topic, group, async (batch) => void seen.push(...batch), { commit: false, start: 'earliest' });
    await tailBus.publish(topic, [0, 1, 2].map((partition) => ({ key: 'k', value: encoder.encode(`v${partition}`), partition })));
    await waitFor('the tail to receive three records', () => seen.length >= 3);
    expect(await ours()).toHaveLength(1);
    await tail.stop();
    expect(await ours()).toEqual([]);
    expect(await tailBus.committed(topic, group)).toEqual({});

    const began = Date.now();
    const read = await tailBus.readAfter(topic, {}, 100);
    const readMs = Date.now() - began;
    const first = read.find((record) => record.partition === 0)!;
    const beganAfter = Date.now();
    const rest = await tailBus.readAfter(topic, { 0: first.offset }, 100);
    const restMs = Date.now() - beganAfter;
    const beganNothing = Date.now();
    expect(await tailBus.readAfter(topic, await tailBus.endPositions(topic), 100)).toEqual([]);
    const nothingMs = Date.now() - beganNothing;
    console.log(`kafka bus: readAfter of 3 records took ${readMs} ms, of 2 records ${restMs} ms, with nothing new ${nothingMs} ms`);
    expect(read.map((record) => decoder.decode(record.value)).sort()).toEqual(['v0', 'v1', 'v2']);
    expect(rest.map((record) => decoder.decode(record.value)).sort()).toEqual(['v1', 'v2']);
    expect(await ours()).toEqual([]);
  });

  it('with concurrentPartitions, overlaps batches of different partitions while each partition stays in order and is committed', async () => {
    const topic = uniqueName('concurrent');
    const group = uniqueName('group');
    const member = bus();
    await member.ensureTopics([{ name: topic, partitions: 3 }]);
    for (let round = 0; round < 4; round++) {
      await member.publish(
        topic,
        [0, 1, 2].flatMap((partition) => Array.from({ length: 50 }, (_, i) => ({ key: 'k', partition, value: encoder.encode(String(round * 50 + i)) }))),
      );
    }
    let inHand = 0;
    let mostInHand = 0;
    const seen = new Map<number, number[]>();
    subscriptions.push(
      member.subscribe(
        topic,
        group,
        async (batch) => {
          inHand += 1;
          mostInHand = Math.max(mostInHand, inHand);
          // A batch that waits (as detect's does on the store) while others may start.
          await new Promise((resolve) => setTimeout(resolve, 150));
          for (const record of batch) seen.set(record.partition, [...(seen.get(record.partition) ?? []), Number(decoder.decode(record.value))]);
          inHand -= 1;
        },
        { maxBatchRecords: 40, concurrentPartitions: 3 },
      ),
    );
    await waitFor('600 records handled', () => [...seen.values()].reduce((sum, values) => sum + values.length, 0) >= 600);
    expect(mostInHand).toBeGreaterThan(1);
    for (const partition of [0, 1, 2]) expect(seen.get(partition)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    await waitFor('everything committed', async () => (await member.lag(topic, group)) === 0);
  });

  it('refuses a concurrentPartitions that is not a positive integer', () => {
    expect(() => bus().subscribe('t', 'g', async () => undefined, { concurrentPartitions: 0 })).toThrow(/concurrentPartitions must be a positive integer/);
  });

  it('splits the partitions between two members of a group and hands a stopping member’s over, nothing lost or duplicated', async () => {
    const topic = uniqueName('members');
    const group = uniqueName('group');
    const first = bus();
    const second = bus();
    await first.ensureTopics([{ name: topic, partitions: 4 }]);

    const handled: { member: string; record: BusRecord }[] = [];
    const owned = { a: new Set<number>(), b: new Set<number>() };
    const hooks: string[] = [];
    const member = (name: 'a' | 'b', on: KafkaBus): Subscription => {
      const subscription = on.subscribe(
        topic,
        group,
        async (batch) => {
          for (const record of batch) {
            // Only partitions this member was told it owns may reach it.
            expect(owned[name].has(record.partition)).toBe(true);
            handled.push({ member: name, record });
          }
        },
        {
          maxBatchRecords: 100,
          onAssigned: async (partitions): Promise<Positions | void> => {
            hooks.push(`${name}+${partitions.join(',')}`);
            for (const partition of partitions) owned[name].add(partition);
          },
          onRevoked: async (partitions) => {
            hooks.push(`${name}-${partitions.join(',')}`);
            for (const partition of partitions) owned[name].delete(partition);
          },
        },
      );
      subscriptions.push(subscription);
      return subscription;
    };

    const a = member('a', first);
    await waitFor('a to own every partition', () => owned.a.size === 4);
    member('b', second);
    await waitFor('the partitions to be split', () => owned.a.size > 0 && owned.b.size > 0 && owned.a.size + owned.b.size === 4 && [...owned.a].every((p) => !owned.b.has(p)));

    const publish = async (prefix: string, count: number) => {
      for (let from = 0; from < count; from += 250) {
        await first.publish(topic, Array.from({ length: 250 }, (_, i) => ({ key: `host-${(from + i) % 31}`, value: encoder.encode(`${prefix}${from + i}`) })));
      }
    };
    await publish('split-', 1000);
    await waitFor('1,000 records handled', () => handled.length >= 1000);
    expect(new Set(handled.map((entry) => entry.member))).toEqual(new Set(['a', 'b']));

    await a.stop();
    expect(owned.a.size).toBe(0);
    await waitFor('b to own every partition', () => owned.b.size === 4);
    await publish('after-', 1000);
    await waitFor('2,000 records handled', () => handled.length >= 2000);
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const values = handled.map((entry) => decoder.decode(entry.record.value));
    expect(values).toHaveLength(2000);
    expect(new Set(values).size).toBe(2000);
    expect(handled.filter((entry) => decoder.decode(entry.record.value).startsWith('after-')).every((entry) => entry.member === 'b')).toBe(true);
    expect(await second.lag(topic, group)).toBe(0);
    // a gave up some partitions when b joined and the rest when it stopped; b was told
    // of each, and no partition was announced twice to either.
    const partitionsOf = (prefix: string) => hooks.filter((hook) => hook.startsWith(prefix)).flatMap((hook) => hook.slice(2).split(',').map(Number));
    expect(partitionsOf('a+').sort()).toEqual([0, 1, 2, 3]);
    expect(partitionsOf('a-').sort()).toEqual([0, 1, 2, 3]);
    expect(partitionsOf('b+').sort()).toEqual([0, 1, 2, 3]);
    expect(partitionsOf('b-')).toEqual([]);
  });
});
