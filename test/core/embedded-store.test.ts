// Runs the Store conformance suite on the embedded SQLite adapter, plus what only the
// embedded store promises: data survives a restart, page sizes are clamped, totals
// stop being exact past the counting cap, and failed writes are reported, not hung.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { UnavailableError, VigilError } from '../../core/errors.ts';
import { ALL_UNITS } from '../../core/ports/scope.ts';
import type { SecurityEvent } from '../../core/schemas/event.ts';
import { SCHEMA_VERSION } from '../../core/store/embedded-schema.ts';
import { openEmbeddedStore } from '../../core/store/embedded-store.ts';
import { INDEX_FIRST_MAX_MATCHES } from '../../core/store/event-query-sql.ts';
import { TOTAL_COUNT_CAP } from '../../core/store/search-bounds.ts';
import { WriterThread } from '../../core/store/writer-thread.ts';
import { runStoreConformance } from './store-conformance.ts';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-store-'));
}

runStoreConformance('embedded (SQLite)', {
  create: async () => {
    const dataDir = tempDir();
    const store = openEmbeddedStore({ dataDir });
    return {
      store,
      cleanup: async () => {
        await store.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
});

function event(i: number, minute = 0): SecurityEvent {
  const ts = new Date(Date.UTC(2024, 4, 1, 0, minute, 0, i % 1000)).toISOString();
  return {
    '@timestamp': ts,
    event: { id: `ev-${i}`, ingested: ts, category: ['malware'], action: 'detected' },
    organization: { id: `unit-${i % 7}`, name: `Unit ${i % 7}` },
    host: { id: `host-${i % 50}`, name: `ws-${i % 50}` },
    message: `trojan found in file number ${i}`,
  };
}

describe('embedded store', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps events, alerts and the text index across closing and reopening', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const first = openEmbeddedStore({ dataDir });
    await first.writeEvents([event(1), event(2)]);
    await first.close();
    expect(fs.existsSync(path.join(dataDir, 'store.db'))).toBe(true);

    const second = openEmbeddedStore({ dataDir });
    try {
      await second.writeEvents([event(2), event(3)]);
      const page = await second.searchEvents({ q: 'trojan', limit: 10 }, ALL_UNITS);
      expect(page.items.map((e) => e.event.id).sort()).toEqual(['ev-1', 'ev-2', 'ev-3']);
      expect(page.total).toBe(3);
    } finally {
      await second.close();
    }
    await expect(second.writeEvents([event(4)])).rejects.toBeInstanceOf(UnavailableError);
  });

  it('matches wildcards on numbers and on long text fields too', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const store = openEmbeddedStore({ dataDir });
    try {
      const withPort = { ...event(1), destination: { port: 4444 } };
      await store.writeEvents([withPort, event(2)]);
      const ids = async (q: string) => (await store.searchEvents({ q, limit: 10 }, ALL_UNITS)).items.map((e) => e.event.id);
      expect(await ids('destination.port:44*')).toEqual(['ev-1']);
      expect(await ids('message:"*number 2"')).toEqual(['ev-2']);
      expect(await ids('message:trojan*')).toEqual(['ev-2', 'ev-1']);
      expect(await ids('4444')).toEqual(['ev-1']);
    } finally {
      await store.close();
    }
  });

  it('reports a write that cannot be done as retryable instead of hanging', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const writer = new WriterThread({ file: path.join(dataDir, 'no-such-dir', 'store.db') });
    try {
      await expect(writer.call({ op: 'writeEvents', events: [event(1)] })).rejects.toBeInstanceOf(UnavailableError);
    } finally {
      await writer.close();
    }
  });

  it('clamps the page size to 1..1000', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const store = openEmbeddedStore({ dataDir });
    try {
      await store.writeEvents(Array.from({ length: 1005 }, (_, i) => event(i)));
      expect((await store.searchEvents({ limit: 0 }, ALL_UNITS)).items).toHaveLength(1);
      expect((await store.searchEvents({ limit: -5 }, ALL_UNITS)).items).toHaveLength(1);
      expect((await store.searchEvents({ limit: 5000 }, ALL_UNITS)).items).toHaveLength(1000);
    } finally {
      await store.close();
    }
  });

  it('counts totals exactly up to the cap, and finds words common to every event as well as rare ones', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const store = openEmbeddedStore({ dataDir });
    try {
      // More events than the store will take index matches first, so both plans run.
      const events = Array.from({ length: INDEX_FIRST_MAX_MATCHES + 100 }, (_, i) => event(i, Math.floor(i / 1000)));
      for (let i = 0; i < events.length; i += 1000) await store.writeEvents(events.slice(i, i + 1000));
      const newest = [...events].sort((a, b) => b['@timestamp'].localeCompare(a['@timestamp']) || b.event.id.localeCompare(a.event.id));

      const page = await store.searchEvents({ limit: 10 }, ALL_UNITS);
      expect(page).toMatchObject({ total: TOTAL_COUNT_CAP, totalIsExact: false });
      expect(page.next).not.toBeNull();

      const common = await store.searchEvents({ q: 'trojan', limit: 10 }, ALL_UNITS);
      expect(common).toMatchObject({ total: TOTAL_COUNT_CAP, totalIsExact: false });
      expect(common.items.map((e) => Date.parse(e['@timestamp']))).toEqual(newest.slice(0, 10).map((e) => Date.parse(e['@timestamp'])));

      const from = '2024-05-01T00:19:00.000Z';
      const lastMinute = events.filter((e) => e['@timestamp'] >= from);
      const recent = await store.searchEvents({ q: 'trojan', from, limit: 10 }, ALL_UNITS);
      expect(recent).toMatchObject({ total: lastMinute.length, totalIsExact: true });

      const unit3 = (await store.searchEvents({ q: 'trojan organization.id:unit-3', from, limit: 1000 }, ALL_UNITS)).items;
      expect(unit3.map((e) => e.event.id).sort()).toEqual(
        lastMinute.filter((e) => e.organization.id === 'unit-3').map((e) => e.event.id).sort(),
      );

      const rare = await store.searchEvents({ q: 'message:"trojan found in file number 12345"', limit: 10 }, ALL_UNITS);
      expect(rare.items.map((e) => e.event.id)).toEqual(['ev-12345']);
      expect(rare).toMatchObject({ total: 1, totalIsExact: true, next: null });
    } finally {
      await store.close();
    }
  });

  it('keeps both units’ events when one unit sends another’s next event id and time first', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const store = openEmbeddedStore({ dataDir });
    try {
      const ts = '2024-05-01T10:00:00.000Z';
      const forged: SecurityEvent = {
        '@timestamp': ts,
        event: { id: 'av-1001', ingested: ts },
        organization: { id: 'unit-b', name: 'B' },
        message: 'forged by unit b',
      };
      const real: SecurityEvent = { ...forged, organization: { id: 'unit-a', name: 'A' }, message: 'real detection in unit a' };
      await store.writeEvents([forged]);
      await store.writeEvents([real]);
      // A replay of either changes nothing.
      await store.writeEvents([real, forged]);

      const all = await store.searchEvents({ limit: 10 }, ALL_UNITS);
      expect(all.items.map((e) => [e.organization.id, e.message]).sort()).toEqual([
        ['unit-a', 'real detection in unit a'],
        ['unit-b', 'forged by unit b'],
      ]);
      const unitA = { kind: 'units', units: ['unit-a'] } as const;
      expect((await store.getEvents(['av-1001'], unitA)).map((e) => e.message)).toEqual(['real detection in unit a']);
      expect((await store.searchEvents({ q: 'event.id:av-1001', limit: 10 }, unitA)).items.map((e) => e.message)).toEqual([
        'real detection in unit a',
      ]);

      // Paging one by one shows both, though they share time and id.
      const first = await store.searchEvents({ limit: 1 }, ALL_UNITS);
      const second = await store.searchEvents({ limit: 1, cursor: first.next! }, ALL_UNITS);
      expect([...first.items, ...second.items].map((e) => e.organization.id).sort()).toEqual(['unit-a', 'unit-b']);
      expect(second.next).toBeNull();
    } finally {
      await store.close();
    }
  });

  it('migrates a store written before the unit was part of an event’s identity, keeping its events', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const old = openEmbeddedStore({ dataDir });
    await old.writeEvents([event(1), event(2)]);
    await old.close();
    // Turn the file back into version 1: unique on (ts, id) alone.
    const file = path.join(dataDir, 'store.db');
    const db = new Database(file);
    db.exec('DROP INDEX events_identity; CREATE UNIQUE INDEX events_ts ON events (ts, id);');
    db.pragma('user_version = 1');
    db.close();

    const store = openEmbeddedStore({ dataDir });
    try {
      const twin = { ...event(1), organization: { id: 'unit-other', name: 'Other' } };
      await store.writeEvents([twin]);
      const page = await store.searchEvents({ q: 'trojan', limit: 10 }, ALL_UNITS);
      expect(page.items.map((e) => `${e.organization.id}/${e.event.id}`).sort()).toEqual(['unit-1/ev-1', 'unit-2/ev-2', 'unit-other/ev-1']);
    } finally {
      await store.close();
    }
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    check.close();
  });

  it('refuses to open a store written by a newer Vigil, saying what to do', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const db = new Database(path.join(dataDir, 'store.db'));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    let error: unknown;
    try {
      openEmbeddedStore({ dataDir });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(VigilError);
    expect((error as Error).message).toMatch(/newer than this Vigil understands.*move the file away/);
  });
});
