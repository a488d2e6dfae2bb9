// How ingest reads an agent's body: the three shapes, gzip, limits on size, count and
// depth, and errors that say where.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parsePiece, readBody, splitBody, type ParsedPiece } from '../../ingest/decode-body.ts';
import { CpuTurns } from '../../ingest/cpu-turns.ts';
import { VigilError } from '../../core/errors.ts';

const json = { contentType: 'application/json', contentEncoding: undefined };
const ndjson = { contentType: 'application/x-ndjson', contentEncoding: undefined };
const MAX = 1024 * 1024;
const LIMITS = { maxEventsPerPost: 100, maxEventBytes: 1024, maxEventDepth: 8 };

async function failure(promise: Promise<unknown>): Promise<VigilError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(VigilError);
  return error as VigilError;
}

/** Every item of a body as the route sees it: position plus value or refusal. */
async function decode(
  text: string | Buffer,
  headers: { contentType: string; contentEncoding: string | undefined } = json,
  limits = LIMITS,
  input: 'json' | 'text' = 'json',
) {
  const body = await readBody(Buffer.isBuffer(text) ? text : Buffer.from(text), headers, MAX, input);
  const pieces = await splitBody(body, limits, new CpuTurns());
  return pieces.map((piece) => ({ position: piece.position, result: parsePiece(body, piece, limits) }));
}

const value = (result: ParsedPiece) => (result.ok ? result.value : undefined);

describe('decoding a body', () => {
  it('reads one JSON object', async () => {
    const items = await decode('{"a":1}');
    expect(items.map((i) => [i.position, value(i.result)])).toEqual([[{ index: 0 }, { a: 1 }]]);
  });

  it('reads a JSON array with each item at its index, strings with brackets and escapes included', async () => {
    const items = await decode(' [ {"a":"x]}\\"{["} , {"a":[2,{"b":null}]}, 3, "s", true ]\n');
    expect(items.map((i) => i.position)).toEqual([{ index: 0 }, { index: 1 }, { index: 2 }, { index: 3 }, { index: 4 }]);
    expect(items.map((i) => value(i.result))).toEqual([{ a: 'x]}"{[' }, { a: [2, { b: null }] }, 3, 's', true]);
  });

  it('reads NDJSON line by line, skipping blank lines, keeping line numbers', async () => {
    const items = await decode('{"a":1}\n\n{"a":2}\r\n', ndjson);
    expect(items.map((i) => [i.position, value(i.result)])).toEqual([
      [{ line: 1 }, { a: 1 }],
      [{ line: 3 }, { a: 2 }],
    ]);
  });

  it('reads a text format (CSV, CEF) line by line as text, with line numbers, a BOM and CRLF dropped', async () => {
    const csv = { contentType: 'text/csv; charset=utf-8', contentEncoding: undefined };
    const items = await decode('\ufeffTime,Host,"Path"\r\n\r\n  2026-12-03,PC-1,"C:\\[a]{b"  \r\n[[[[[[[[[[,x\n', csv, LIMITS, 'text');
    expect(items.map((i) => [i.position, i.result])).toEqual([
      [{ line: 1 }, { ok: true, value: undefined, text: 'Time,Host,"Path"', bytes: 16 }],
      [{ line: 3 }, { ok: true, value: undefined, text: '2026-12-03,PC-1,"C:\\[a]{b"', bytes: 26 }],
      // Brackets mean nothing in a text line: no JSON depth limit applies.
      [{ line: 4 }, { ok: true, value: undefined, text: '[[[[[[[[[[,x', bytes: 12 }],
    ]);
    const long = await decode(`ok\n${'x'.repeat(2000)}`, { contentType: 'text/plain', contentEncoding: undefined }, LIMITS, 'text');
    expect(long[1]!.result).toMatchObject({ ok: false, reason: 'too_large', error: expect.stringContaining('VIGIL_MAX_EVENT_BYTES') });
  });

  it('answers 415 for a JSON body to a text format, naming the types it takes', async () => {
    const error = await failure(readBody(Buffer.from('{}'), json, MAX, 'text'));
    expect(error.status).toBe(415);
    expect(error.message).toMatch(/send text\/plain, text\/csv or application\/x-ndjson/);
  });

  it('reports a malformed NDJSON line by number and keeps the good ones', async () => {
    const items = await decode('{"a":1}\n{"a":\n{"a":3} {"b":4}\n{"a":5}', ndjson);
    expect(items.map((i) => [i.position, i.result.ok])).toEqual([
      [{ line: 1 }, true],
      [{ line: 2 }, false],
      [{ line: 3 }, false],
      [{ line: 4 }, true],
    ]);
    expect(items[1]!.result).toMatchObject({ reason: 'malformed', error: expect.stringMatching(/malformed JSON/) });
  });

  it('answers 400 with line and column for malformed JSON', async () => {
    const error = await failure(decode('{\n  "a": 1,\n  "b": }'));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/line \d+ column \d+/);
    const broken = await failure(decode('[{"a":1},\n {"a":2} {"a":3}]'));
    expect(broken.message).toMatch(/line 2 column 10: expected , or \] after item 1/);
    expect(broken.details).toMatchObject({ line: 2, column: 10 });
    expect((await failure(decode('[{"a":1}'))).message).toMatch(/not closed/);
    expect((await failure(decode('[{"a":1},]'))).status).toBe(400);
    expect((await failure(decode('{"a":1} x'))).message).toMatch(/after the end/);
  });

  it('decompresses gzip', async () => {
    const items = await decode(gzipSync(Buffer.from('{"a":1}\n{"a":2}\n')), { contentType: 'application/x-ndjson', contentEncoding: 'gzip' });
    expect(items).toHaveLength(2);
  });

  it('answers 413 when the decompressed body is over the limit (a gzip bomb)', async () => {
    const bomb = gzipSync(Buffer.alloc(5 * MAX, 0x20));
    const error = await failure(readBody(bomb, { contentType: 'application/json', contentEncoding: 'gzip' }, MAX));
    expect(error.status).toBe(413);
    expect(error.message).toMatch(/VIGIL_MAX_BODY_BYTES/);
  });

  it('answers 400 for a body that claims gzip but is not', async () => {
    const error = await failure(readBody(Buffer.from('{}'), { contentType: 'application/json', contentEncoding: 'gzip' }, MAX));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/gzip/);
  });

  it('answers 415 for other content types and encodings', async () => {
    expect((await failure(readBody(Buffer.from('a=1'), { contentType: 'text/plain', contentEncoding: undefined }, MAX))).status).toBe(415);
    expect((await failure(readBody(Buffer.from('{}'), { contentType: 'application/json', contentEncoding: 'br' }, MAX))).status).toBe(415);
  });

  it('answers 400 for an empty body', async () => {
    expect((await failure(readBody(Buffer.from('  \n'), json, MAX))).status).toBe(400);
  });
});

