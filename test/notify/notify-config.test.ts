// notify.yml: a good file becomes channels and rules with their defaults; every problem
// in a bad one is reported at once, naming the file position, the rule (by index and
// name) or channel, and the key; secrets come from the environment and never appear in
// a message.
import { describe, expect, it } from 'vitest';
import { NotifyConfigError, parseNotifyConfig } from '../../notify/load-notify-config.ts';

const GOOD = `
channels:
  soc-mail:
    type: email
    to: soc@example.gov.vn
  unit-a-officer:
    type: telegram
    unit: unit-a
    token: \${TEST_BOT_TOKEN}
    chat_id: -1001234
    language: en
  soc-hook:
    type: webhook
    url: https://siem.example/hook
    secret: \${TEST_HOOK_SECRET}
    rate_limit: { per_minute: 5, digest_minutes: 2 }
rules:
  - name: critical to the SOC
    match: { severity: high, kind: [correlation, spread, outbreak] }
    channels: [soc-mail, soc-hook]
  - name: each unit's officer
    match: { severity: medium, tactic: lateral-movement }
    unit_channels: true
`;

function problemsOf(text: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseNotifyConfig(text, 'notify.yml', env);
  } catch (error) {
    if (error instanceof NotifyConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the file to be refused');
}

describe('notify.yml', () => {
  it('reads channels and rules, with secrets from the environment and defaults filled in', () => {
    const config = parseNotifyConfig(GOOD, 'notify.yml', { TEST_BOT_TOKEN: '123:bot-token', TEST_HOOK_SECRET: 'a-long-webhook-secret' });
    expect(config.channels.map((c) => c.name)).toEqual(['soc-mail', 'unit-a-officer', 'soc-hook']);
    const mail = config.channels[0]!;
    expect(mail).toMatchObject({ type: 'email', to: ['soc@example.gov.vn'], language: 'vi', rate_limit: { per_minute: 20, digest_minutes: 5 } });
    expect(config.channels[1]).toMatchObject({ type: 'telegram', unit: 'unit-a', token: '123:bot-token', chat_id: '-1001234', language: 'en' });
    expect(config.channels[2]).toMatchObject({ secret: 'a-long-webhook-secret', rate_limit: { per_minute: 5, digest_minutes: 2 } });
    expect(config.rules[0]).toMatchObject({ name: 'critical to the SOC', match: { severity: 'high', kind: ['correlation', 'spread', 'outbreak'] } });
    expect(config.rules[1]).toMatchObject({ unit_channels: true, channels: [], match: { tactic: ['lateral-movement'] } });
  });

  it('names the rule, the key and the line of every problem, all at once', () => {
    const problems = problemsOf(`
channels:
  soc-mail:
    type: email
    to: [not-an-address]
rules:
  - name: ok rule
    channels: [soc-mail]
  - name: critical to SOC
    match:
      severity: urgent
      colour: red
    channels: [soc-mail, soc-pager]
  - match: { kind: single }
`);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^notify\.yml:5:\d+: channel "soc-mail" → to\[0\]: .*email/i),
        expect.stringMatching(/^notify\.yml:11:17: rules\[1\] "critical to SOC" → match\.severity: .*"critical"/),
        expect.stringMatching(/^notify\.yml:12:\d+: rules\[1\] "critical to SOC" → match: .*"colour"/),
        expect.stringMatching(/^notify\.yml:14:\d+: rules\[2\] → name: /),
      ]),
    );
  });

  it('names a rule that routes to a channel that does not exist', () => {
    const problems = problemsOf(`
channels:
  soc-mail: { type: email, to: soc@example.gov.vn }
rules:
  - name: to the pager
    channels: [soc-pager]
`);
    expect(problems).toEqual([expect.stringMatching(/^notify\.yml:6:16: rules\[0\] "to the pager" → channels\[0\]: no channel "soc-pager" \(channels: soc-mail\)/)]);
  });

  it('says which environment variable a secret needs, without any secret in the message', () => {
    const problems = problemsOf(
      `
channels:
  hook:
    type: webhook
    url: https://siem.example/hook
    secret: \${MISSING_HOOK_SECRET}
  short:
    type: webhook
    url: https://siem.example/hook
    secret: \${SHORT_SECRET}
`,
      { SHORT_SECRET: 'tiny-secret' },
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^notify\.yml:6:\d+: channel "hook" → secret: the environment variable MISSING_HOOK_SECRET is not set/),
        expect.stringMatching(/^notify\.yml:10:\d+: channel "short" → secret: must be at least 16 characters/),
      ]),
    );
    expect(problems.join('\n')).not.toContain('tiny-secret');
  });

  it('reports broken YAML with its line', () => {
    expect(problemsOf('channels:\n  a: [unclosed\n')).toEqual([expect.stringMatching(/^notify\.yml:\d+:\d+: not valid YAML/)]);
  });
});
