// Proves `npm run services`: the broker it runs carries records from a producer to a
// consumer group, the node indexes and finds a document, and restartKafka / stopKafka /
// startKafka bring the broker back on the same port with its data.
import crypto from 'node:crypto';
import net from 'node:net';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { restartKafka, servicesStatus, startKafka, stopKafka } from '../../scripts/services/index.ts';
import { servicesForSuite } from '../support/services.ts';

const services = servicesForSuite('services script (Kafka + OpenSearch round trips)');

function brokerAccepts(brokers: string): Promise<boolean> {
  const [host, port] = brokers.split(':');
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe.skipIf(!services)('services script', () => {
  const brokers = services?.kafkaBrokers ?? '';
  const url = services?.opensearchUrl ?? '';
  const kafka = new Kafka({ clientId: 'services-test', brokers: [brokers], logLevel: logLevel.NOTHING });
  const topic = `services-test-${crypto.randomUUID()}`;
  const consumers: Consumer[] = [];

  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.disconnect()));
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
  });

  async function produce(values: string[]): Promise<void> {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: values.map((value) => ({ key: value, value })) });
    await producer.disconnect();
  }

  /** Reads the topic from the beginning with a new group until `count` records arrived. */
  async function consumeAll(count: number): Promise<string[]> {
    const consumer = kafka.consumer({ groupId: `services-test-${crypto.randomUUID()}` });
    consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: string[] = [];
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ message }) => {
            received.push(message.value?.toString() ?? '');
            if (received.length >= count) resolve();
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    return received.sort();
  }

  it('carries records from a producer to a consumer group through the broker', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
    await admin.disconnect();

    await produce(['a', 'b', 'c']);
    expect(await consumeAll(3)).toEqual(['a', 'b', 'c']);
  });

  it('indexes a document on the OpenSearch node and finds it by search', async () => {
    const index = `services-test-${crypto.randomUUID()}`;
    const put = await fetch(`${url}/${index}/_doc/1?refresh=true`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ host: { name: 'ws-042' }, message: 'eicar test file quarantined' }),
    });
    expect(put.status).toBe(201);

    const search = await fetch(`${url}/${index}/_search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: { match: { message: 'quarantined' } } }),
    });
    const body = (await search.json()) as { hits: { hits: Array<{ _id: string; _source: { host: { name: string } } }> } };
    expect(body.hits.hits.map((h) => [h._id, h._source.host.name])).toEqual([['1', 'ws-042']]);

    expect((await fetch(`${url}/${index}`, { method: 'DELETE' })).status).toBe(200);
  });

  it('restartKafka brings the broker back on the same port with its records', async () => {
    const before = await servicesStatus();
    await restartKafka();
    const after = await servicesStatus();
    expect(after.kafka.state).toBe('running');
    expect(after.kafka.endpoint).toBe(brokers);
    expect(after.kafka.pid).not.toBe(before.kafka.pid);

    await produce(['d']);
    expect(await consumeAll(4)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('stopKafka leaves the broker unreachable until startKafka', async () => {
    await stopKafka();
    expect((await servicesStatus()).kafka.state).toBe('stopped');
    expect(await brokerAccepts(brokers)).toBe(false);

    await startKafka();
    expect((await servicesStatus()).kafka.state).toBe('running');
    expect(await consumeAll(4)).toEqual(['a', 'b', 'c', 'd']);
  });
});
