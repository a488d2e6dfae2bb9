// Property-based test of a real ingest (the route on a real HTTP server over the embedded
// bus, accounts and store): arbitrary bodies in every accepted shape and encoding, broken
// JSON and gzip, deep nesting, large fields, wrong field types and impossible times. For
// every post: never a 5xx, accepted + rejected = submitted; and afterwards the store
// holds exactly the accepted events, each in the unit of the agent that sent it.
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_UNITS } from '../../core/ports/scope.ts';
import type { SecurityEvent } from '../../core/schemas/event.ts';
import { startIngest, type IngestHarness } from './ingest-harness.ts';

const LIMITS = { maxEventsPerPost: 40, maxEventBytes: 2048, maxEventDepth: 12, agentRatePerSecond: 0, agentRateBurst: 1 };

/** Each generated object carries a unique `fuzz_seq`, so the store can be checked item by item. */
let nextSeq = 0;

type Item = { kind: 'object'; body: Record<string, unknown> } | { kind: 'other'; body: unknown } | { kind: 'text'; text: string };

/** Mostly what agents send, sometimes what they must not: valid values weigh most. */
const mostly = <T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>) =>
  fc.oneof({ weight: 5, arbitrary: good }, { weight: 1, arbitrary: bad as fc.Arbitrary<T | U> });

const time = mostly(
  fc.oneof(
    fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString()),
    fc.integer({ min: 0, max: 253_402_300_799_999 }),
    fc.constant('3000-01-01T00:00:00Z'),
  ),
  fc.oneof(
    fc.integer({ min: -10, max: 253_402_300_800_010 }),
    fc.constantFrom(8_640_000_000_000_000, -8_640_000_000_000_000, '1969-12-31T23:59:59Z', 'yesterday', '', 1.5, null),
    fc.string({ maxLength: 30 }),
  ),
);

const nested = (depth: number): unknown => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { n: value } : [value];
  return value;
};

const eventFields = fc.record(
  {
    '@timestamp': time,
    event: fc.record(
      {
        id: mostly(fc.string({ minLength: 1, maxLength: 20 }), fc.oneof(fc.integer(), fc.constant(''))),
        category: mostly(fc.oneof(fc.constantFrom('malware', 'network'), fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 })), fc.integer()),
        outcome: mostly(fc.constantFrom('success', 'failure', 'unknown'), fc.string({ maxLength: 8 })),
        severity: mostly(fc.integer({ min: 0, max: 1000 }), fc.oneof(fc.integer({ min: -5, max: 2000 }), fc.string({ maxLength: 4 }))),
      },
      { requiredKeys: [] },
    ),
    host: fc.record({ id: fc.string({ maxLength: 12 }), name: mostly(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.integer()) }, { requiredKeys: [] }),
    destination: fc.record({ port: mostly(fc.integer({ min: 0, max: 65_535 }), fc.oneof(fc.integer({ min: -1, max: 70_000 }), fc.string({ maxLength: 5 }))) }),
    message: mostly(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.string({ minLength: 2100, maxLength: 2200 })),
    tags: fc.oneof(fc.string({ maxLength: 10 }), fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }), fc.constant(['vigil.future_timestamp'])),
    extra: fc.jsonValue({ maxDepth: 3 }),
    deep: mostly(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 9, max: 40 })).map(nested),
  },
  { requiredKeys: [] },
);

const item: fc.Arbitrary<Item> = fc.oneof(
  { weight: 20, arbitrary: eventFields.map((body) => ({ kind: 'object' as const, body })) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).filter((v) => v === null || typeof v !== 'object').map((body) => ({ kind: 'other' as const, body })) },
  { weight: 1, arbitrary: fc.array(fc.jsonValue({ maxDepth: 1 }).filter((v) => v === null || typeof v !== 'object' || Array.isArray(v)), { maxLength: 3 }).map((body) => ({ kind: 'other' as const, body })) },
  { weight: 1, arbitrary: fc.constantFrom('{"a":', '{"a" 1}', '[1,', '}', 'nul', '{}{}', '"\\x"').map((text) => ({ kind: 'text' as const, text })) },
);

const post = fc.record({
  agent: fc.constantFrom('a' as const, 'b' as const),
  shape: fc.constantFrom('object', 'array', 'ndjson', 'ndjson-blank-lines'),
  // Now and then more than the 40 events a post may hold.
  items: fc.oneof({ weight: 8, arbitrary: fc.array(item, { minLength: 1, maxLength: 12 }) }, { weight: 1, arbitrary: fc.array(item, { minLength: 38, maxLength: 45 }) }),
  encoding: fc.constantFrom('none', 'none', 'gzip', 'broken-gzip'),
  contentType: fc.constantFrom('right', 'right', 'right', 'right', 'wrong'),
});

type Post = typeof post extends fc.Arbitrary<infer T> ? T : never;

interface Built {
  body: Buffer;
  headers: Record<string, string>;
  /** Position (line or index) of each submitted item, and the fuzz_seq it carries if any. */
  submitted: { position: number; seq: number | null }[];
}

