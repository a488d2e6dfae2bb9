// `vigil rules match` and `vigil rules lint` as SOC engineers and CI run them: a real
// process on small fixture files (test/bin/fixtures/), exact stdout and exit codes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/start-vigil.ts';

const fixtures = 'test/bin/fixtures';

function vigil(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'bin/vigil.ts', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const ndjson = (...lines: object[]) => lines.map((line) => `${JSON.stringify(line)}\n`).join('');

describe('vigil rules match', () => {
  it('maps Sigma taxonomy names with the shipped pipelines, routes by logsource and applies meta filters', () => {
    expect(vigil('rules', 'match', `${fixtures}/rules`, `${fixtures}/events.ndjson`)).toEqual({
      code: 0,
      stdout: ndjson(
        { event: 0, rule: 'fixture-av-emotet' },
        { event: 1, rule: 'fixture-fw-rdp' },
        { event: 2, rule: 'fixture-zeek-smb' },
      ),
      stderr: '',
    });
  });

  it('--pipeline none reads fields as the rules name them and lets every rule see every event', () => {
    expect(vigil('rules', 'match', `${fixtures}/rules`, `${fixtures}/events.ndjson`, '--pipeline', 'none')).toEqual({
      code: 0,
      stdout: ndjson(
        { event: 2, rule: 'fixture-zeek-smb' },
        { event: 3, rule: 'fixture-av-emotet' },
        { event: 3, rule: 'fixture-fw-rdp' },
      ),
      stderr: '',
    });
  });

  it('--pipeline <name> uses that pipeline alone; a single rule file loads without the folder’s filters', () => {
    expect(vigil('rules', 'match', `${fixtures}/rules/av-emotet.yml`, `${fixtures}/events.ndjson`, '--pipeline', 'antivirus')).toEqual({
      code: 0,
      stdout: ndjson({ event: 0, rule: 'fixture-av-emotet' }, { event: 5, rule: 'fixture-av-emotet' }),
      stderr: '',
    });
    const unknown = vigil('rules', 'match', `${fixtures}/rules/av-emotet.yml`, `${fixtures}/events.ndjson`, '--pipeline', 'nope');
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/no pipeline named 'nope' \(known: .*antivirus.*, or none\)/);
  });

  it('prints each correlation alert once, in event-time order, after the matches it stems from', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-correlation-cli-'));
    try {
      writeFileSync(
        join(dir, 'failed-logons.yml'),
        [
          'title: Failed logon',
          'id: cli-failed-logon',
          'name: failed_logon',
          'logsource: { category: authentication }',
          'detection:',
          '  selection: { event.outcome: failure }',
          '  condition: selection',
          '---',
          'title: Three failed logons for one account',
          'id: cli-three-failures',
          'correlation:',
          '  type: event_count',
          '  rules: [failed_logon]',
          '  group-by: [user.name]',
          '  timespan: 10m',
          '  condition: { gte: 3 }',
          '',
        ].join('\n'),
      );
      const failure = (minute: number, user: string) => ({
        '@timestamp': `2026-11-22T08:0${minute}:00Z`,
        event: { category: ['authentication'], outcome: 'failure' },
        user: { name: user },
      });
      // Written out of order: the third failure of alice comes first in the file.
      writeFileSync(join(dir, 'events.ndjson'), ndjson(failure(4, 'alice'), failure(1, 'alice'), failure(2, 'bob'), failure(3, 'alice')));
      const result = vigil('rules', 'match', dir, join(dir, 'events.ndjson'));
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout.trim().split('\n').map((line) => JSON.parse(line) as unknown)).toEqual([
        { event: 1, rule: 'cli-failed-logon' },
        { event: 2, rule: 'cli-failed-logon' },
        { event: 3, rule: 'cli-failed-logon' },
        { event: 0, rule: 'cli-failed-logon' },
        { rule: 'cli-three-failures', group: { 'user.name': 'alice' }, time: '2026-11-22T08:04:00.000Z', count: 3, value: 3, events: [1, 3, 0] },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints every line into a pipe before it exits (`| wc -l`)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-pipe-'));
    try {
      // Far more than a pipe's 64 KiB buffer: an exit before stdout drained would cut the tail.
      const count = 6_000;
      const event = (i: number) => ({
        '@timestamp': new Date(Date.parse('2026-11-22T08:00:00Z') + i * 1000).toISOString(),
        event: { category: ['authentication'], outcome: 'failure' },
        user: { name: `user-${i}` },
      });
      writeFileSync(join(dir, 'events.ndjson'), ndjson(...Array.from({ length: count }, (_, i) => event(i))));
      writeFileSync(
        join(dir, 'failed-logon.yml'),
        ['title: Failed logon', 'id: cli-pipe-failed-logon', 'logsource: { category: authentication }', 'detection:', '  selection: { event.outcome: failure }', '  condition: selection', ''].join('\n'),
      );
      const command = `"${process.execPath}" --import tsx bin/vigil.ts rules match "${dir}" "${join(dir, 'events.ndjson')}" | wc -l`;
      const result = spawnSync('sh', ['-c', command], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
      expect(result.stderr).toBe('');
      expect(result.stdout.trim()).toBe(String(count));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('invalid rules: located errors on stderr, exit 2, no matches', () => {
    const result = vigil('rules', 'match', `${fixtures}/broken`, `${fixtures}/events.ndjson`);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^test\/bin\/fixtures\/broken\/bad\.yml:7:15: unknown modifier 'contians'/m);
  });

  it('a malformed NDJSON line: an error naming the line, exit 2, no matches', () => {
    const result = vigil('rules', 'match', `${fixtures}/rules`, `${fixtures}/bad-events.ndjson`);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toMatch(/^test\/bin\/fixtures\/bad-events\.ndjson:2: line 2 is not valid JSON/);

    const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-'));
    try {
      writeFileSync(join(dir, 'array.ndjson'), '{}\n[1]\n');
      const array = vigil('rules', 'match', `${fixtures}/rules`, join(dir, 'array.ndjson'));
      expect(array).toMatchObject({ code: 2, stdout: '' });
      expect(array.stderr).toMatch(/array\.ndjson:2: line 2 is not a JSON object/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('usage errors exit 2', () => {
    expect(vigil('rules', 'match', `${fixtures}/rules`)).toMatchObject({ code: 2, stdout: '' });
    expect(vigil('rules', 'match', 'a', 'b', '--pipeline')).toMatchObject({ code: 2, stdout: '' });
    expect(vigil('rules', 'frobnicate')).toMatchObject({ code: 2, stdout: '' });
  });
});

describe('vigil rules lint', () => {
  it('prints every problem as file:line:col: message on stderr and exits 2', () => {
    const result = vigil('rules', 'lint', `${fixtures}/broken`);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')).toEqual([
      expect.stringMatching(/^test\/bin\/fixtures\/broken\/bad\.yml:7:15: unknown modifier 'contians'/),
      "test/bin/fixtures/broken/bad.yml:8:27: unknown detection identifier 'missing' (defined: selection)",
      '2 problem(s) in test/bin/fixtures/broken',
      '',
    ]);
  });

  it('prints a one-line summary and exits 0 when everything compiles', () => {
    expect(vigil('rules', 'lint', `${fixtures}/rules`)).toEqual({
      code: 0,
      stdout: 'test/bin/fixtures/rules: 3 rules, 0 correlations and 1 filter OK\n',
      stderr: '',
    });
  });

  it('passes on the shipped library and its pipelines', () => {
    const result = vigil('rules', 'lint', 'rules');
    expect(result.stderr).toBe('');
    expect(result).toMatchObject({ code: 0, stdout: expect.stringMatching(/^rules: \d+ rules, \d+ correlations? and \d+ filters OK\n$/) });
  });

  it('reports a missing path, exit 2', () => {
    const result = vigil('rules', 'lint', `${fixtures}/nope`);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/test\/bin\/fixtures\/nope:1:1: cannot read the rules folder/);
  });
});
