// The embedded outbox's promises the stage and the api rely on: a key is recorded once
// (idempotency), pruning forgets only what is finished and old (never a pending delivery
// or a dead letter), and a second connection to notify.db (another process) sees it all.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openEmbeddedNotificationOutbox } from '../../core/notifications/embedded-notification-outbox.ts';
import type { NewDelivery, NotificationOutbox } from '../../core/ports/notifications.ts';
import { makeTempDir } from '../support/start-vigil.ts';

const delivery = (key: string, createdAt: number): NewDelivery => ({
  key,
  channel: 'soc',
  alertId: key,
  unit: 'unit-a',
  payload: { type: 'test', requestedBy: 'admin' },
  state: 'pending',
  createdAt,
  dueAt: createdAt,
});

describe('embedded notification outbox', () => {
  const dirs: string[] = [];
  const open: NotificationOutbox[] = [];
  afterEach(async () => {
    for (const outbox of open.splice(0)) await outbox.close();
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  const outboxIn = (dir: string) => {
    const outbox = openEmbeddedNotificationOutbox({ dataDir: dir });
    open.push(outbox);
    return outbox;
  };

  it('records a key once, and another connection sees it', async () => {
    const dir = makeTempDir('vigil-outbox-');
    dirs.push(dir);
    const writer = outboxIn(dir);
    expect(await writer.record([delivery('k1', 1000), delivery('k1', 2000), delivery('k2', 1000)])).toEqual(['k1', 'k2']);
    expect(await writer.record([delivery('k1', 3000)])).toEqual([]);
    const reader = outboxIn(dir);
    expect([...(await reader.existingKeys(['k1', 'k2', 'k3']))].sort()).toEqual(['k1', 'k2']);
    expect((await reader.due(5000, 10)).map((d) => d.key)).toEqual(['k1', 'k2']);
  });

  it('prunes old finished deliveries only', async () => {
    const dir = makeTempDir('vigil-outbox-');
    dirs.push(dir);
    const outbox = outboxIn(dir);
    await outbox.record([delivery('old-sent', 1000), delivery('old-dead', 1000), delivery('old-pending', 1000), delivery('new-sent', 9000)]);
    const byKey = new Map((await outbox.due(10_000, 10)).map((d) => [d.key, d.id]));
    await outbox.markSent(byKey.get('old-sent')!, 1100);
    await outbox.markSent(byKey.get('new-sent')!, 9100);
    await outbox.markFailed(byKey.get('old-dead')!, 1100, 'HTTP 410', { next: 'dead' });
    expect(await outbox.prune(5000)).toBe(1);
    expect([...(await outbox.existingKeys(['old-sent', 'old-dead', 'old-pending', 'new-sent']))].sort()).toEqual(['new-sent', 'old-dead', 'old-pending']);
    expect((await outbox.deadLetters({ kind: 'all' }, 10)).map((d) => d.key)).toEqual(['old-dead']);
  });
});
