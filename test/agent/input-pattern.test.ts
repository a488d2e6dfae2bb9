// An agent input with a wildcard in its file name (`av/*.json`) tails every matching file:
// the ones there at start, the ones that appear later (from their first line), never a
// file that does not match, and never again a file it already read that was rotated to
// a name the pattern also matches. Two `vigil agent --once` runs against a stand-in
// ingest endpoint on a real socket, as cron would run it.
import fs from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { expandPattern, isPattern } from '../../agent/input-pattern.ts';
import { runAgentCommand } from '../../bin/agent-command.ts';

const dirs: string[] = [];
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-agent-glob-'));
  dirs.push(dir);
  return dir;
}

/** Accepts every batch and keeps each event's message. */
async function standInVigil(): Promise<{ url: string; messages: string[] }> {
  const messages: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const text = req.headers['content-encoding'] === 'gzip' ? gunzipSync(body).toString('utf8') : body.toString('utf8');
      const lines = text.split('\n').filter((line) => line.trim() !== '');
      for (const line of lines) messages.push(String((JSON.parse(line) as { message?: unknown }).message));
      res.writeHead(202, { 'Content-Type': 'application/json' }).end(JSON.stringify({ accepted: lines.length, rejected: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = () => new Promise((resolve) => server.close(() => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, messages };
}

async function once(config: string): Promise<{ code: number; err: string }> {
  let err = '';
  const code = await runAgentCommand(['--config', config, '--once'], { out: () => {}, err: (text) => (err += text), isTTY: false, stopSignal: new Promise(() => undefined) });
  return { code, err };
}

const line = (message: string) => `${JSON.stringify({ message })}\n`;

describe('agent input patterns', () => {
  it('names the matching files of one folder', () => {
    const dir = tempDir();
    for (const name of ['a.json', 'b.json', 'c.txt', '.hidden.json', 'eve-1.json', 'eve-12.json']) fs.writeFileSync(path.join(dir, name), '');
    fs.mkdirSync(path.join(dir, 'folder.json'));
    expect(isPattern(path.join(dir, '*.json'))).toBe(true);
    expect(isPattern(path.join(dir, 'a.json'))).toBe(false);
    expect(expandPattern(path.join(dir, '*.json')).map((file) => path.basename(file))).toEqual(['a.json', 'b.json', 'eve-1.json', 'eve-12.json']);
    expect(expandPattern(path.join(dir, 'eve-?.json')).map((file) => path.basename(file))).toEqual(['eve-1.json']);
    expect(expandPattern(path.join(dir, 'missing', '*.json'))).toEqual([]);
  });

  it('tails every matching file, new ones from their first line, and not a rotated copy again', async () => {
    const { url, messages } = await standInVigil();
    const dir = tempDir();
    const av = path.join(dir, 'av');
    fs.mkdirSync(av);
    fs.writeFileSync(path.join(av, 'a.json'), line('a1') + line('a2'));
    fs.writeFileSync(path.join(av, 'b.json'), line('b1'));
    fs.writeFileSync(path.join(av, 'notes.txt'), line('not an input'));
    const config = path.join(dir, 'agent.yml');
    fs.writeFileSync(
      config,
      `vigil: {url: "${url}", key: test-agent-key-0123456789abcdef, timeout_ms: 2000}\nstate_dir: state\ninputs: [{path: "av/*.json", start_at: beginning}]\nheartbeat: {interval_seconds: 0}\nlog_level: silent\n`,
    );

    const first = await once(config);
    expect(first.code, first.err).toBe(0);
    expect(messages.sort()).toEqual(['a1', 'a2', 'b1']);

    // Between runs: a new file, an append, and b.json rotated to a name that also matches.
    fs.writeFileSync(path.join(av, 'c.json'), line('c1'));
    fs.appendFileSync(path.join(av, 'a.json'), line('a3'));
    fs.appendFileSync(path.join(av, 'b.json'), line('b2'));
    fs.renameSync(path.join(av, 'b.json'), path.join(av, 'b-old.json'));
    fs.writeFileSync(path.join(av, 'b.json'), line('b3'));
    messages.length = 0;
    const second = await once(config);
    expect(second.code, second.err).toBe(0);
    expect(messages.sort()).toEqual(['a3', 'b2', 'b3', 'c1']);
  });

  it('refuses a wildcard in a folder, naming the input', async () => {
    const dir = tempDir();
    const config = path.join(dir, 'agent.yml');
    fs.writeFileSync(config, `vigil: {url: "http://127.0.0.1:1", key: test-agent-key-0123456789abcdef}\nstate_dir: state\ninputs: [{path: "logs/*/eve.json"}]\n`);
    const run = await once(config);
    expect(run.code).toBe(2);
    expect(run.err).toContain('inputs.0.path: wildcards (* and ?) are read in the file name only, not in folders');
  });
});
