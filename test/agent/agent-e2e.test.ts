// `vigil agent` against a real all-in-one Vigil: the agent tails a file being appended
// to while Vigil is killed (SIGKILL) mid-stream, stays down while more lines come and
// the file is rotated, and is restarted on the same data dir and port. Afterwards every
// line is indexed exactly once (nothing lost, nothing doubled), the spool is drained,
// and the summary says what happened. The agent itself killed mid-stream resumes without
// sending a line twice. A quiet agent's heartbeat shows it alive.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, makeTempDir, repoRoot, signIn, startVigil, type VigilProcess } from '../support/start-vigil.ts';

interface AgentProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

function runAgent(configPath: string, args: string[] = []): AgentProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'bin', 'vigil.ts'), 'agent', '--config', configPath, ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

function writeConfig(dir: string, url: string, key: string, extra: string[] = []): string {
  const file = path.join(dir, 'agent.yml');
  fs.writeFileSync(
    file,
    [
      'vigil:',
      `  url: ${url}`,
      `  key: ${key}`,
      '  timeout_ms: 5000',
      'state_dir: state',
      'inputs:',
      '  - path: av.ndjson',
      'batch:',
      '  max_events: 50',
      '  max_wait_ms: 100',
      'retry:',
      '  initial_backoff_ms: 100',
      '  max_backoff_ms: 800',
      'poll_interval_ms: 50',
      ...extra,
    ].join('\n'),
  );
  return file;
}

/** Lines as an antivirus console writes them: no event.id; every third one without a time either. */
function lines(from: number, to: number): string {
  let text = '';
  for (let i = from; i < to; i++) {
    const event: Record<string, unknown> = {
      message: `line ${i}`,
      event: { kind: 'event', category: ['malware'], action: 'cleaned', outcome: 'success', module: 'antivirus' },
      host: { id: `pc-${i % 17}`, name: `PC-${i % 17}` },
      rule: { name: 'Win32/Adware.Example' },
    };
    if (i % 3 !== 0) event['@timestamp'] = new Date(Date.parse('2026-12-03T01:00:00Z') + i * 1000).toISOString();
    text += `${JSON.stringify(event)}\n`;
  }
  return text;
}

