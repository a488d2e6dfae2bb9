// How the agent delivers batches, against a real HTTP server started here that answers
// the way Vigil's ingest does (202 with accepted/rejected, 503 and 429 with Retry-After,
// 400, 401, 413 with Vigil's error body): a retry never comes before Retry-After and
// resends the very same events; refusals are counted, never resent; a 413 is split; a
// --once run that cannot reach Vigil leaves the batch in the spool for the next run.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAgentConfig, type AgentConfig } from '../../agent/agent-config.ts';
import { AgentUnauthorizedError } from '../../agent/agent-errors.ts';
import { backoffMs, parseRetryAfter } from '../../agent/retry-policy.ts';
import { startAgent } from '../../agent/run-agent.ts';
import { createLogger } from '../../core/log.ts';

interface Received {
  at: number;
  url: string;
  headers: http.IncomingHttpHeaders;
  lines: string[];
}

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}
type Answer = Reply | ((lines: string[]) => Reply);

const accept = (lines: string[]) => ({ status: 202, body: { accepted: lines.length, rejected: [] } });
const vigilError = (code: string, message: string, details?: unknown) => ({ error: { code, message, details } });

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A server answering each events post with the next scripted answer (the last one repeats). */
async function fakeIngest(script: Answer[]): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url !== '/api/v1/events' && !request.url!.startsWith('/api/v1/events?')) {
        response.writeHead(404).end();
        return;
      }
      const raw = Buffer.concat(chunks);
      const text = request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString() : raw.toString();
      const lines = text.split('\n').filter((line) => line !== '');
      received.push({ at: Date.now(), url: request.url!, headers: request.headers, lines });
      const next = script[Math.min(received.length - 1, script.length - 1)]!;
      const answer: Reply = typeof next === 'function' ? next(lines) : next;
      const headers = { 'Content-Type': 'application/json', ...answer.headers };
      response.writeHead(answer.status, headers).end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

function agentSetup(url: string, lines: string[], extra = ''): { config: AgentConfig; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-agent-delivery-'));
  closers.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'av.ndjson'), lines.map((line) => `${line}\n`).join(''));
  const yaml = [
    'vigil:',
    `  url: ${url}`,
    '  key: test-agent-key-0123456789abcdef',
    'state_dir: state',
    'inputs:',
    '  - path: av.ndjson',
    'retry:',
    '  initial_backoff_ms: 10',
    '  max_backoff_ms: 40',
    '  once_max_attempts: 3',
    'heartbeat:',
    '  interval_seconds: 0',
    extra,
  ].join('\n');
  return { config: parseAgentConfig(yaml, path.join(dir, 'agent.yml')), dir };
}

const log = createLogger('silent');
const events = (n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ '@timestamp': '2026-12-03T01:00:00Z', message: `detection ${i}` }));
const spooled = (dir: string) => fs.readdirSync(path.join(dir, 'state', 'spool')).filter((name) => name.endsWith('.batch'));

