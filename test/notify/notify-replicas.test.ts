// Two notify replicas over ONE outbox — the embedded notify.db (two connections, as two
// processes on one data dir have) and the search store on the real OpenSearch node —
// sending to a real local webhook receiver: every notification arrives exactly once,
// both replicas do part of the sending, and a receiver outage with retries in between
// changes nothing. Replica A owns the alerts topic (its consumer group's partition);
// replica B only sends from the shared outbox, as a replica that owns no partition does.
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { openEmbeddedBus } from '../../core/bus/embedded-bus.ts';
import { createLogger } from '../../core/log.ts';
import { openEmbeddedNotificationOutbox } from '../../core/notifications/embedded-notification-outbox.ts';
import { openSearchNotificationOutbox } from '../../core/notifications/search-notification-outbox.ts';
import { TOPICS, type Bus } from '../../core/ports/bus.ts';
import type { NotificationOutbox } from '../../core/ports/notifications.ts';
import { parseNotifyConfig } from '../../notify/load-notify-config.ts';
import { NOTIFY_GROUP, startNotifyStage, type NotifyStage } from '../../notify/notify-stage.ts';
import { servicesForSuite } from '../support/services.ts';
import { makeTempDir } from '../support/start-vigil.ts';
import { makeAlert } from './notify-harness.ts';
import { startHttpReceiver, waitFor, type HttpReceiver } from './receivers.ts';

const services = servicesForSuite('notify replicas on the search-store outbox');

interface Replica {
  bus: Bus;
  stage: NotifyStage;
  registry: Registry;
}

async function sentBy(replica: Replica): Promise<number> {
  const metric = await replica.registry.getSingleMetric('vigil_notifications_sent_total')?.get();
  return (metric?.values ?? []).reduce((sum, value) => sum + value.value, 0);
}

type OutboxFactory = () => Promise<{ outboxes: [NotificationOutbox, NotificationOutbox]; cleanup: () => Promise<void> }>;

function replicaSuite(name: string, skip: boolean, openOutboxes: OutboxFactory): void {
  describe.skipIf(skip)(`two notify replicas over one outbox: ${name}`, () => {
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    it('every notification reaches the receiver exactly once, through an outage and its retries', async () => {
      const receiver: HttpReceiver = await startHttpReceiver();
      cleanups.push(() => receiver.close());
      // Slow answers, so the two replicas' sends overlap.
      receiver.delayMs = 5;
      const { outboxes, cleanup } = await openOutboxes();
      cleanups.push(cleanup);
      const yaml = `channels:\n  soc-hook: { type: webhook, url: '${receiver.url}/hook', secret: a-shared-secret-of-16+, rate_limit: { per_minute: 1000 } }\nrules:\n  - name: all\n    channels: [soc-hook]\n`;
      const config = parseNotifyConfig(yaml, 'notify.yml', {});
      const replicas: Replica[] = [];
      for (const [i, outbox] of outboxes.entries()) {
        const dataDir = makeTempDir(`vigil-notify-replica-${i}-`);
        const bus = openEmbeddedBus({ dataDir, pollIntervalMs: 10 });
        await bus.ensureTopics([{ name: TOPICS.alerts, partitions: 1 }]);
        const registry = new Registry();
        const stage = await startNotifyStage({
          bus,
          outbox,
          config,
          senders: { smtp: undefined, telegramApiUrl: 'http://127.0.0.1:9', timeoutMs: 5_000 },
          consoleUrl: 'https://vigil.soc.example',
          utcOffsetMinutes: 420,
          log: createLogger('silent'),
          retry: { maxAttempts: 1000, baseDelayMs: 20, maxDelayMs: 100 },
          pollMs: 15,
          metrics: registry,
          owner: `replica-${i}`,
        });
        replicas.push({ bus, stage, registry });
        cleanups.push(async () => {
          await stage.stop();
          await bus.close();
          fs.rmSync(dataDir, { recursive: true, force: true });
        });
      }
      const [a, b] = replicas as [Replica, Replica];

      receiver.mode = 'fail';
      const first = Array.from({ length: 10 }, () => makeAlert('unit-a'));
      await a.bus.publish(TOPICS.alerts, first.map((alert) => ({ key: alert.id, value: Buffer.from(JSON.stringify(alert)) })));
      await waitFor('both replicas retrying against the failing receiver', async () => receiver.seen >= 6, 30_000);
      receiver.mode = 'ok';
      const second = Array.from({ length: 60 }, () => makeAlert('unit-b'));
      await a.bus.publish(TOPICS.alerts, second.map((alert) => ({ key: alert.id, value: Buffer.from(JSON.stringify(alert)) })));
      const alerts = [...first, ...second];
      await waitFor('every notification delivered', () => receiver.received.length >= alerts.length, 60_000).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}: ${receiver.received.length} of ${alerts.length} arrived`);
      });
      await waitFor('replica A committed the alerts', async () => (await a.bus.lag(TOPICS.alerts, NOTIFY_GROUP)) === 0);
      await waitFor('nothing left to send', async () => (await outboxes[0].pendingByChannel()).length === 0, 30_000);

      const bodies = receiver.received.map((request) => JSON.parse(request.body) as { delivery: string; alert?: { id: string } });
      expect(bodies.map((body) => body.alert?.id).sort()).toEqual(alerts.map((alert) => alert.id).sort());
      expect(new Set(bodies.map((body) => body.delivery)).size).toBe(alerts.length);
      // A replica counts a send when its write of the outcome answers, which can be a
      // moment after the outbox already shows it sent: wait for the counts, then check them.
      await waitFor('both replicas counted their sends', async () => (await sentBy(a)) + (await sentBy(b)) >= alerts.length, 10_000).catch(() => undefined);
      const [byA, byB] = [await sentBy(a), await sentBy(b)];
      expect(byA + byB).toBe(alerts.length);
      expect(byA).toBeGreaterThan(0);
      expect(byB).toBeGreaterThan(0);
      for (const alert of first) {
        const [delivery] = await outboxes[1].deliveriesForAlert(alert.id);
        expect(delivery).toMatchObject({ state: 'sent' });
        expect(delivery!.attemptLog.filter((attempt) => attempt.ok)).toHaveLength(1);
      }
    }, 120_000);
  });
}

replicaSuite('embedded notify.db', false, async () => {
  const dataDir = makeTempDir('vigil-notify-shared-');
  const outboxes: [NotificationOutbox, NotificationOutbox] = [openEmbeddedNotificationOutbox({ dataDir }), openEmbeddedNotificationOutbox({ dataDir })];
  return {
    outboxes,
    async cleanup() {
      for (const outbox of outboxes) await outbox.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

replicaSuite('search store (OpenSearch)', !services, async () => {
  const node = services!.opensearchUrl;
  const prefix = `vt-ntf-rep-${randomUUID().slice(0, 8)}`;
  const open = () => openSearchNotificationOutbox({ flavor: 'opensearch', nodes: [node], indexPrefix: prefix });
  const outboxes: [NotificationOutbox, NotificationOutbox] = [await open(), await open()];
  return {
    outboxes,
    async cleanup() {
      for (const outbox of outboxes) await outbox.close();
      const answer = await fetch(`${node}/_cat/indices/${prefix}-notify-*?format=json`);
      for (const { index } of (await answer.json()) as { index: string }[]) await fetch(`${node}/${index}`, { method: 'DELETE' });
    },
  };
});
