// `vigil rules match` as analysts pipe it: into `wc -l`, `tail` or `head`. Every line
// must reach the reader before the process exits, however far ahead of the reader it
// is, and a reader that stops early (`head -n 1`) ends the command quietly.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/start-vigil.ts';

const EVENTS = 30_000;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-match-pipe-'));
  const lines: string[] = [];
  for (let i = 0; i < EVENTS; i += 1) {
    const time = new Date(Date.parse('2026-12-01T08:00:00Z') + i * 1000).toISOString();
    lines.push(JSON.stringify({ '@timestamp': time, process: { command_line: `powershell.exe -enc ${i}` }, user: { name: `user-${i % 50}` } }));
  }
  writeFileSync(join(dir, 'events.ndjson'), `${lines.join('\n')}\n`);
  // Two rules firing on every event (in file-name order: encoded, then powershell): 60,000 lines, about 3 MB, far beyond a pipe's 64 KiB.
  const rule = (id: string, value: string) =>
    [`title: ${id}`, `id: ${id}`, 'logsource: { category: process_creation }', 'detection:', `  selection: { process.command_line|contains: '${value}' }`, '  condition: selection', ''].join('\n');
  writeFileSync(join(dir, 'powershell.yml'), rule('pipe-powershell', 'powershell'));
  writeFileSync(join(dir, 'encoded.yml'), rule('pipe-encoded', '-enc'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const match = () => `"${process.execPath}" --import tsx bin/vigil.ts rules match "${dir}" "${join(dir, 'events.ndjson')}" --pipeline none`;

describe('vigil rules match into a pipe', () => {
  it('every line reaches `wc -l`, and the last one is the last event’s', () => {
    const result = spawnSync('sh', ['-c', `${match()} | tee "${join(dir, 'out.ndjson')}" | wc -l; tail -n 1 "${join(dir, 'out.ndjson')}"`], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 180_000,
    });
    expect(result.stderr).toBe('');
    const [count, last] = result.stdout.trim().split('\n');
    expect(count?.trim()).toBe(String(2 * EVENTS));
    expect(last).toBe(`{"event":${EVENTS - 1},"rule":"pipe-powershell"}`);
  });

  it('a reader that closes the pipe after one line (`head -n 1`) ends it with exit 0 and nothing on stderr', async () => {
    const child = spawn('sh', ['-c', match()], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const first = await new Promise<string>((resolve) => {
      let text = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        text += chunk;
        const end = text.indexOf('\n');
        if (end !== -1) {
          // Like `head -n 1`: take one line and close our end of the pipe.
          child.stdout.destroy();
          resolve(text.slice(0, end));
        }
      });
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', (status) => resolve(status)));
    expect(first).toBe('{"event":0,"rule":"pipe-encoded"}');
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