describe('agent delivery', () => {
  it('waits out a 503 Retry-After, then resends the same events gzipped with its key', async () => {
    const server = await fakeIngest([{ status: 503, headers: { 'Retry-After': '1' }, body: vigilError('unavailable', 'events could not be stored durably') }, accept]);
    const { config, dir } = agentSetup(server.url, events(5));
    const end = await startAgent(config, { once: true, log }).done;

    expect(end.outcome).toBe('drained');
    expect(server.received).toHaveLength(2);
    const [first, second] = server.received as [Received, Received];
    expect(second.at - first.at).toBeGreaterThanOrEqual(1000);
    expect(second.lines).toEqual(first.lines);
    expect(new Set(first.lines.map((line) => JSON.parse(line).event.id)).size).toBe(5);
    expect(first.headers['content-encoding']).toBe('gzip');
    expect(first.headers.authorization).toBe('Bearer test-agent-key-0123456789abcdef');
    expect(first.url).toBe('/api/v1/events?format=ecs');
    expect(end.stats).toMatchObject({ linesRead: 5, eventsSent: 5, batchesSent: 1, retries: 1, spooled: 1, rejected: 0, spoolBatches: 0 });
    expect(spooled(dir)).toEqual([]);
  });

  it('waits out a 429 Retry-After too', async () => {
    const server = await fakeIngest([{ status: 429, headers: { 'Retry-After': '1' }, body: vigilError('rate_limited', 'over its rate') }, accept]);
    const { config } = agentSetup(server.url, events(2));
    const end = await startAgent(config, { once: true, log }).done;
    expect(end.outcome).toBe('drained');
    expect(server.received[1]!.at - server.received[0]!.at).toBeGreaterThanOrEqual(1000);
  });

  it('does not resend what Vigil refused: a 400 is counted as rejected, lines refused inside a 202 too', async () => {
    const server = await fakeIngest([
      { status: 400, body: vigilError('bad_input', 'no valid event in the body: line 1: malformed JSON', { accepted: 0, rejected: [{ line: 1, error: 'malformed JSON' }] }) },
    ]);
    const { config, dir } = agentSetup(server.url, ['not json']);
    const end = await startAgent(config, { once: true, log }).done;
    expect(server.received).toHaveLength(1);
    expect(end.outcome).toBe('drained');
    expect(end.stats).toMatchObject({ rejected: 1, eventsSent: 0, retries: 0 });
    expect(spooled(dir)).toEqual([]);

    const partly = await fakeIngest([(lines) => ({ status: 202, body: { accepted: lines.length - 1, rejected: [{ line: 2, error: 'event.outcome: invalid option' }] } })]);
    const second = agentSetup(partly.url, events(3));
    const result = await startAgent(second.config, { once: true, log }).done;
    expect(result.stats).toMatchObject({ eventsSent: 2, rejected: 1, batchesSent: 1 });
  });

  it('splits a batch Vigil finds too large (413) and sends each half', async () => {
    const server = await fakeIngest([
      (lines) => (lines.length > 4 ? { status: 413, body: vigilError('bad_input', 'too many events in one post (VIGIL_MAX_EVENTS_PER_POST)') } : accept(lines)),
    ]);
    const { config } = agentSetup(server.url, events(10));
    const end = await startAgent(config, { once: true, log }).done;
    expect(end.stats).toMatchObject({ eventsSent: 10, rejected: 0 });
    const delivered = server.received.filter((request) => request.lines.length <= 4).flatMap((request) => request.lines);
    expect(delivered.map((line) => JSON.parse(line).message)).toEqual(events(10).map((line) => JSON.parse(line).message));
  });

  it('with --once, gives up after its attempts and keeps the batch; the next run sends the very same events', async () => {
    const down = await fakeIngest([{ status: 503, body: vigilError('unavailable', 'bus down') }]);
    const { config, dir } = agentSetup(down.url, events(4));
    const end = await startAgent(config, { once: true, log }).done;
    expect(end.outcome).toBe('gave_up');
    expect(down.received).toHaveLength(3);
    expect(spooled(dir)).toHaveLength(1);
    expect(end.stats.spoolBatches).toBe(1);

    const up = await fakeIngest([accept]);
    const again = await startAgent({ ...config, url: up.url }, { once: true, log }).done;
    expect(again.outcome).toBe('drained');
    expect(again.stats.linesRead).toBe(0);
    expect(up.received.map((request) => request.lines)).toEqual([down.received[0]!.lines]);
    expect(spooled(dir)).toEqual([]);
  });

  it('stops on a refused key (401) and keeps the batch for when the key is fixed', async () => {
    const server = await fakeIngest([{ status: 401, body: vigilError('unauthorized', 'unknown or revoked agent key') }]);
    const { config, dir } = agentSetup(server.url, events(1));
    await expect(startAgent(config, { once: false, log }).done).rejects.toThrow(AgentUnauthorizedError);
    expect(spooled(dir)).toHaveLength(1);
  });

  it('posts a CSV export with its header line first, in every post and in each half of a split one', async () => {
    const server = await fakeIngest([(lines) => (lines.length > 4 ? { status: 413, body: vigilError('bad_input', 'too many events') } : accept(lines.slice(1)))]);
    const rows = Array.from({ length: 6 }, (_, i) => `2026-12-03 08:0${i},PC-0${i},EICAR`);
    const { config } = agentSetup(server.url, ['Time,Computer,Threat', ...rows]);
    const csv = { ...config, inputs: config.inputs.map((input) => ({ ...input, format: 'av:trellix-epo', headerLine: true })) };
    const end = await startAgent(csv, { once: true, log }).done;
    expect(end.stats).toMatchObject({ linesRead: 6, eventsSent: 6, rejected: 0 });
    expect(server.received.map((request) => request.url)).toEqual(Array(3).fill('/api/v1/events?format=av%3Atrellix-epo'));
    expect(server.received.map((request) => request.lines)).toEqual([
      ['Time,Computer,Threat', ...rows],
      ['Time,Computer,Threat', ...rows.slice(0, 3)],
      ['Time,Computer,Threat', ...rows.slice(3)],
    ]);
  });

  it('stops, keeping the spool, when Vigil has no decoder for the input format', async () => {
    const server = await fakeIngest([
      { status: 400, body: vigilError('bad_input', 'unknown format "surikata": send ?format= or X-Vigil-Format as one of ecs, suricata', { formats: ['ecs', 'suricata'] }) },
    ]);
    const { config, dir } = agentSetup(server.url, ['{"event_type":"alert"}']);
    const misspelt = { ...config, inputs: config.inputs.map((input) => ({ ...input, format: 'surikata' })) };
    await expect(startAgent(misspelt, { once: true, log }).done).rejects.toThrow(/unknown format "surikata".*batches stay in the spool/);
    expect(spooled(dir)).toHaveLength(1);
  });

  it('sends another format as ?format=', async () => {
    const server = await fakeIngest([accept]);
    const { config } = agentSetup(server.url, ['{"event_type":"alert"}'], '');
    await startAgent({ ...config, inputs: config.inputs.map((input) => ({ ...input, format: 'suricata' })) }, { once: true, log }).done;
    expect(server.received[0]!.url).toBe('/api/v1/events?format=suricata');
    expect(server.received[0]!.lines).toEqual(['{"event_type":"alert"}']);
  });
});

describe('retry policy', () => {
  it('backs off exponentially with full jitter, up to the ceiling', () => {
    const policy = { initialBackoffMs: 500, maxBackoffMs: 4000 };
    expect([0, 1, 2, 3, 4, 10].map((attempt) => backoffMs(attempt, policy, () => 0.9999))).toEqual([499, 999, 1999, 3999, 3999, 3999]);
    expect(backoffMs(3, policy, () => 0)).toBe(0);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    const now = Date.parse('2026-12-03T10:00:00Z');
    expect(parseRetryAfter('Thu, 03 Dec 2026 10:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
