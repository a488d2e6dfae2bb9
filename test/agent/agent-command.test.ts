// `vigil agent` on the command line: usage and configuration errors exit 2 with the
// reason; a --once run that cannot reach Vigil exits 1 after its summary, saying the
// batches stay in the spool; a run stopped by a signal prints its summary and exits 0.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runAgentCommand } from '../../bin/agent-command.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function io(stop: Promise<string> = new Promise(() => undefined)) {
  let out = '';
  let err = '';
  return { io: { out: (text: string) => (out += text), err: (text: string) => (err += text), isTTY: false, stopSignal: stop }, text: () => ({ out, err }) };
}

/** A local port nothing listens on: a Vigil that is down. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function configFile(url: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-agent-cli-'));
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, 'av.log'), '{"message":"one"}\n{"message":"two"}\n');
  const file = path.join(dir, 'agent.yml');
  fs.writeFileSync(
    file,
    `vigil: {url: "${url}", key: test-agent-key-0123456789abcdef, timeout_ms: 2000}\nstate_dir: state\ninputs: [{path: av.log}]\nretry: {initial_backoff_ms: 1, max_backoff_ms: 2, once_max_attempts: 2}\nheartbeat: {interval_seconds: 0}\nlog_level: silent\n`,
  );
  return file;
}

describe('vigil agent command', () => {
  it('exits 2 with the usage or every configuration problem', async () => {
    const noArgs = io();
    expect(await runAgentCommand([], noArgs.io)).toBe(2);
    expect(noArgs.text().err).toMatch(/usage: vigil agent --config <agent.yml> \[--once\]/);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-agent-cli-'));
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'agent.yml'), 'vigil: {url: nope}\nstate_dir: s\ninputs: []\n');
    const bad = io();
    expect(await runAgentCommand(['--config', path.join(dir, 'agent.yml')], bad.io)).toBe(2);
    expect(bad.text().err).toMatch(/agent\.yml:1:\d+: vigil\.url: must be an http\(s\) URL/);
    expect(bad.text().err).toMatch(/inputs: must list at least one file/);
  });

  it('--once: exits 1 when Vigil cannot be reached, after a summary, keeping the batch', async () => {
    const run = io();
    const code = await runAgentCommand(['--config', configFile(`http://127.0.0.1:${await closedPort()}`), '--once'], run.io);
    expect(code).toBe(1);
    const { err } = run.text();
    expect(err).toMatch(/lines read\s+2\n/);
    expect(err).toMatch(/retries\s+1\n/);
    expect(err).toMatch(/left in the spool\s+1 batches/);
    expect(err).toMatch(/1 batch\(es\) stay in the spool for the next run/);
  });

  it('stops on a signal with its summary and exit 0', async () => {
    let signal!: (name: string) => void;
    const run = io(new Promise((resolve) => (signal = resolve)));
    const running = runAgentCommand(['--config', configFile(`http://127.0.0.1:${await closedPort()}`)], run.io);
    signal('SIGTERM');
    expect(await running).toBe(0);
    expect(run.text().err).toMatch(/vigil agent summary/);
  });
});
