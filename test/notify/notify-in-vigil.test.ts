// Notifications in a real `vigil start` and a real `vigil notify`: an agent's EICAR
// detection reaches a webhook receiver with a link to the console, the alert's delivery
// status is on the API, an admin's "send a test" goes out, and a broken notify.yml stops
// `vigil notify` at start with exit code 2, naming the rule and key.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, makeTempDir, repoRoot, signIn, startVigil, type VigilProcess } from '../support/start-vigil.ts';
import { eicarEvent, postEvents } from '../e2e/events.ts';
import { startHttpReceiver, waitFor, type HttpReceiver } from './receivers.ts';

const CONSOLE = 'https://soc.example.gov.vn/vigil';

describe('notifications in vigil start', () => {
  let vigil: VigilProcess;
  let receiver: HttpReceiver;
  let cookie: string;

  beforeAll(async () => {
    receiver = await startHttpReceiver();
    const dataDir = makeTempDir();
    const rules = path.join(dataDir, 'routing.yml');
    fs.writeFileSync(
      rules,
      `channels:\n  soc-hook:\n    type: webhook\n    url: ${receiver.url}/hook\n    secret: \${TEST_NOTIFY_SECRET}\n    language: en\nrules:\n  - name: everything\n    channels: [soc-hook]\n`,
    );
    vigil = await startVigil({
      dataDir,
      env: { VIGIL_NOTIFY_RULES_FILE: rules, VIGIL_CONSOLE_URL: `${CONSOLE}/`, TEST_NOTIFY_SECRET: 'secret-from-the-environment' },
    });
    cookie = await signIn(vigil.url, 'admin', vigil.adminPassword);
  });
  afterAll(async () => {
    await vigil?.stop();
    await receiver?.close();
    if (vigil) fs.rmSync(vigil.dataDir, { recursive: true, force: true });
  });

  it('notifies the EICAR alert with a console link, shows it sent on the alert, and sends a test', async () => {
    await postEvents(vigil.url, vigil.agentKey, JSON.stringify(eicarEvent('PC-NOTIFY-01')));
    await waitFor('the webhook', () => receiver.received.length >= 1, 30_000);
    const body = JSON.parse(receiver.received[0]!.body) as { alert: { id: string; host: { name: string } }; link: string; text: string };
    expect(body.alert.host.name).toBe('PC-NOTIFY-01');
    expect(body.link).toBe(`${CONSOLE}/alerts/${body.alert.id}`);
    expect(vigil.stderr()).not.toContain('secret-from-the-environment');

    const status = await eventually(async () => {
      const response = await fetch(`${vigil.url}/api/v1/alerts/${body.alert.id}/notifications`, { headers: { cookie } });
      const json = (await response.json()) as { items: Array<{ channel: string; state: string }> };
      return json.items[0]?.state === 'sent' ? json.items : undefined;
    });
    expect(status).toMatchObject([{ channel: 'soc-hook', state: 'sent' }]);

    const test = await fetch(`${vigil.url}/api/v1/notifications/channels/soc-hook/test`, { method: 'POST', headers: { cookie } });
    expect(test.status).toBe(200);
    expect(JSON.parse(receiver.received.at(-1)!.body)).toMatchObject({ type: 'test', channel: 'soc-hook' });
  });
});

describe('vigil notify', () => {
  it('refuses a broken notify.yml at start with exit code 2, naming the rule and key', async () => {
    const dataDir = makeTempDir();
    fs.writeFileSync(path.join(dataDir, 'notify.yml'), 'channels:\n  hook: { type: slack, url: "https://hooks.example/x" }\nrules:\n  - name: loud\n    match: { severity: loud }\n    channels: [hook]\n');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'bin', 'vigil.ts'), 'notify'], {
      cwd: repoRoot,
      env: { ...process.env, VIGIL_DATA_DIR: dataDir, VIGIL_PORT: '0' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/VIGIL_NOTIFY_RULES_FILE: .*notify\.yml:5:\d+: rules\[0\] "loud" → match\.severity: /);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
