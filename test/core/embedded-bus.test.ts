// Runs the Bus conformance suite against the embedded SQLite bus, plus what only the
// embedded adapter promises: several processes sharing one bus.db, prompt in-process
// wake-ups, atomic publishes and a close that lets in-flight batches finish.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openEmbeddedBus } from '../../core/bus/embedded-bus.ts';
import { UnavailableError, VigilError } from '../../core/errors.ts';
import type { Bus, BusRecord } from '../../core/ports/bus.ts';
import { startTypeScriptWorker } from '../../core/threads/typescript-worker.ts';
import { runBusConformance } from './bus-conformance.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const texts = (records: readonly BusRecord[]): string[] => records.map((record) => decoder.decode(record.value));

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bus-'));
}

async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

runBusConformance('embedded (SQLite)', {
  create: async () => {
    const dataDir = tempDir();
    let bus: Bus = openEmbeddedBus({ dataDir, pollIntervalMs: 20 });
    return {
      bus,
      reopen: async () => {
        await bus.close();
        bus = openEmbeddedBus({ dataDir, pollIntervalMs: 20 });
        return bus;
      },
      cleanup: async () => {
        await bus.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
});

describe('embedded bus', () => {
  const dirs: string[] = [];
  const buses: Bus[] = [];

  function open(dataDir: string, pollIntervalMs = 20): Bus {
    const bus = openEmbeddedBus({ dataDir, pollIntervalMs });
    buses.push(bus);
    return bus;
  }

  function newDir(): string {
    const dir = tempDir();
    dirs.push(dir);
    return dir;
  }

  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates its data directory and bus.db when missing', async () => {
    const dataDir = path.join(newDir(), 'nested', 'data');
    const bus = open(dataDir);
    await bus.publish('t', [{ key: 'k', value: encoder.encode('v') }]);
    expect(fs.existsSync(path.join(dataDir, 'bus.db'))).toBe(true);
  });

  it('shares one log between two instances on the same dataDir, as two processes would', async () => {
    const dataDir = newDir();
    const writer = open(dataDir);
    const reader = open(dataDir, 20);
    const received: BusRecord[] = [];
    reader.subscribe('t', 'g', async (batch) => {
      received.push(...batch);
    });

    // Interleaved appends from both instances must still get distinct, increasing offsets.
    for (let i = 0; i < 5; i += 1) {
      await writer.publish('t', [{ key: 'k', value: encoder.encode(`w${i}`) }]);
      await reader.publish('t', [{ key: 'k', value: encoder.encode(`r${i}`) }]);
    }
    await waitFor('10 records', () => received.length >= 10);

    expect(received.map((record) => record.offset)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(texts(received)).toEqual(['w0', 'r0', 'w1', 'r1', 'w2', 'r2', 'w3', 'r3', 'w4', 'r4']);
  });

  it('sees records that another OS process publishes', async () => {
    const dataDir = newDir();
    const bus = open(dataDir, 20);
    const received: BusRecord[] = [];
    bus.subscribe('t', 'g', async (batch) => {
      received.push(...batch);
    });

    const adapter = fileURLToPath(new URL('../../core/bus/embedded-bus.ts', import.meta.url));
    const script = `
      import { openEmbeddedBus } from ${JSON.stringify(adapter)};
      const bus = openEmbeddedBus({ dataDir: ${JSON.stringify(dataDir)} });
      const records = Array.from({ length: 50 }, (_, i) => ({ key: 'child', value: new TextEncoder().encode('c' + i) }));
      await bus.publish('t', records);
      await bus.close();
    `;
    await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);

    await waitFor('50 records from the child process', () => received.length >= 50);
    expect(texts(received)).toEqual(Array.from({ length: 50 }, (_, i) => `c${i}`));
  });

  it('wakes an idle subscription at once on a publish from the same instance', async () => {
    const bus = open(newDir(), 60_000);
    let receivedAt = 0;
    bus.subscribe('t', 'g', async () => {
      receivedAt = Date.now();
    });
    await new Promise((resolve) => setTimeout(resolve, 100));

    const publishedAt = Date.now();
    await bus.publish('t', [{ key: 'k', value: encoder.encode('now') }]);
    await waitFor('the wake-up', () => receivedAt > 0, 2_000);
    expect(receivedAt - publishedAt).toBeLessThan(1_000);
  });

  it('wakes an idle subscription at once on a publish from another thread of the process', async () => {
    const dataDir = newDir();
    const bus = open(dataDir, 60_000);
    const received: BusRecord[] = [];
    bus.subscribe('t', 'g', async (batch) => {
      received.push(...batch);
    });
    await new Promise((resolve) => setTimeout(resolve, 100));

    const worker = startTypeScriptWorker(new URL('./fixtures/publish-from-thread.ts', import.meta.url), { dataDir, topic: 't' });
    await new Promise((resolve) => worker.once('exit', resolve));
    // Far sooner than the 60 s poll: the other thread's publish woke this subscription.
    await waitFor('the record from the other thread', () => received.length === 1, 5_000);
    expect(texts(received)).toEqual(['from another thread']);
  });

  it('prunes old records a group has committed, keeps the rest, and keeps offsets growing', async () => {
    const bus = open(newDir());
    await bus.publish('t', ['a', 'b', 'c', 'd'].map((text) => ({ key: 'k', value: encoder.encode(text) })));
    const embedded = bus as ReturnType<typeof openEmbeddedBus>;
    // No group has committed anything: nothing may go.
    expect(embedded.prune('t', { olderThan: Date.now() + 1_000, keepFor: ['detect'] })).toBe(0);

    const seen: string[] = [];
    const subscription = bus.subscribe('t', 'detect', async (batch) => {
      seen.push(...texts(batch));
    }, { maxBatchRecords: 2 });
    await waitFor('the first two records', () => seen.length >= 2);
    await subscription.stop();
    const committedUpTo = seen.length - 1;

    // Records not old enough stay, whatever was committed.
    expect(embedded.prune('t', { olderThan: 0, keepFor: ['detect'] })).toBe(0);
    const deleted = embedded.prune('t', { olderThan: Date.now() + 1_000, keepFor: ['detect'] });
    expect(deleted).toBe(Math.min(committedUpTo + 1, 3));
    expect(texts(await bus.readAfter('t', {}, 10))).toEqual(['a', 'b', 'c', 'd'].slice(deleted));

    await bus.publish('t', [{ key: 'k', value: encoder.encode('e') }]);
    const all = await bus.readAfter('t', {}, 10);
    expect(all.at(-1)!.offset).toBe(4);
  });

  it('prunes each partition by its own committed position, keeping the newest record of each', async () => {
    const bus = open(newDir());
    await bus.ensureTopics([{ name: 't', partitions: 2 }]);
    await bus.publish('t', ['a', 'b', 'c'].map((text) => ({ key: 'k', value: encoder.encode(text), partition: 0 })));
    await bus.publish('t', ['x', 'y'].map((text) => ({ key: 'k', value: encoder.encode(text), partition: 1 })));
    const seen: BusRecord[] = [];
    const subscription = bus.subscribe('t', 'detect', async (batch) => {
      seen.push(...batch);
    });
    await waitFor('all five records', () => seen.length >= 5);
    await subscription.stop();

    const embedded = bus as ReturnType<typeof openEmbeddedBus>;
    // Everything is committed: each partition keeps only its newest record.
    expect(embedded.prune('t', { olderThan: Date.now() + 1_000, keepFor: ['detect'] })).toBe(3);
    expect(texts(await bus.readAfter('t', {}, 10)).sort()).toEqual(['c', 'y']);
    expect(await bus.endPositions('t')).toEqual({ 0: 2, 1: 1 });
  });

  it('moves a bus.db written before partitions into partition 0, keeping offsets and committed positions', async () => {
    const dataDir = newDir();
    const old = new Database(path.join(dataDir, 'bus.db'));
    old.exec(`
      CREATE TABLE records (topic TEXT NOT NULL, "offset" INTEGER NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL,
        timestamp INTEGER NOT NULL, PRIMARY KEY (topic, "offset"));
      CREATE TABLE group_offsets (topic TEXT NOT NULL, grp TEXT NOT NULL, partition INTEGER NOT NULL,
        committed_offset INTEGER NOT NULL, PRIMARY KEY (topic, grp, partition));
    `);
    const insert = old.prepare('INSERT INTO records (topic, "offset", key, value, timestamp) VALUES (?, ?, ?, ?, ?)');
    for (const [offset, text] of [[7, 'kept-7'], [8, 'kept-8'], [9, 'kept-9']] as const) insert.run('t', offset, 'k', Buffer.from(text), Date.now());
    old.prepare('INSERT INTO group_offsets VALUES (?, ?, ?, ?)').run('t', 'detect', 0, 8);
    old.close();

    const bus = open(dataDir);
    expect(await bus.partitionCount('t')).toBe(1);
    expect(await bus.committed('t', 'detect')).toEqual({ 0: 8 });
    expect(await bus.lag('t', 'detect')).toBe(1);
    await bus.publish('t', [{ key: 'k', value: encoder.encode('new') }]);
    const all = await bus.readAfter('t', {}, 10);
    expect(all.map((record) => [record.partition, record.offset, decoder.decode(record.value)])).toEqual([
      [0, 7, 'kept-7'],
      [0, 8, 'kept-8'],
      [0, 9, 'kept-9'],
      [0, 10, 'new'],
    ]);
  });

  it('never writes a position for a commit: false subscription', async () => {
    const dataDir = newDir();
    const bus = open(dataDir);
    await bus.publish('t', [{ key: 'k', value: encoder.encode('v') }]);
    const seen: BusRecord[] = [];
    const subscription = bus.subscribe('t', 'tail', async (batch) => {
      seen.push(...batch);
    }, { commit: false, start: 'earliest' });
    await waitFor('the record', () => seen.length === 1);
    await subscription.stop();
    const db = new Database(path.join(dataDir, 'bus.db'), { readonly: true });
    try {
      expect(db.prepare("SELECT COUNT(*) AS n FROM group_offsets WHERE grp = 'tail'").get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it('appends all records of a publish or none of them', async () => {
    const bus = open(newDir());
    const bad = [
      { key: 'k', value: encoder.encode('ok') },
      { key: 'k', value: 'not bytes' as unknown as Uint8Array },
    ];
    await expect(bus.publish('t', bad)).rejects.toBeInstanceOf(VigilError);
    expect(await bus.readAfter('t', {}, 10)).toEqual([]);

    await bus.publish('t', [{ key: 'k', value: encoder.encode('first') }]);
    const [first] = await bus.readAfter('t', {}, 10);
    expect(first?.offset).toBe(0);
  });

  it('refuses a second live subscription of the same group, which would deliver everything twice', async () => {
    const bus = open(newDir());
    const subscription = bus.subscribe('t', 'g', async () => undefined);
    expect(() => bus.subscribe('t', 'g', async () => undefined)).toThrow(/already has a subscription/);
    await subscription.stop();
    const again = bus.subscribe('t', 'g', async () => undefined);
    await again.stop();
  });

  it("remembers a 'latest' start, so records appended before the first batch are not skipped later", async () => {
    const bus = open(newDir());
    await bus.publish('t', [{ key: 'k', value: encoder.encode('old') }]);
    const first = bus.subscribe('t', 'g', async () => undefined, { start: 'latest' });
    await first.stop();

    await bus.publish('t', [{ key: 'k', value: encoder.encode('new') }]);
    const received: BusRecord[] = [];
    const second = bus.subscribe('t', 'g', async (batch) => {
      received.push(...batch);
    });
    await waitFor('the record appended while stopped', () => received.length >= 1);
    await second.stop();
    expect(texts(received)).toEqual(['new']);
  });

  it('close() lets the batch in hand publish and commit before the database closes', async () => {
    const dataDir = newDir();
    const bus = openEmbeddedBus({ dataDir, pollIntervalMs: 20 });
    await bus.publish('events', [{ key: 'host', value: encoder.encode('e0') }]);

    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = false;
    bus.subscribe('events', 'detect', async (batch) => {
      started = true;
      await gate;
      // detect publishes alerts before its position is committed
      await bus.publish('alerts', batch.map((record) => ({ key: 'alert', value: record.value })));
    });
    await waitFor('the batch to be in hand', () => started);

    const closing = bus.close();
    release();
    await closing;
    await expect(bus.publish('events', [{ key: 'k', value: encoder.encode('late') }])).rejects.toBeInstanceOf(UnavailableError);

    const reopened = open(dataDir);
    expect(texts(await reopened.readAfter('alerts', {}, 10))).toEqual(['e0']);
    expect(await reopened.lag('events', 'detect')).toBe(0);
  });

  it('fails clearly once closed', async () => {
    const bus = openEmbeddedBus({ dataDir: newDir() });
    await bus.close();
    await bus.close();
    await expect(bus.publish('t', [{ key: 'k', value: encoder.encode('v') }])).rejects.toBeInstanceOf(UnavailableError);
    expect(() => bus.subscribe('t', 'g', async () => undefined)).toThrow(UnavailableError);
    await expect(bus.readAfter('t', {}, 1)).rejects.toBeInstanceOf(UnavailableError);
  });
});
