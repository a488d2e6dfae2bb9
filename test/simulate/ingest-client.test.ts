// The simulator's ingest client against a stand-in ingest endpoint on a real socket: it
// sends gzipped NDJSON with the agent key, waits out a 429's and a 503's Retry-After
// before sending the same batch again, and reports a refusal as a typed error.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { postBatch, SimulatePostError } from '../../simulate/ingest-client.ts';

interface Received {
  at: number;
  authorization: string | undefined;
  encoding: string | undefined;
  type: string | undefined;
  lines: unknown[];
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function ingest(answers: ((res: ServerResponse) => void)[]): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = gunzipSync(Buffer.concat(chunks)).toString('utf8');
      received.push({
        at: Date.now(),
        authorization: req.headers.authorization,
        encoding: req.headers['content-encoding'],
        type: req.headers['content-type'],
        lines: text.trim().split('\n').map((line) => JSON.parse(line) as unknown),
      });
      (answers[received.length - 1] ?? answers.at(-1)!)(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = () => new Promise((resolve) => server.close(() => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

const accepted = (res: ServerResponse) => res.writeHead(202, { 'Content-Type': 'application/json' }).end(JSON.stringify({ accepted: 2, rejected: [] }));

describe('postBatch', () => {
  const events = [{ '@timestamp': '2026-12-01T02:00:00.000Z', event: { id: 'a' } }, { '@timestamp': '2026-12-01T02:00:01.000Z', event: { id: 'b' } }];

  it('sends gzipped NDJSON with the agent key, and waits out 429 and 503 Retry-After', async () => {
    const busy = (status: number) => (res: ServerResponse) => res.writeHead(status, { 'Retry-After': '1' }).end('{}');
    const { url, received } = await ingest([busy(429), busy(503), accepted]);
    const result = await postBatch(url, 'unit-key', events);
    expect(result).toEqual({ accepted: 2, rejected: 0, retries: 2 });
    expect(received).toHaveLength(3);
    for (const request of received) {
      expect(request).toMatchObject({ authorization: 'Bearer unit-key', encoding: 'gzip', type: 'application/x-ndjson' });
      expect(request.lines).toEqual(events);
    }
    // Each retry came after the second Vigil asked for.
    expect(received[1]!.at - received[0]!.at).toBeGreaterThanOrEqual(950);
    expect(received[2]!.at - received[1]!.at).toBeGreaterThanOrEqual(950);
  });

  it('reports a refused batch with the status Vigil answered', async () => {
    const { url } = await ingest([(res) => res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"error":"unknown agent key"}')]);
    const failure = await postBatch(url, 'wrong-key', events).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SimulatePostError);
    expect((failure as SimulatePostError).message).toContain('401');
    expect((failure as SimulatePostError).status).toBe(401);
  });
});
