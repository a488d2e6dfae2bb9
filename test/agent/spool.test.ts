// The spool holds batches on disk, oldest first, within spool.max_bytes: a new batch
// that does not fit pushes out the oldest ones (never the one being posted), each drop
// counted with its events; what is left is listed again, in order, after a restart.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Spool, type SpoolMeta } from '../../agent/spool.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function spoolDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-spool-'));
  dirs.push(dir);
  return path.join(dir, 'spool');
}

function meta(seq: number, events: number): SpoolMeta {
  return { seq, source: '/var/log/av.log', format: 'ecs', events, cursor: { dev: '1', ino: '2', generation: 0, offset: seq * 100 }, created: new Date(0).toISOString() };
}

const lines = (seq: number, n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ message: `batch ${seq} line ${i}`, pad: 'p'.repeat(200) }));

describe('spool', () => {
  it('drops the oldest batches, and only those, when a new one would not fit; counts them', () => {
    const dir = spoolDir();
    const spool = Spool.open(dir, 8 * 1024);
    const dropped = { batches: 0, events: 0 };
    for (let seq = 1; seq <= 12; seq++) {
      const d = spool.write(meta(seq, 5), lines(seq, 5));
      dropped.batches += d.batches;
      dropped.events += d.events;
      expect(spool.bytes).toBeLessThanOrEqual(8 * 1024);
    }
    const kept = spool.list().map((entry) => entry.seq);
    // The newest batches are all there, contiguous; the missing ones are exactly the oldest.
    expect(kept.at(-1)).toBe(12);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => 13 - kept.length + i));
    expect(dropped.batches).toBe(12 - kept.length);
    expect(dropped.batches).toBeGreaterThan(0);
    expect(dropped.events).toBe(dropped.batches * 5);
    expect(fs.readdirSync(dir).filter((name) => name.endsWith('.batch'))).toHaveLength(kept.length);
  });

  it('never drops the batch being posted; the next oldest goes instead', () => {
    const probe = Spool.open(spoolDir(), 1024 * 1024);
    probe.write(meta(1, 5), lines(1, 5));
    // Room for three batches and a half.
    const spool = Spool.open(spoolDir(), Math.floor(probe.bytes * 3.5));
    for (let seq = 1; seq <= 3; seq++) spool.write(meta(seq, 5), lines(seq, 5));
    spool.inFlight = 1;
    expect(spool.write(meta(4, 5), lines(4, 5))).toEqual({ batches: 1, events: 5 });
    expect(spool.list().map((entry) => entry.seq)).toEqual([1, 3, 4]);
  });

  it('lists what an earlier run left, oldest first, with each body as written; a half-written file is removed', () => {
    const dir = spoolDir();
    const first = Spool.open(dir, 1024 * 1024);
    first.write(meta(7, 2), lines(7, 2));
    first.write(meta(8, 3), lines(8, 3));
    fs.writeFileSync(path.join(dir, '000000000009.batch.tmp'), 'half');

    const reopened = Spool.open(dir, 1024 * 1024);
    expect(reopened.list().map((entry) => [entry.seq, entry.meta.events])).toEqual([
      [7, 2],
      [8, 3],
    ]);
    expect(reopened.lastSeq).toBe(8);
    expect(reopened.readBody(reopened.oldest()!)).toBe(`${lines(7, 2).join('\n')}\n`);
    expect(fs.existsSync(path.join(dir, '000000000009.batch.tmp'))).toBe(false);
    reopened.remove(reopened.oldest()!);
    expect(Spool.open(dir, 1024 * 1024).list().map((entry) => entry.seq)).toEqual([8]);
  });
});
