// Processes of a cluster start in any order: one started before its Kafka broker waits
// for it (saying so in its log) instead of exiting, and a broker that never comes is
// still reported, as unavailability, once the wait is over.
import net from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureVigilTopics } from '../../../core/adapters/vigil-topics.ts';
import { openKafkaBus } from '../../../core/bus/kafka-bus.ts';
import { UnavailableError } from '../../../core/errors.ts';
import type { Bus } from '../../../core/ports/bus.ts';
import { servicesForSuite } from '../../support/services.ts';

const services = servicesForSuite('waiting for Kafka at start');

function capturedLog() {
  const lines: Array<{ msg: string; retryInMs?: number }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as { msg: string });
      done();
    },
  });
  return { log: pino({ level: 'warn' }, sink), lines };
}

/** A port nothing listens on: the kernel refuses connections to it at once. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const partitions = { events: 2, signals: 2, alerts: 1 };
let bus: Bus | undefined;
afterEach(async () => {
  await bus?.close();
  bus = undefined;
});

describe('ensureVigilTopics while Kafka is away', () => {
  it('keeps trying and logging for the wait, then reports the broker unavailable', async () => {
    bus = openKafkaBus({ brokers: [`127.0.0.1:${await closedPort()}`], clientId: 'wait-test', replicationFactor: 1 });
    const { log, lines } = capturedLog();
    const started = Date.now();
    const error = await ensureVigilTopics(bus, partitions, undefined, { log, waitMs: 6_000 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3_000);
    const waits = lines.filter((line) => line.msg.includes('waiting for it'));
    expect(waits.length).toBeGreaterThanOrEqual(2);
    // Backing off: each retry waits at least as long as the one before.
    expect(waits.map((line) => line.retryInMs)).toEqual([...waits.map((line) => line.retryInMs!)].sort((a, b) => a - b));
  });

  it.skipIf(!services)('starts at once, logging nothing, when the broker is there', async () => {
    bus = openKafkaBus({ brokers: services!.kafkaBrokers.split(','), clientId: 'wait-test', replicationFactor: 1 });
    const { log, lines } = capturedLog();
    await ensureVigilTopics(bus, partitions, undefined, { log, waitMs: 30_000 });
    expect(await bus.partitionCount('vigil.signals')).toBeGreaterThanOrEqual(1);
    expect(lines).toEqual([]);
  });
});
