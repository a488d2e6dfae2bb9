// How ingest reads an agent's body: the three shapes, gzip, and errors that say where.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeBody } from '../../ingest/decode-body.ts';
import { VigilError } from '../../core/errors.ts';

const json = { contentType: 'application/json', contentEncoding: undefined };
const ndjson = { contentType: 'application/x-ndjson', contentEncoding: undefined };
const MAX = 1024 * 1024;

async function failure(promise: Promise<unknown>): Promise<VigilError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(VigilError);
  return error as VigilError;
}

describe('decodeBody', () => {
  it('reads one JSON object', async () => {
    const body = await decodeBody(Buffer.from('{"a":1}'), json, MAX);
    expect(body.items).toEqual([{ position: { index: 0 }, value: { a: 1 } }]);
  });

  it('reads a JSON array with each item at its index', async () => {
    const body = await decodeBody(Buffer.from('[{"a":1},{"a":2}]'), json, MAX);
    expect(body.items.map((i) => i.position)).toEqual([{ index: 0 }, { index: 1 }]);
  });

  it('reads NDJSON line by line, skipping blank lines, keeping line numbers', async () => {
    const body = await decodeBody(Buffer.from('{"a":1}\n\n{"a":2}\r\n'), ndjson, MAX);
    expect(body.items).toEqual([
      { position: { line: 1 }, value: { a: 1 } },
      { position: { line: 3 }, value: { a: 2 } },
    ]);
  });

  it('reports a malformed NDJSON line by number and keeps the good ones', async () => {
    const body = await decodeBody(Buffer.from('{"a":1}\n{"a":\n{"a":3}'), ndjson, MAX);
    expect(body.items.map((i) => i.position)).toEqual([{ line: 1 }, { line: 3 }]);
    expect(body.malformed).toHaveLength(1);
    expect(body.malformed[0]!.position).toEqual({ line: 2 });
    expect(body.malformed[0]!.error).toMatch(/malformed JSON/);
  });

  it('answers 400 with line and column for malformed JSON', async () => {
    const error = await failure(decodeBody(Buffer.from('{\n  "a": 1,\n  "b": }'), json, MAX));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/line 3 column \d+/);
    expect(error.details).toMatchObject({ line: 3 });
  });

  it('decompresses gzip', async () => {
    const body = await decodeBody(
      gzipSync(Buffer.from('{"a":1}\n{"a":2}\n')),
      { contentType: 'application/x-ndjson', contentEncoding: 'gzip' },
      MAX,
    );
    expect(body.items).toHaveLength(2);
  });

  it('answers 413 when the decompressed body is over the limit (a gzip bomb)', async () => {
    const bomb = gzipSync(Buffer.alloc(5 * MAX, 0x20));
    const error = await failure(decodeBody(bomb, { contentType: 'application/json', contentEncoding: 'gzip' }, MAX));
    expect(error.status).toBe(413);
  });

  it('answers 400 for a body that claims gzip but is not', async () => {
    const error = await failure(decodeBody(Buffer.from('{}'), { contentType: 'application/json', contentEncoding: 'gzip' }, MAX));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/gzip/);
  });

  it('answers 415 for other content types and encodings', async () => {
    expect((await failure(decodeBody(Buffer.from('a=1'), { contentType: 'text/plain', contentEncoding: undefined }, MAX))).status).toBe(415);
    expect((await failure(decodeBody(Buffer.from('{}'), { contentType: 'application/json', contentEncoding: 'br' }, MAX))).status).toBe(415);
  });

  it('answers 400 for an empty body', async () => {
    expect((await failure(decodeBody(Buffer.from('  \n'), json, MAX))).status).toBe(400);
  });
});
