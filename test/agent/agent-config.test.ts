// The agent's YAML file: defaults filled in, relative paths read from the file's folder,
// and every problem reported at once with its line and key.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentConfigError } from '../../agent/agent-errors.ts';
import { loadAgentConfig, parseAgentConfig } from '../../agent/agent-config.ts';
import { repoRoot } from '../support/start-vigil.ts';

function problems(text: string): string[] {
  try {
    parseAgentConfig(text, 'agent.yml');
  } catch (error) {
    expect(error).toBeInstanceOf(AgentConfigError);
    return (error as AgentConfigError).problems;
  }
  throw new Error('the configuration was accepted');
}

describe('agent configuration', () => {
  it('fills in defaults and resolves paths against the file', () => {
    const config = parseAgentConfig(
      ['vigil:', '  url: http://vigil.local:8080/', '  key: vgl_0123456789abcdef0123456789', 'state_dir: state', 'inputs:', '  - path: logs/eve.json', '    format: suricata'].join('\n'),
      '/etc/vigil/agent.yml',
    );
    expect(config.url).toBe('http://vigil.local:8080');
    expect(config.stateDir).toBe('/etc/vigil/state');
    expect(config.inputs).toEqual([{ path: '/etc/vigil/logs/eve.json', format: 'suricata', startAt: 'beginning', headerLine: false }]);
    expect(config.batch).toEqual({ maxEvents: 500, maxBytes: 1024 * 1024, maxWaitMs: 1000 });
    expect(config.retry.initialBackoffMs).toBe(500);
    expect(config.heartbeatIntervalMs).toBe(60_000);
  });

  it('names the line, the key and what is wrong, for every problem at once', () => {
    const found = problems(
      [
        'vigil:',
        '  url: ftp://vigil.local',
        '  key: short',
        'state_dir: /var/lib/vigil-agent',
        'inputs:',
        '  - path: /var/log/av.log',
        '    format: Suricata EVE',
        'batch:',
        '  max_event: 100',
        'retry:',
        '  initial_backoff_ms: -5',
      ].join('\n'),
    );
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^agent\.yml:2:8: vigil\.url: must be an http\(s\) URL/),
        expect.stringMatching(/^agent\.yml:3:8: vigil\.key: must be an agent key/),
        expect.stringMatching(/^agent\.yml:7:13: inputs\.0\.format: must be a format name/),
        expect.stringMatching(/^agent\.yml:9:3: batch: .*"max_event"/),
        expect.stringMatching(/^agent\.yml:11:23: retry\.initial_backoff_ms: /),
      ]),
    );
    expect(found).toHaveLength(5);
  });

  it('says what is missing, and refuses contradictions', () => {
    expect(problems('vigil:\n  url: http://x:1\n')).toEqual(
      expect.arrayContaining([expect.stringMatching(/vigil\.key|state_dir/), expect.stringMatching(/inputs: /)]),
    );
    expect(problems('vigil: {url: "http://x:1", key: vgl_0123456789abcdef0123456789}\nstate_dir: s\ninputs: [{path: a.log, header_line: true}]\n')).toEqual([
      'inputs.0.header_line: only for a CSV format (such as av:<console>), not ecs',
    ]);
    const both = problems(
      'vigil: {url: "http://x:1", key: vgl_0123456789abcdef0123456789, key_file: k}\nstate_dir: s\ninputs: [{path: a.log}, {path: ./a.log}]\nspool: {max_bytes: 10000}\n',
    );
    expect(both).toEqual([
      'vigil: give exactly one of key and key_file',
      expect.stringMatching(/^vigil\.key_file: cannot read k/),
      expect.stringMatching(/^inputs\.1\.path: .*a\.log is listed twice/),
      'spool.max_bytes: must be at least twice batch.max_bytes',
    ]);
  });

  it('reports broken YAML with its place, and an unreadable file', () => {
    expect(problems('vigil:\n  url: [unclosed\n')[0]).toMatch(/^agent\.yml:\d+:\d+: not valid YAML/);
    expect(() => loadAgentConfig(path.join(os.tmpdir(), 'no-such-agent.yml'))).toThrow(/cannot read the file/);
  });

  it('reads the key from key_file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-agent-config-'));
    fs.writeFileSync(path.join(dir, 'key'), 'vgl_0123456789abcdef0123456789\n');
    fs.writeFileSync(path.join(dir, 'agent.yml'), 'vigil: {url: "http://x:1", key_file: key}\nstate_dir: s\ninputs: [{path: a.log}]\n');
    expect(loadAgentConfig(path.join(dir, 'agent.yml')).key).toBe('vgl_0123456789abcdef0123456789');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('accepts the shipped example', () => {
    const config = loadAgentConfig(path.join(repoRoot, 'agent', 'agent.example.yml'));
    expect(config.inputs.length).toBeGreaterThan(0);
  });
});
