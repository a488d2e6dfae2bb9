// notify.yml is read again while `vigil notify` runs: an edit that routes alerts to
// another channel takes effect without a restart (the watcher sees it; nothing is
// reloaded by hand), and a broken edit is refused with its located problem in the log
// while the last good configuration keeps routing.
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { makeAlert, startNotifyHarness, type NotifyHarness } from './notify-harness.ts';
import { startHttpReceiver, waitFor, type HttpReceiver } from './receivers.ts';

const SECRET = 'a-shared-secret-of-16+';
const routeTo = (name: string, receiver: HttpReceiver) =>
  `channels:\n  ${name}: { type: webhook, url: '${receiver.url}/${name}', secret: ${SECRET} }\nrules:\n  - name: all\n    channels: [${name}]\n`;

async function reloads(registry: Registry, result: 'applied' | 'refused'): Promise<number> {
  const metric = await registry.getSingleMetric('vigil_notify_config_reloads_total')?.get();
  return metric?.values.find((value) => value.labels.result === result)?.value ?? 0;
}

describe('notify.yml reload', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('applies an edit without a restart, and keeps the last good config (logging where the problem is) on a broken one', async () => {
    const first = await startHttpReceiver();
    const second = await startHttpReceiver();
    cleanups.push(() => first.close(), () => second.close());
    const lines: string[] = [];
    const log = pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString('utf8')), done()) }));
    const registry = new Registry();
    const yaml = routeTo('first-hook', first);
    // The file sits in a folder of its own, beside nothing else that changes.
    const dir = fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? '/tmp'), 'vigil-notify-yml-'));
    const file = path.join(dir, 'notify.yml');
    fs.writeFileSync(file, yaml);
    const notify: NotifyHarness = await startNotifyHarness({ yaml, configFile: file, env: {}, log, metrics: registry });
    cleanups.push(async () => {
      await notify.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const before = makeAlert('unit-a');
    await notify.publish([before]);
    await waitFor('the first channel to get the alert', () => first.received.length === 1);

    // An editor's save: a new file renamed over the old one.
    fs.writeFileSync(`${file}.tmp`, routeTo('second-hook', second));
    fs.renameSync(`${file}.tmp`, file);
    await waitFor('the edit to be applied', async () => (await reloads(registry, 'applied')) === 1);
    expect(notify.stage.config().channels.map((c) => c.name)).toEqual(['second-hook']);
    expect((await notify.outbox.listChannels()).map((c) => c.name)).toEqual(['second-hook']);
    const after = makeAlert('unit-a');
    await notify.publish([after]);
    await waitFor('the second channel to get the next alert', () => second.received.length === 1);
    expect(JSON.parse(second.received[0]!.body)).toMatchObject({ alert: { id: after.id } });

    // A broken edit: a rule naming a channel that does not exist, on line 5.
    fs.writeFileSync(file, `${routeTo('second-hook', second)}  - name: typo\n    channels: [secnod-hook]\n`);
    await waitFor('the broken edit to be refused', async () => (await reloads(registry, 'refused')) === 1);
    const refusal = lines.map((line) => JSON.parse(line) as { msg: string; problems?: string[] }).find((entry) => entry.problems !== undefined);
    expect(refusal?.problems).toEqual([`${file}:7:16: rules[1] "typo" → channels[0]: no channel "secnod-hook" (channels: second-hook)`]);
    expect(refusal?.msg).toContain('the last good configuration stays in force');
    const last = makeAlert('unit-a');
    await notify.publish([last]);
    await waitFor('the last good config to route the alert', () => second.received.length === 2);
    expect(notify.stage.config().channels.map((c) => c.name)).toEqual(['second-hook']);
    expect(first.received).toHaveLength(1);
  });
});
