// The syslog batcher: publishes in batches of at most maxBatch or after lingerMs; when
// the bus fails, UDP's drop mode counts the batch as dropped and a full backlog refuses
// new events, TCP's retry mode keeps the batch, says it is congested (the listener pauses
// its sockets) and drains once a retry succeeds; stop() publishes what is waiting.
import { describe, expect, it } from 'vitest';
import { EventBatcher, type BatcherOptions } from '../../../ingest/syslog/event-batcher.ts';
import type { BusMessage } from '../../../core/ports/bus.ts';

const message = (n: number): BusMessage => ({ key: `k${n}`, value: Buffer.from(String(n)) });
const numbers = (batch: BusMessage[]) => batch.map((m) => Number(Buffer.from(m.value).toString()));

function harness(mode: 'drop' | 'retry', overrides: Partial<BatcherOptions> = {}) {
  const published: number[][] = [];
  const dropped: Record<string, number> = {};
  let failing = false;
  let onPublishAttempt: (() => void) | undefined;
  const batcher = new EventBatcher({
    mode,
    maxBatch: 3,
    lingerMs: 10,
    maxPending: 5,
    retryInitialMs: 10,
    retryMaxMs: 20,
    publish: async (batch) => {
      const attempt = onPublishAttempt;
      onPublishAttempt = undefined;
      if (attempt) setImmediate(attempt);
      if (failing) throw new Error('bus down');
      published.push(numbers(batch));
    },
    onPublished: () => undefined,
    onDropped: (count, reason) => (dropped[reason] = (dropped[reason] ?? 0) + count),
    onPublishError: () => undefined,
    ...overrides,
  });
  return {
    batcher,
    published,
    dropped,
    setFailing: (value: boolean) => (failing = value),
    nextAttempt: () => new Promise<void>((resolve) => (onPublishAttempt = resolve)),
  };
}

describe('EventBatcher', () => {
  it('publishes full batches at once and the rest after the linger time, in order', async () => {
    const { batcher, published } = harness('drop');
    for (let n = 1; n <= 4; n += 1) batcher.add(message(n));
    await batcher.stop();
    expect(published).toEqual([[1, 2, 3], [4]]);
  });

  it('drop mode: a failed batch is dropped and counted; past maxPending new events are refused', async () => {
    const { batcher, dropped, setFailing, nextAttempt, published } = harness('drop', { maxBatch: 100 });
    setFailing(true);
    const attempt = nextAttempt();
    for (let n = 1; n <= 7; n += 1) batcher.add(message(n));
    expect(dropped.backlog_full).toBe(2);
    await attempt;
    expect(dropped.bus_unavailable).toBe(5);
    setFailing(false);
    batcher.add(message(8));
    await batcher.stop();
    expect(published).toEqual([[8]]);
  });

  it('retry mode: congested while the bus fails, nothing lost, drained once it is back', async () => {
    const { batcher, published, setFailing, nextAttempt } = harness('retry');
    const events: string[] = [];
    batcher.on('congested', () => events.push('congested'));
    batcher.on('drain', () => events.push('drain'));
    setFailing(true);
    const attempt = nextAttempt();
    for (let n = 1; n <= 3; n += 1) batcher.add(message(n));
    await attempt;
    expect(batcher.congested).toBe(true);
    const drained = new Promise<void>((resolve) => batcher.once('drain', () => resolve()));
    setFailing(false);
    await drained;
    expect(published).toEqual([[1, 2, 3]]);
    expect(events).toEqual(['congested', 'drain']);
    expect(batcher.congested).toBe(false);
  });

  it('retry mode: congested once maxPending events wait, even with the bus up', () => {
    const { batcher } = harness('retry', { lingerMs: 60_000, maxBatch: 100 });
    for (let n = 1; n <= 4; n += 1) batcher.add(message(n));
    expect(batcher.congested).toBe(false);
    batcher.add(message(5));
    expect(batcher.congested).toBe(true);
    return batcher.stop();
  });

  it('stop gives up on a bus that stays down by its deadline and counts what it could not publish', async () => {
    const { batcher, dropped, setFailing } = harness('retry');
    setFailing(true);
    batcher.add(message(1));
    batcher.add(message(2));
    await batcher.stop(50);
    expect(dropped.stopped).toBe(2);
  });
});