function build(p: Post): Built {
  const texts: string[] = [];
  const submitted: Built['submitted'] = [];
  const items = p.shape === 'object' ? p.items.slice(0, 1) : p.items;
  for (const it of items) {
    let seq: number | null = null;
    let text: string;
    if (it.kind === 'object') {
      seq = nextSeq++;
      text = JSON.stringify({ ...it.body, fuzz_seq: seq });
    } else if (it.kind === 'other') {
      text = JSON.stringify(it.body);
    } else {
      text = it.text;
    }
    texts.push(text);
    submitted.push({ position: 0, seq });
  }
  let bodyText: string;
  const first = items[0]!;
  if (p.shape === 'object' && first.kind === 'other' && Array.isArray(first.body)) {
    // A body that is one JSON array is an array of events, whatever the test meant.
    bodyText = texts[0]!;
    submitted.length = 0;
    first.body.forEach((_, index) => submitted.push({ position: index, seq: null }));
  } else if (p.shape === 'object' || p.shape === 'array') {
    bodyText = p.shape === 'object' ? texts[0]! : `[${texts.join(',')}]`;
    submitted.forEach((s, index) => (s.position = index));
  } else {
    const blank = p.shape === 'ndjson-blank-lines';
    const lines: string[] = [];
    texts.forEach((text, i) => {
      if (blank && i % 3 === 0) lines.push('  ');
      lines.push(text);
      submitted[i]!.position = lines.length;
    });
    bodyText = lines.join(blank ? '\r\n' : '\n');
  }
  let body = Buffer.from(bodyText);
  const headers: Record<string, string> = {
    'Content-Type': p.contentType === 'wrong' ? 'text/plain' : p.shape.startsWith('ndjson') ? 'application/x-ndjson' : 'application/json',
  };
  if (p.encoding === 'gzip') body = gzipSync(body);
  if (p.encoding === 'broken-gzip') body = gzipSync(body).subarray(0, 12);
  if (p.encoding !== 'none') headers['Content-Encoding'] = 'gzip';
  return { body, headers, submitted };
}

describe('ingest under arbitrary input', () => {
  let ingest: IngestHarness;
  beforeAll(async () => {
    ingest = await startIngest({ limits: LIMITS });
  });
  afterAll(async () => {
    await ingest?.close();
  });

  it('never answers 5xx, accounts for every submitted event, and stores exactly the accepted ones', async () => {
    /** fuzz_seq of every accepted event, with the unit of the agent that sent it. */
    const accepted = new Map<number, string>();
    let posts = 0;
    let acceptedWithoutSeq = 0;
    const statuses = new Map<number, number>();

    await fc.assert(
      fc.asyncProperty(post, async (p) => {
        const built = build(p);
        const answer = await ingest.post(p.agent === 'a' ? ingest.keys.a : ingest.keys.b, built.body, built.headers);
        posts++;
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        expect(answer.status).toBeLessThan(500);
        if (answer.status !== 202) {
          // Refused whole: nothing from it may be stored (checked below), and it says why.
          expect(answer.body.error?.code).toEqual(expect.any(String));
          expect(answer.body.error?.message).toEqual(expect.any(String));
          return;
        }
        const rejected = answer.body.rejected!;
        expect(answer.body.accepted! + rejected.length).toBe(built.submitted.length);
        const refusedAt = new Set(rejected.map((r) => ('line' in r ? r.line : r.index)));
        expect(refusedAt.size).toBe(rejected.length);
        for (const s of built.submitted) {
          if (refusedAt.has(s.position)) continue;
          if (s.seq === null) acceptedWithoutSeq++;
          else accepted.set(s.seq, p.agent === 'a' ? 'unit-a' : 'unit-b');
        }
      }),
      { numRuns: 120, seed: 20261203 },
    );

    // Only objects can be events, and every object this test sends carries a fuzz_seq.
    expect(acceptedWithoutSeq).toBe(0);
    // The run covered acceptance and each kind of refusal.
    expect([...statuses.keys()].sort()).toEqual([202, 400, 413, 415]);

    const written = await ingest.toStore();
    expect(written).toBe(accepted.size);
    const stored = new Map<number, string>();
    let cursor: string | undefined;
    do {
      const page = await ingest.store.searchEvents({ limit: 1000, ...(cursor ? { cursor } : {}) }, ALL_UNITS);
      for (const event of page.items as (SecurityEvent & { fuzz_seq?: number })[]) {
        expect(stored.has(event.fuzz_seq!)).toBe(false);
        stored.set(event.fuzz_seq!, event.organization.id);
      }
      cursor = page.next ?? undefined;
    } while (cursor !== undefined);
    expect(stored).toEqual(accepted);
    expect(posts).toBeGreaterThanOrEqual(120);

    // Still serving after all of it.
    expect((await fetch(`${ingest.url}/healthz`)).status).toBe(200);
  }, 60_000);
});