describe('limits while decoding', () => {
  it('refuses a post with more events than allowed as a whole, naming the setting (413)', async () => {
    const many = `[${Array.from({ length: 101 }, () => '{}').join(',')}]`;
    const error = await failure(decode(many));
    expect(error.status).toBe(413);
    expect(error.code).toBe('too_many_events');
    expect(error.message).toMatch(/more than 100 events.*VIGIL_MAX_EVENTS_PER_POST/);
    const lines = Array.from({ length: 101 }, () => '{}').join('\n');
    expect((await failure(decode(lines, ndjson))).status).toBe(413);
    expect(await decode(Array.from({ length: 100 }, () => '{}').join('\n'), ndjson)).toHaveLength(100);
  });

  it('refuses a 1.5 MB body of empty objects after counting, without parsing half a million events', async () => {
    const flood = `[${Array.from({ length: 500_000 }, () => '{}').join(',')}]`;
    const body = await readBody(Buffer.from(flood), json, 2 * MAX);
    const error = await failure(splitBody(body, { maxEventsPerPost: 10_000, maxEventDepth: 32 }, new CpuTurns()));
    expect(error.status).toBe(413);
  });

  it('refuses an event larger than the event size limit, per item, naming the limit', async () => {
    const big = JSON.stringify({ message: 'x'.repeat(2000) });
    const items = await decode(`[{"a":1},${big}]`);
    expect(items[0]!.result.ok).toBe(true);
    expect(items[1]!.result).toEqual({
      ok: false,
      reason: 'too_large',
      error: `event is ${big.length} bytes, over the limit of 1024 bytes per event (VIGIL_MAX_EVENT_BYTES)`,
    });
  });

  it('refuses an event nested deeper than the limit, per item, saying where, however deep it goes', async () => {
    const deep = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
    const items = await decode(`${deep(8)}\n${deep(9)}\n${deep(100_000)}`, ndjson, { ...LIMITS, maxEventBytes: MAX });
    expect(items.map((i) => i.result.ok)).toEqual([true, false, false]);
    expect(items[1]!.result).toMatchObject({ reason: 'too_deep' });
    expect((items[1]!.result as { error: string }).error).toBe(
      'event nests deeper than 8 levels of objects and arrays (VIGIL_MAX_EVENT_DEPTH), at line 2 column 41',
    );
    // Columns count characters, not bytes: "Hà Nội" is 6 characters in 9 bytes (column 54 in bytes).
    const vietnamese = await decode(`[{"unit":"Hà Nội"},{"unit":"Hà Nội","x":${'['.repeat(8)}${']'.repeat(8)}}]`, json, { ...LIMITS, maxEventBytes: MAX });
    expect((vietnamese[1]!.result as { error: string }).error).toMatch(/at line 1 column 48$/);
    const arrays = await decode(`[${'['.repeat(50_000)}${']'.repeat(50_000)}]`, json, { ...LIMITS, maxEventBytes: MAX });
    expect(arrays[0]!.result).toMatchObject({ ok: false, reason: 'too_deep' });
  });
});
