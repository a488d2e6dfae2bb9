// POST /api/v1/events as an agent sees it: what is accepted, what is refused and why,
// limits that name their setting, rate limits, time that no agent can move, units that
// cannot hide each other's events, and a flood that does not stall anyone else.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_UNITS } from '../../core/ports/scope.ts';
import { FUTURE_TIMESTAMP_TAG } from '../../core/schemas/event.ts';
import { startIngest, type IngestHarness } from './ingest-harness.ts';

const ndjson = { 'Content-Type': 'application/x-ndjson' };
const lines = (events: unknown[]) => events.map((e) => JSON.stringify(e)).join('\n');

describe('POST /api/v1/events', () => {
  let ingest: IngestHarness;
  beforeAll(async () => {
    ingest = await startIngest({ limits: { maxEventsPerPost: 1000, maxEventBytes: 4096, maxEventDepth: 16 } });
  });
  afterAll(async () => {
    await ingest?.close();
  });

  it('accepts good events and refuses each impossible time on its own line, saying why', async () => {
    const posted = await ingest.post(
      ingest.keys.a,
      lines([
        { '@timestamp': '2026-11-22T08:00:00Z', event: { id: 'ok-1' } },
        { '@timestamp': 8_640_000_000_000_000, event: { id: 'bad-1' } },
        { '@timestamp': '1969-12-31T23:59:59Z', event: { id: 'bad-2' } },
        { '@timestamp': 'yesterday', event: { id: 'bad-3' } },
        { '@timestamp': '+275760-09-13T00:00:00.000Z', event: { id: 'bad-4' } },
      ]),
      ndjson,
    );
    expect(posted.status).toBe(202);
    expect(posted.body.accepted).toBe(1);
    expect(posted.body.rejected!.map((r) => ('line' in r ? r.line : -1))).toEqual([2, 3, 4, 5]);
    expect(posted.body.rejected![0]).toEqual({
      line: 2,
      error: '@timestamp: 8640000000000000 is outside the times Vigil accepts (1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z)',
    });
    expect(await ingest.toStore()).toBe(1);
  });

  it('keeps a time far in the future as sent, tags the event and counts it per unit', async () => {
    const body = { '@timestamp': '3000-01-01T00:00:00Z', event: { category: ['malware'], action: 'detected' }, host: { id: 'pc-x' } };
    const first = await ingest.post(ingest.keys.b, JSON.stringify(body));
    const retried = await ingest.post(ingest.keys.b, JSON.stringify(body));
    expect([first.status, retried.status]).toEqual([202, 202]);
    await ingest.toStore();
    const found = await ingest.store.searchEvents({ q: 'host.id:pc-x', limit: 10 }, ALL_UNITS);
    // The retry mapped to the same event: one stored, with its time untouched.
    expect(found.items).toHaveLength(1);
    expect(found.items[0]!['@timestamp']).toBe('3000-01-01T00:00:00.000Z');
    expect(found.items[0]!.tags).toEqual([FUTURE_TIMESTAMP_TAG]);
    const metrics = await ingest.metrics.registry.metrics();
    expect(metrics).toMatch(/vigil_future_timestamps_total\{unit="unit-b"\} 2/);
  });

  it('refuses an event over the size limit and one nested too deep, per line, and keeps the rest', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const posted = await ingest.post(
      ingest.keys.a,
      [JSON.stringify({ event: { id: 'small' } }), JSON.stringify({ message: 'x'.repeat(5000) }), `{"a":${deep}}`].join('\n'),
      ndjson,
    );
    expect(posted.status).toBe(202);
    expect(posted.body.accepted).toBe(1);
    expect(posted.body.rejected).toEqual([
      { line: 2, error: expect.stringMatching(/^event is 5\d{3} bytes, over the limit of 4096 bytes per event \(VIGIL_MAX_EVENT_BYTES\)$/) },
      { line: 3, error: expect.stringMatching(/^event nests deeper than 16 levels .*\(VIGIL_MAX_EVENT_DEPTH\), at line 3 column 21$/) },
    ]);
  });

  it('answers 400 naming where for a single event nested deeper than anything JSON.parse survives', async () => {
    const deep = `{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const posted = await ingest.post(ingest.keys.a, deep, { 'Content-Type': 'application/json' });
    expect(posted.status).toBe(400);
    expect(posted.body.error!.message).toMatch(/item 0: event nests deeper than 16 levels .* at line 1 column 21/);
    const many = await ingest.post(ingest.keys.a, `[${'['.repeat(4500)}${']'.repeat(4500)}]`);
    expect(many.status).toBe(400);
  });

  it('refuses a post with more events than allowed as a whole (413), naming the setting', async () => {
    const flood = `[${Array.from({ length: 100_000 }, () => '{}').join(',')}]`;
    const posted = await ingest.post(ingest.keys.a, flood);
    expect(posted.status).toBe(413);
    expect(posted.body.error).toMatchObject({
      code: 'too_many_events',
      message: expect.stringMatching(/more than 1000 events.*VIGIL_MAX_EVENTS_PER_POST.*nothing was accepted/),
      details: { limit: 1000, setting: 'VIGIL_MAX_EVENTS_PER_POST' },
    });
  });

  it('answers the errors agents already knew: 401, 415, 400 for broken JSON and gzip, 413 for the body', async () => {
    expect((await ingest.post('not-a-key', '{}')).status).toBe(401);
    expect((await ingest.post(ingest.keys.a, 'a=1', { 'Content-Type': 'text/plain' })).status).toBe(415);
    const broken = await ingest.post(ingest.keys.a, '[{"a":1},\n{"a":}]');
    expect(broken.status).toBe(400);
    expect(broken.body.error!.message).toMatch(/^malformed JSON at line 2/);
    expect((await ingest.post(ingest.keys.a, Buffer.from('{}'), { 'Content-Encoding': 'gzip' })).status).toBe(400);
    const bomb = gzipSync(Buffer.alloc(4 * 1024 * 1024, 0x20));
    expect((await ingest.post(ingest.keys.a, bomb, { 'Content-Encoding': 'gzip' })).status).toBe(413);
  });
});

describe('event identity across units', () => {
  let ingest: IngestHarness;
  beforeAll(async () => {
    ingest = await startIngest();
  });
  afterAll(async () => {
    await ingest?.close();
  });

  it('does not let unit-b hide unit-a’s event by sending its next event id and time first', async () => {
    const time = '2026-11-22T09:00:00Z';
    const forged = await ingest.post(ingest.keys.b, JSON.stringify({ '@timestamp': time, event: { id: 'av-77' }, message: 'forged by b' }));
    const real = await ingest.post(ingest.keys.a, JSON.stringify({ '@timestamp': time, event: { id: 'av-77' }, message: 'virus found in unit a' }));
    expect([forged.status, real.status]).toEqual([202, 202]);
    await ingest.toStore();

    const all = await ingest.store.searchEvents({ q: 'event.id:av-77', limit: 10 }, ALL_UNITS);
    expect(all.items.map((e) => `${e.organization.id}: ${e.message}`).sort()).toEqual(['unit-a: virus found in unit a', 'unit-b: forged by b']);
    // An admin looking at unit-a's evidence sees unit-a's own content.
    const unitA = await ingest.store.getEvents(['av-77'], { kind: 'units', units: ['unit-a'] });
    expect(unitA.map((e) => e.message)).toEqual(['virus found in unit a']);
  });
});

describe('per-agent rate limits', () => {
  let ingest: IngestHarness;
  beforeAll(async () => {
    // A burst of 5 refilled at one event per 1000 s: the first posts drain the bucket,
    // and it does not refill while the test runs.
    ingest = await startIngest({ limits: { agentRatePerSecond: 0.001, agentRateBurst: 5 } });
  });
  afterAll(async () => {
    await ingest?.close();
  });

  it('answers 429 with Retry-After, accepts nothing of that post, and leaves other agents alone', async () => {
    const four = lines(Array.from({ length: 4 }, (_, i) => ({ event: { id: `r-${i}` }, host: { id: 'rate-host' } })));
    expect((await ingest.post(ingest.keys.a, four, ndjson)).status).toBe(202);
    const over = await ingest.post(ingest.keys.a, four, ndjson);
    expect(over.status).toBe(429);
    // Three more events are needed: 3000 s at this rate.
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(2999);
    expect(over.body.error).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/VIGIL_AGENT_RATE_PER_SECOND.*nothing was accepted/) });
    expect((await ingest.post(ingest.keys.b, four, ndjson)).status).toBe(202);
    expect(await ingest.toStore()).toBe(8);

    // Drained: refused before the body is read.
    expect((await ingest.post(ingest.keys.a, lines([{}]), ndjson)).status).toBe(202);
    const empty = await ingest.post(ingest.keys.a, lines([{}]), ndjson);
    expect(empty.status).toBe(429);
    expect(Number(empty.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('refuses a post larger than the burst as too many events, since waiting would not help', async () => {
    const posted = await ingest.post(ingest.keys.b, lines(Array.from({ length: 6 }, () => ({}))), ndjson);
    expect(posted.status).toBe(413);
    expect(posted.body.error!.message).toMatch(/VIGIL_AGENT_RATE_BURST/);
  });
});

describe('a flooding agent', () => {
  let ingest: IngestHarness;
  beforeAll(async () => {
    ingest = await startIngest({ maxBodyBytes: 10 * 1024 * 1024 });
  });
  afterAll(async () => {
    await ingest?.close();
  });

  it('answers /healthz and a small agent while a large post is still being decoded', async () => {
    const big = lines(
      Array.from({ length: 10_000 }, (_, i) => ({
        '@timestamp': '2026-11-22T08:00:00Z',
        event: { id: `flood-${i}`, category: ['network'] },
        host: { id: `h-${i % 100}` },
        message: `connection ${i} from 10.0.${i % 250}.${i % 200}`,
      })),
    );
    const answered: string[] = [];
    const received = ingest.nextBodyReceived();
    const flood = ingest.post(ingest.keys.a, big, ndjson).then((posted) => {
      answered.push('flood');
      return posted;
    });
    // The server holds the whole flood now; decoding it used to block everything else until done.
    await received;
    const health = await fetch(`${ingest.url}/healthz`);
    answered.push('healthz');
    const small = await ingest.post(ingest.keys.b, JSON.stringify({ event: { id: 'small-one' } }));
    answered.push('small post');
    expect([health.status, small.status]).toEqual([200, 202]);
    const posted = await flood;
    expect([posted.status, posted.body.accepted]).toEqual([202, 10_000]);
    expect(answered).toEqual(['healthz', 'small post', 'flood']);
  });
});

describe('POST /api/v1/events: field names', () => {
  let ingest: IngestHarness;
  beforeAll(async () => {
    ingest = await startIngest({ limits: { maxEventsPerPost: 1000, maxEventBytes: 4096, maxEventDepth: 16 } });
  });
  afterAll(async () => {
    await ingest?.close();
  });

  it('refuses, on its own line, an event whose field names a search store cannot index or that uses Vigil\'s reserved field', async () => {
    const posted = await ingest.post(
      ingest.keys.a,
      lines([
        { '@timestamp': '2026-11-22T08:00:00Z', event: { id: 'names-ok' }, labels: { 'a.b': 'fine' } },
        { '@timestamp': '2026-11-22T08:00:00Z', event: { id: 'names-1' }, '': 1 },
        { '@timestamp': '2026-11-22T08:00:00Z', event: { id: 'names-2' }, host: { 'a..b': 1 } },
        { '@timestamp': '2026-11-22T08:00:00Z', event: { id: 'names-3' }, labels: [{ '.x': 1 }] },
        { '@timestamp': '2026-11-22T08:00:00Z', event: { id: 'names-4' }, _vigil: { text: 'planted' } },
      ]),
      ndjson,
    );
    expect(posted.status).toBe(202);
    expect(posted.body.accepted).toBe(1);
    expect(posted.body.rejected).toEqual([
      { line: 2, error: 'field name "" under the top level is empty or has an empty part between dots; search stores cannot index it' },
      { line: 3, error: 'field name "a..b" under "host" is empty or has an empty part between dots; search stores cannot index it' },
      { line: 4, error: 'field name ".x" under "labels[0]" is empty or has an empty part between dots; search stores cannot index it' },
      { line: 5, error: 'field "_vigil" is reserved for Vigil\'s search index; rename it' },
    ]);
  });
});
