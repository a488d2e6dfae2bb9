// The embedded (SQLite) NotificationOutbox: the conformance suite, plus what only it
// promises: notify.db is shared by the notify process and the api, each with its own
// connection, and one sees what the other recorded.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openEmbeddedNotificationOutbox } from '../../core/notifications/embedded-notification-outbox.ts';
import type { NotificationOutbox } from '../../core/ports/notifications.ts';
import { makeTempDir } from '../support/start-vigil.ts';
import { runOutboxConformance } from './outbox-conformance.ts';

runOutboxConformance('embedded (SQLite)', async () => {
  const dataDir = makeTempDir('vigil-outbox-');
  const outbox = openEmbeddedNotificationOutbox({ dataDir });
  return {
    outbox,
    async cleanup() {
      await outbox.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

describe('embedded outbox', () => {
  const dirs: string[] = [];
  const open: NotificationOutbox[] = [];
  afterEach(async () => {
    for (const outbox of open.splice(0)) await outbox.close();
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is shared through notify.db: a second connection sees what the first recorded and registered', async () => {
    const dir = makeTempDir('vigil-outbox-');
    dirs.push(dir);
    const notifyProcess = openEmbeddedNotificationOutbox({ dataDir: dir });
    const apiProcess = openEmbeddedNotificationOutbox({ dataDir: dir });
    open.push(notifyProcess, apiProcess);
    await notifyProcess.registerChannels([{ name: 'soc', type: 'telegram', unit: null, language: 'vi' }]);
    const queued = await apiProcess.requestTest('soc', 'admin', 1000);
    const [due] = await notifyProcess.due(1000, 10);
    expect(due).toMatchObject({ id: queued.id, kind: 'test' });
    await notifyProcess.markSent(due!.id, 1200);
    expect(await apiProcess.getDelivery(queued.id)).toMatchObject({ state: 'sent', sentAt: new Date(1200).toISOString() });
    expect(fs.existsSync(`${dir}/notify.db`)).toBe(true);
  });
});
