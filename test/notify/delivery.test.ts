// Never lose, never flood, never twice — through the notify stage on the embedded bus:
// a receiver that fails (HTTP 500) and then is gone (connection refused) gets every
// notification exactly once when it returns; a burst of 500 critical alerts gives the
// channel its per-minute allowance and then ONE digest when the window closes; a unit's
// channel never gets another unit's alert; a replay of the alerts topic from offset 0
// (and a later triage update of an alert) sends nothing again.
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../core/schemas/alert.ts';
import { FROM_THE_START, makeAlert, startNotifyHarness, type NotifyHarness } from './notify-harness.ts';
import { startHttpReceiver, waitFor, type HttpReceiver } from './receivers.ts';

const SECRET = 'a-shared-secret-of-16+';

const webhook = (name: string, receiver: HttpReceiver, extra = '') =>
  `  ${name}: { type: webhook, url: '${receiver.url}/${name}', secret: ${SECRET}${extra} }`;

interface Body {
  type: string;
  delivery: string;
  text: string;
  alert?: { id: string; unit: { id: string } };
}
const bodies = (receiver: HttpReceiver): Body[] => receiver.received.map((request) => JSON.parse(request.body) as Body);

describe('notification delivery', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const track = <T extends { close(): Promise<void> }>(thing: T): T => {
    cleanups.push(() => thing.close());
    return thing;
  };

  it('an outage of the receiver (500, then closed) followed by its return delivers every notification exactly once', async () => {
    const receiver = track(await startHttpReceiver());
    const registry = new Registry();
    const notify: NotifyHarness = track(
      await startNotifyHarness({
        metrics: registry,
        retry: { maxAttempts: 1000, baseDelayMs: 20, maxDelayMs: 100 },
        yaml: `channels:\n${webhook('soc-hook', receiver)}\nrules:\n  - name: all\n    channels: [soc-hook]\n`,
      }),
    );
    receiver.mode = 'fail';
    const alerts = Array.from({ length: 20 }, () => makeAlert('unit-a'));
    await notify.publish(alerts);
    await waitFor('retries against the failing receiver', () => receiver.seen >= 3);

    await receiver.close();
    const refused = async () => {
      for (const alert of alerts) {
        const [delivery] = await notify.outbox.deliveriesForAlert(alert.id);
        if (delivery?.attemptLog.some((attempt) => attempt.error?.includes('ECONNREFUSED'))) return true;
      }
      return false;
    };
    await waitFor('an attempt refused while the receiver is closed', refused);
    expect(receiver.received).toEqual([]);

    receiver.mode = 'ok';
    await receiver.reopen();
    await waitFor('every notification after the return', () => receiver.received.length >= alerts.length);
    await notify.settled();

    const ids = bodies(receiver).map((body) => body.alert?.id);
    expect(ids.sort()).toEqual(alerts.map((alert) => alert.id).sort());
    expect(new Set(bodies(receiver).map((body) => body.delivery)).size).toBe(alerts.length);
    for (const alert of alerts) {
      const [delivery] = await notify.outbox.deliveriesForAlert(alert.id);
      expect(delivery!.state).toBe('sent');
    }
    expect(await notify.outbox.deadLetters({ kind: 'all' }, 10)).toEqual([]);
    const [failed] = (await registry.getSingleMetric('vigil_notifications_failed_total')?.get())?.values ?? [];
    expect(failed).toMatchObject({ labels: { channel: 'soc-hook' } });
    expect(failed!.value).toBeGreaterThanOrEqual(3);
  });

  it('a burst of 500 critical alerts gives the per-minute allowance, then one digest in the channel language', async () => {
    const receiver = track(await startHttpReceiver());
    let clock = Date.now();
    const registry = new Registry();
    const notify: NotifyHarness = track(
      await startNotifyHarness({
        now: () => clock,
        metrics: registry,
        yaml: `channels:\n${webhook('officer-a', receiver, ', unit: unit-a, language: vi, rate_limit: { per_minute: 10, digest_minutes: 5 }')}\nrules:\n  - name: critical\n    match: { severity: critical }\n    channels: [officer-a]\n`,
      }),
    );
    const burst = Array.from({ length: 500 }, () => makeAlert('unit-a'));
    await notify.publish(burst);
    await notify.settled();
    await notify.stage.scheduler.runDue();
    expect(receiver.received).toHaveLength(10);
    expect(bodies(receiver).every((body) => body.type === 'alert')).toBe(true);

    // The digest window closes five minutes after the first folded alert.
    clock += 5 * 60_000 + 1;
    await notify.stage.scheduler.runDue();
    await waitFor('the digest', () => receiver.received.length === 11);
    const digest = bodies(receiver)[10]!;
    expect(digest.type).toBe('digest');
    expect(digest.text).toContain('Còn 490 cảnh báo khác tại đơn vị Sở Y tế (unit-a) trong 5 phút qua');
    expect(digest.text).toContain('https://vigil.soc.example/alerts');

    // Nothing else follows: the window's surplus is in that one message.
    clock += 10 * 60_000;
    await notify.stage.scheduler.runDue();
    expect(receiver.received).toHaveLength(11);

    // What /metrics says about it.
    const metric = async (name: string) => (await registry.getSingleMetric(name)?.get())?.values ?? [];
    expect((await metric('vigil_notifications_sent_total')).map((v) => [v.labels.kind, v.value]).sort()).toEqual([
      ['alert', 10],
      ['digest', 1],
    ]);
    expect((await metric('vigil_notifications_digested_total')).map((v) => [v.labels.channel, v.value])).toEqual([['officer-a', 490]]);
    expect(await metric('vigil_notifications_failed_total')).toEqual([]);
    expect(await metric('vigil_notify_outbox_pending')).toEqual([]);
  });

  it('a receiver that refuses the request itself (410) puts the notification on the dead-letter list, counted per channel', async () => {
    const receiver = track(await startHttpReceiver());
    receiver.answer = () => ({ status: 410, body: '{"error":"gone"}' });
    const registry = new Registry();
    const notify: NotifyHarness = track(
      await startNotifyHarness({ metrics: registry, yaml: `channels:\n${webhook('gone-hook', receiver)}\nrules:\n  - name: all\n    channels: [gone-hook]\n` }),
    );
    const alert = makeAlert('unit-a');
    await notify.publish([alert]);
    await waitFor('the dead letter', async () => (await notify.outbox.deadLetters({ kind: 'all' }, 10)).length === 1);
    const metric = async (name: string) => (await registry.getSingleMetric(name)?.get())?.values ?? [];
    expect((await metric('vigil_notifications_dead_lettered_total')).map((v) => [v.labels.channel, v.value])).toEqual([['gone-hook', 1]]);
    expect((await metric('vigil_notifications_failed_total')).map((v) => [v.labels.channel, v.value])).toEqual([['gone-hook', 1]]);
    expect(await metric('vigil_notifications_sent_total')).toEqual([]);
  });

  it("a unit's channel never receives another unit's alert; the SOC channel gets every one", async () => {
    const officerA = track(await startHttpReceiver());
    const officerB = track(await startHttpReceiver());
    const soc = track(await startHttpReceiver());
    const notify: NotifyHarness = track(
      await startNotifyHarness({
        yaml: [
          'channels:',
          webhook('officer-a', officerA, ', unit: unit-a'),
          webhook('officer-b', officerB, ', unit: unit-b'),
          webhook('soc', soc),
          'rules:',
          // A careless rule naming every channel: the binding still holds.
          '  - name: everything everywhere',
          '    channels: [officer-a, officer-b, soc]',
          '  - name: officers by unit',
          '    match: { severity: high }',
          '    unit_channels: true',
        ].join('\n'),
      }),
    );
    const a = makeAlert('unit-a');
    const b = makeAlert('unit-b');
    const outbreak = makeAlert('*', {
      organization: { id: '*', name: '' },
      rule: { id: 'outbreak', title: 'Same threat in ten units', level: 'critical', tags: [], kind: 'correlation' },
      group: { 'rule.name': 'Trojan.X' },
    });
    await notify.publish([a, b, outbreak]);
    await waitFor('the SOC to get all three', () => soc.received.length === 3);
    await notify.settled();
    expect(bodies(officerA).map((body) => body.alert!.unit.id)).toEqual(['unit-a']);
    expect(bodies(officerB).map((body) => body.alert!.unit.id)).toEqual(['unit-b']);
    expect(bodies(soc).map((body) => body.alert!.id).sort()).toEqual([a.id, b.id, outbreak.id].sort());
    expect(bodies(soc).find((body) => body.alert!.id === outbreak.id)!.text).toContain('bùng phát trên nhiều đơn vị');
  });

  it('a replay of the alerts topic from offset 0, and a later update of an alert, send nothing twice', async () => {
    const receiver = track(await startHttpReceiver());
    const notify: NotifyHarness = track(
      await startNotifyHarness({ yaml: `channels:\n${webhook('soc', receiver)}\nrules:\n  - name: all\n    channels: [soc]\n` }),
    );
    const first = Array.from({ length: 5 }, () => makeAlert('unit-b'));
    await notify.publish(first);
    await waitFor('the first five', () => receiver.received.length === 5);
    await notify.settled();

    // The consumer restarts from an older position: the whole topic again.
    await notify.restart({ replayFrom: FROM_THE_START });
    const acknowledged: Alert = { ...first[0]!, status: 'acknowledged', assignee: 'analyst', count: 7, updated: new Date().toISOString() };
    const late = makeAlert('unit-b');
    await notify.publish([acknowledged, late]);
    await waitFor('the new alert', () => receiver.received.length >= 6);
    await notify.settled();
    await notify.stage.scheduler.runDue();

    // The restarted consumer did read the five again, and the update of the first, and
    // found each already recorded.
    expect(notify.stage.totals().repeats).toBe(6);
    const ids = bodies(receiver).map((body) => body.alert!.id);
    expect(ids).toHaveLength(6);
    expect(ids.sort()).toEqual([...first, late].map((alert) => alert.id).sort());
  });
});