describe('vigil agent against a real Vigil', () => {
  const dataDir = makeTempDir('vigil-agent-e2e-');
  const agentDir = makeTempDir('vigil-agent-');
  let vigil: VigilProcess | undefined;
  let agent: AgentProcess | undefined;
  afterAll(async () => {
    agent?.child.kill('SIGKILL');
    await vigil?.stop();
    fs.rmSync(agentDir, { recursive: true, force: true });
  });

  it('indexes every line exactly once through a Vigil crash and restart mid-stream, with a rotation meanwhile, and drains its spool', async () => {
    vigil = await startVigil({ dataDir });
    const port = new URL(vigil.url).port;
    const log = path.join(agentDir, 'av.ndjson');
    const spoolDir = path.join(agentDir, 'state', 'spool');
    fs.writeFileSync(log, lines(0, 200));
    agent = runAgent(writeConfig(agentDir, vigil.url, vigil.agentKey));

    let cookie = await signIn(vigil.url, 'admin', vigil.adminPassword);
    const total = async () => {
      const response = await fetch(`${vigil!.url}/api/v1/events?limit=1`, { headers: { Cookie: cookie } });
      return ((await response.json()) as { total: number }).total;
    };
    await eventually(async () => ((await total()) >= 100 ? true : undefined), 30_000);

    // Mid-stream: more lines arrive and Vigil crashes under them.
    fs.appendFileSync(log, lines(200, 400));
    await vigil.kill();
    // While Vigil is down: more lines, then logrotate (the old file gets a last few).
    fs.appendFileSync(log, lines(400, 600));
    await eventually(async () => (/Vigil did not answer: retrying/.test(agent!.stdout()) ? true : undefined), 30_000);
    fs.renameSync(log, `${log}.1`);
    fs.appendFileSync(`${log}.1`, lines(600, 650));
    fs.writeFileSync(log, lines(650, 800));
    await eventually(async () => (fs.readdirSync(spoolDir).some((name) => name.endsWith('.batch')) ? true : undefined), 30_000);

    vigil = await startVigil({ dataDir, env: { VIGIL_PORT: port } });
    expect(vigil.url).toBe(`http://127.0.0.1:${port}`);
    fs.appendFileSync(log, lines(800, 1000));
    cookie = await signIn(vigil.url, 'admin', vigil.adminPassword);
    await eventually(async () => ((await total()) >= 1000 ? true : undefined), 90_000);
    await eventually(async () => (fs.readdirSync(spoolDir).some((name) => name.endsWith('.batch')) ? undefined : true), 30_000);

    // Every line, once: page through everything Vigil indexed.
    const seen = new Map<string, number>();
    const ids = new Set<string>();
    let cursor: string | null = null;
    do {
      const response = await fetch(`${vigil.url}/api/v1/events?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { headers: { Cookie: cookie } });
      const page = (await response.json()) as { items: { message: string; event: { id: string } }[]; next: string | null };
      for (const event of page.items) {
        seen.set(event.message, (seen.get(event.message) ?? 0) + 1);
        ids.add(event.event.id);
      }
      cursor = page.next;
    } while (cursor);
    const missing = Array.from({ length: 1000 }, (_, i) => `line ${i}`).filter((message) => !seen.has(message));
    const doubled = [...seen].filter(([, count]) => count > 1).map(([message]) => message);
    expect(missing).toEqual([]);
    expect(doubled).toEqual([]);
    expect(seen.size).toBe(1000);
    expect(ids.size).toBe(1000);
    expect(await total()).toBe(1000);

    // SIGTERM: a clean stop, with the summary of the run.
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    const stderr = agent.stderr();
    expect(stderr).toMatch(/lines read\s+1,000\n/);
    expect(stderr).toMatch(/batches spooled\s+[1-9]/);
    expect(stderr).toMatch(/retries\s+[1-9]/);
    expect(stderr).toMatch(/rotations, truncations\s+1, 0\n/);
    expect(stderr).toMatch(/left in the spool\s+0 batches/);
    agent = undefined;
  }, 240_000);

  it('resumes after its own SIGKILL mid-stream without sending a line twice', async () => {
    const running = vigil!;
    const log = path.join(agentDir, 'av.ndjson');
    const spoolDir = path.join(agentDir, 'state', 'spool');
    const cookie = await signIn(running.url, 'admin', running.adminPassword);
    const messages = async () => {
      const seen = new Map<string, number>();
      let cursor: string | null = null;
      do {
        const response = await fetch(`${running.url}/api/v1/events?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { headers: { Cookie: cookie } });
        const page = (await response.json()) as { items: { message: string }[]; next: string | null };
        for (const event of page.items) seen.set(event.message, (seen.get(event.message) ?? 0) + 1);
        cursor = page.next;
      } while (cursor);
      return seen;
    };
    const total = async () => ((await (await fetch(`${running.url}/api/v1/events?limit=1`, { headers: { Cookie: cookie } })).json()) as { total: number }).total;

    fs.appendFileSync(log, lines(1000, 1400));
    const first = runAgent(path.join(agentDir, 'agent.yml'));
    await eventually(async () => ((await total()) >= 1050 ? true : undefined), 30_000);
    first.child.kill('SIGKILL');
    await first.exited;
    fs.appendFileSync(log, lines(1400, 1500));

    agent = runAgent(path.join(agentDir, 'agent.yml'));
    await eventually(async () => ((await total()) >= 1500 ? true : undefined), 60_000);
    await eventually(async () => (fs.readdirSync(spoolDir).some((name) => name.endsWith('.batch')) ? undefined : true), 30_000);
    const seen = await messages();
    expect(Array.from({ length: 1500 }, (_, i) => `line ${i}`).filter((message) => seen.get(message) !== 1)).toEqual([]);
    expect(seen.size).toBe(1500);
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    agent = undefined;
  }, 120_000);

  it('shows a quiet agent alive through its heartbeat, and refuses an unknown key', async () => {
    const running = vigil!;
    const cookie = await signIn(running.url, 'admin', running.adminPassword);
    const api = (route: string, init: RequestInit = {}) =>
      fetch(`${running.url}${route}`, { ...init, headers: { Cookie: cookie, 'Content-Type': 'application/json', ...(init.headers ?? {}) } });
    const enrolled = (await (await api('/api/v1/agents', { method: 'POST', body: JSON.stringify({ unit: running.unit, name: 'quiet sensor' }) })).json()) as {
      agent: { id: string; lastSeen: string | null };
      key: string;
    };
    expect(enrolled.agent.lastSeen).toBeNull();

    const dir = makeTempDir('vigil-agent-quiet-');
    fs.writeFileSync(path.join(dir, 'av.ndjson'), '');
    const quiet = runAgent(writeConfig(dir, running.url, enrolled.key), ['--once']);
    expect(await quiet.exited).toBe(0);
    expect(quiet.stderr()).toMatch(/events sent\s+0\n/);
    const listed = (await (await api('/api/v1/agents')).json()) as { items: { id: string; lastSeen: string | null }[] };
    expect(listed.items.find((item) => item.id === enrolled.agent.id)?.lastSeen).not.toBeNull();

    const refused = await fetch(`${running.url}/api/v1/heartbeat`, { method: 'POST', headers: { Authorization: 'Bearer not-a-real-key-0123456789abcdef' } });
    expect(refused.status).toBe(401);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
