// The NotificationOutbox on the search store, against the real OpenSearch node: the
// conformance suite with the OpenSearch client and with the Elasticsearch client
// (through the test-only compat transport), then what a cluster adds: `vigil notify`
// and an api replica, two adapters on one prefix, see the same deliveries.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { openSearchNotificationOutbox, type SearchNotificationOutboxOptions } from '../../core/notifications/search-notification-outbox.ts';
import { OpenSearchCompatTransport } from '../support/opensearch-compat-transport.ts';
import { servicesForSuite } from '../support/services.ts';
import { runOutboxConformance } from './outbox-conformance.ts';

const services = servicesForSuite('search-store NotificationOutbox adapter');
const node = services?.opensearchUrl ?? 'http://127.0.0.1:1';

async function removePrefix(prefix: string): Promise<void> {
  const answer = await fetch(`${node}/_cat/indices/${prefix}-notify-*?format=json`);
  const indices = (await answer.json()) as { index: string }[];
  for (const { index } of indices) await fetch(`${node}/${index}`, { method: 'DELETE' });
}

function options(flavor: 'opensearch' | 'elasticsearch', prefix: string): SearchNotificationOutboxOptions {
  return { flavor, nodes: [node], indexPrefix: prefix, ...(flavor === 'elasticsearch' ? { transport: OpenSearchCompatTransport } : {}) };
}

for (const flavor of ['opensearch', 'elasticsearch'] as const) {
  describe.skipIf(!services)(`search notification outbox (${flavor})`, () => {
    const prefixes: string[] = [];
    afterAll(async () => {
      for (const prefix of prefixes) await removePrefix(prefix);
    });
    runOutboxConformance(`search store (${flavor} client)`, async () => {
      // A fresh prefix per test: every test starts from an empty outbox.
      const prefix = `vt-ntf-${flavor.slice(0, 2)}-${randomUUID().slice(0, 8)}`;
      prefixes.push(prefix);
      const outbox = await openSearchNotificationOutbox(options(flavor, prefix));
      return { outbox, cleanup: () => outbox.close() };
    });
  });
}

describe.skipIf(!services)('search notification outbox shared by processes', () => {
  const prefix = `vt-ntf-sh-${randomUUID().slice(0, 8)}`;
  afterAll(() => removePrefix(prefix));

  it('a test queued by an api replica is due for the notify process, and its outcome is read back', async () => {
    const notifyProcess = await openSearchNotificationOutbox(options('opensearch', prefix));
    const apiProcess = await openSearchNotificationOutbox(options('opensearch', prefix));
    try {
      await notifyProcess.registerChannels([{ name: 'soc', type: 'telegram', unit: null, language: 'vi' }]);
      const queued = await apiProcess.requestTest('soc', 'admin', 1000);
      const [due] = await notifyProcess.due(1000, 10);
      expect(due).toMatchObject({ id: queued.id, kind: 'test' });
      await notifyProcess.markSent(due!.id, 1200);
      expect(await apiProcess.getDelivery(queued.id)).toMatchObject({ state: 'sent', sentAt: new Date(1200).toISOString() });
    } finally {
      await notifyProcess.close();
      await apiProcess.close();
    }
  });
});
