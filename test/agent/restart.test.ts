// A restart of the agent resumes exactly after what reached the spool: a crash between
// writing a batch to the spool and saving the tail state (the state file is then behind)
// must not read those lines again, or lines without their own time would be sent twice
// with two different times, which Vigil could not recognise as one event.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAgentConfig } from '../../agent/agent-config.ts';
import { startAgent } from '../../agent/run-agent.ts';
import { createLogger } from '../../core/log.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** Answers 503 while `down`, else accepts; keeps every accepted line. */
async function ingest(): Promise<{ url: string; accepted: string[]; setDown(down: boolean): void }> {
  const accepted: string[] = [];
  let down = true;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (down) {
        response.writeHead(503, { 'Content-Type': 'application/json' }).end('{"error":{"code":"unavailable","message":"down"}}');
        return;
      }
      const lines = gunzipSync(Buffer.concat(chunks)).toString().split('\n').filter((line) => line !== '');
      accepted.push(...lines);
      response.writeHead(202, { 'Content-Type': 'application/json' }).end(JSON.stringify({ accepted: lines.length, rejected: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, accepted, setDown: (value) => (down = value) };
}

describe('agent restart', () => {
  it('does not read again what is in the spool when the state file was left behind by a crash', async () => {
    const server = await ingest();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-agent-restart-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.writeFileSync(path.join(dir, 'av.log'), Array.from({ length: 30 }, (_, i) => `{"message":"line ${i}"}\n`).join(''));
    const yaml = `vigil: {url: "${server.url}", key: test-agent-key-0123456789abcdef}\nstate_dir: state\ninputs: [{path: av.log}]\nbatch: {max_events: 10}\nretry: {initial_backoff_ms: 1, max_backoff_ms: 2, once_max_attempts: 1}\nheartbeat: {interval_seconds: 0}\n`;
    const config = parseAgentConfig(yaml, path.join(dir, 'agent.yml'));
    const log = createLogger('silent');

    const first = await startAgent(config, { once: true, log }).done;
    expect(first.outcome).toBe('gave_up');
    expect(first.stats.spoolBatches).toBe(3);
    // The crash: the batches reached the spool, the state file never heard of them.
    fs.writeFileSync(path.join(dir, 'state', 'state.json'), JSON.stringify({ version: 1, seq: 0, files: {} }));

    server.setDown(false);
    const second = await startAgent(config, { once: true, log }).done;
    expect(second.outcome).toBe('drained');
    expect(second.stats.linesRead).toBe(0);
    const messages = server.accepted.map((line) => JSON.parse(line) as { message: string; '@timestamp': string; event: { id: string } });
    expect(messages.map((event) => event.message)).toEqual(Array.from({ length: 30 }, (_, i) => `line ${i}`));
    expect(new Set(messages.map((event) => event.event.id)).size).toBe(30);

    // And the file goes on from there.
    fs.appendFileSync(path.join(dir, 'av.log'), '{"message":"line 30"}\n');
    const third = await startAgent(config, { once: true, log }).done;
    expect(third.stats.linesRead).toBe(1);
    expect(server.accepted).toHaveLength(31);
  });
});
