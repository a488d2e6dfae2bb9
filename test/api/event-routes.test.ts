// The Events view's API: search with the full query language, the histogram (every
// bucket of the range, zeros included), the field sidebar (top values of a sample) and
// the CSV / NDJSON export, each scoped to the caller's units, each refusing a bad query
// with the column it points at.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SecurityEvent } from '../../core/schemas/event.ts';
import { startApiHarness, type ApiHarness } from './api-harness.ts';

const BASE_MS = Date.parse('2024-08-01T00:00:00.000Z');
const at = (minutes: number) => new Date(BASE_MS + minutes * 60_000).toISOString();

function makeEvent(i: number, unit: string, port: number): SecurityEvent {
  return {
    '@timestamp': at(i),
    event: { id: `ev-${unit}-${i}`, kind: 'event', category: ['network'], action: i % 3 === 0 ? 'blocked' : 'allowed', ingested: at(i) },
    organization: { id: unit, name: unit },
    host: { id: `h-${i % 4}`, name: `ws-0${i % 4}` },
    destination: { ip: `10.0.0.${i}`, port },
    message: i === 1 ? '=HYPERLINK("http://evil.example") "quoted", and Đăng nhập' : `connection ${i}`,
  } as SecurityEvent;
}

describe('events API', () => {
  let api: ApiHarness;
  let soc: string;
  let officerA: string;

  beforeAll(async () => {
    api = await startApiHarness();
    soc = await api.userWithSession({ username: 'soc', role: 'analyst', units: 'all' });
    officerA = await api.userWithSession({ username: 'officer-a', role: 'viewer', units: ['unit-a'] });
    const events: SecurityEvent[] = [];
    for (let i = 0; i < 30; i++) events.push(makeEvent(i, i % 2 === 0 ? 'unit-a' : 'unit-b', i < 10 ? 443 : 8080 + i));
    await api.store.writeEvents(events);
    await api.store.refresh();
  });
  afterAll(async () => {
    await api?.close();
  });

  const get = (url: string, cookie = soc) => api.request('GET', url, { cookie });
  const range = `from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(60))}`;

  it('searches with OR, NOT and ranges', async () => {
    const res = await get(`/api/v1/events?q=${encodeURIComponent('destination.port >= 8080 AND NOT event.action:blocked')}&limit=100`);
    expect(res.statusCode).toBe(200);
    const ids = (res.json() as { items: SecurityEvent[] }).items.map((e) => e.event.id);
    expect(ids).toHaveLength(14);
    expect(ids.every((id) => Number(id.split('-').pop()) >= 10 && Number(id.split('-').pop()) % 3 !== 0)).toBe(true);
  });

  it('answers a bad query with 400 and the column', async () => {
    const res = await get(`/api/v1/events?q=${encodeURIComponent('a OR')}`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'bad_input', message: 'q: OR at column 3 needs a term after it', details: { column: 3 } } });
    for (const path of ['histogram', 'fields', 'export']) {
      const bad = await get(`/api/v1/events/${path}?q=${encodeURIComponent('(x')}&${range}`);
      expect(bad.statusCode, path).toBe(400);
      expect(bad.json(), path).toMatchObject({ error: { details: { column: 1 } } });
    }
  });

  it('counts matches over every bucket of the range, zeros included', async () => {
    const res = await get(`/api/v1/events/histogram?q=${encodeURIComponent('destination.port:443')}&${range}`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as { bucketMs: number; buckets: { start: string; count: number }[]; total: number };
    expect(body.bucketMs).toBe(60_000);
    expect(body.buckets).toHaveLength(60);
    expect(body.buckets[0]).toEqual({ start: at(0), count: 1 });
    expect(body.buckets.slice(0, 10).every((b) => b.count === 1)).toBe(true);
    expect(body.buckets.slice(10).every((b) => b.count === 0)).toBe(true);
    expect(body.total).toBe(10);
  });

  it('scopes the histogram, the sidebar and the export to the caller’s units', async () => {
    const histogram = (await get(`/api/v1/events/histogram?${range}`, officerA)).json() as { total: number };
    expect(histogram.total).toBe(15);
    const fields = (await get(`/api/v1/events/fields?${range}`, officerA)).json() as { sampled: number; fields: { field: string; values: { value: string }[] }[] };
    expect(fields.sampled).toBe(15);
    expect(fields.fields.find((f) => f.field === 'organization.id')?.values).toEqual([{ value: 'unit-a', count: 15 }]);
    const ndjson = await get(`/api/v1/events/export?format=ndjson&${range}`, officerA);
    const lines = ndjson.body.trim().split('\n').map((l) => JSON.parse(l) as SecurityEvent);
    expect(lines).toHaveLength(15);
    expect(new Set(lines.map((e) => e.organization.id))).toEqual(new Set(['unit-a']));
  });

  it('lists each field’s top values among the newest matches, largest first', async () => {
    const res = await get(`/api/v1/events/fields?q=${encodeURIComponent('destination.port:443')}&${range}`);
    const body = res.json() as { sampled: number; sampleSize: number; fields: { field: string; events: number; values: { value: string; count: number }[] }[] };
    expect(body.sampled).toBe(10);
    expect(body.sampleSize).toBe(500);
    expect(body.fields.find((f) => f.field === 'destination.port')).toEqual({ field: 'destination.port', events: 10, values: [{ value: '443', count: 10 }] });
    expect(body.fields.find((f) => f.field === 'event.action')?.values).toEqual([
      { value: 'allowed', count: 6 },
      { value: 'blocked', count: 4 },
    ]);
    expect(body.fields.some((f) => f.field === 'event.id' || f.field === '@timestamp')).toBe(false);
  });

  it('exports CSV that a spreadsheet opens safely, newest first, up to the limit asked', async () => {
    const res = await get(`/api/v1/events/export?format=csv&q=${encodeURIComponent('destination.port:443')}&${range}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="vigil-events-.*\.csv"$/);
    expect(res.headers['x-vigil-export-limit']).toBe('100000');
    const rows = res.body.split('\r\n').filter(Boolean);
    expect(rows[0]?.startsWith('\uFEFF@timestamp,organization.id,')).toBe(true);
    expect(rows).toHaveLength(11);
    expect(rows[1]).toMatch(new RegExp(`^${at(9)},unit-b,unit-b,ws-01,`));
    // The formula is defused with a quote, the quotes and comma escaped, the Vietnamese kept.
    expect(res.body).toContain(`"'=HYPERLINK(""http://evil.example"") ""quoted"", and Đăng nhập"`);

    const limited = await get(`/api/v1/events/export?format=ndjson&limit=4&${range}`);
    expect(limited.body.trim().split('\n').map((l) => (JSON.parse(l) as SecurityEvent).event.id)).toEqual(['ev-unit-b-29', 'ev-unit-a-28', 'ev-unit-b-27', 'ev-unit-a-26']);
  });

  it('refuses anyone not signed in', async () => {
    for (const path of ['/api/v1/events/histogram', '/api/v1/events/fields', '/api/v1/events/export']) {
      expect((await api.request('GET', path)).statusCode, path).toBe(401);
    }
  });
});
