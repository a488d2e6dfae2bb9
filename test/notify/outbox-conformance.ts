// The NotificationOutbox conformance suite: what the notify stage and the api rely on,
// run against every adapter (embedded SQLite now; a search-store adapter would call it
// too). Keys are recorded once; due deliveries come oldest first; a failure schedules a
// retry, a dead letter or a failed test; digests count their folded alerts per unit;
// rate-limit seeds leave folded ones out; dead letters are scoped by unit; requeue and
// prune touch only what they say; a claim is taken by one owner at a time, hides the
// delivery from `due` until it runs out, and only its holder records the outcome.
import { describe, expect, it } from 'vitest';
import type { NewDelivery, NotificationOutbox } from '../../core/ports/notifications.ts';

export interface OutboxUnderTest {
  outbox: NotificationOutbox;
  cleanup(): Promise<void>;
}

const notice = (id: string, unit: string, unitName: string) => ({
  type: 'alert' as const,
  alert: {
    id,
    ruleId: 'r',
    title: 'T',
    severity: 'high' as const,
    kind: 'single' as const,
    unit: { id: unit, name: unitName },
    host: {},
    firstSeen: '2026-12-03T00:00:00.000Z',
    lastSeen: '2026-12-03T00:00:00.000Z',
    count: 1,
    tactics: [],
  },
});

const alertDelivery = (key: string, at: number, unit = 'unit-a', channel = 'soc'): NewDelivery => ({
  key,
  channel,
  alertId: key,
  unit,
  payload: notice(key, unit, unit === 'unit-a' ? 'Sở Y tế' : 'Sở Tài chính'),
  state: 'pending',
  createdAt: at,
  dueAt: at,
});

export function runOutboxConformance(name: string, create: () => Promise<OutboxUnderTest>): void {
  describe(`NotificationOutbox conformance: ${name}`, () => {
    const withOutbox = (test: (outbox: NotificationOutbox) => Promise<void>) => async () => {
      const subject = await create();
      try {
        await test(subject.outbox);
      } finally {
        await subject.cleanup();
      }
    };

    it(
      'records each key once and hands due deliveries oldest first',
      withOutbox(async (outbox) => {
        expect(await outbox.record([alertDelivery('k2', 2000), alertDelivery('k1', 1000), alertDelivery('k1', 3000)])).toEqual(['k2', 'k1']);
        expect(await outbox.record([alertDelivery('k2', 5000)])).toEqual([]);
        expect([...(await outbox.existingKeys(['k1', 'k2', 'k3']))].sort()).toEqual(['k1', 'k2']);
        expect((await outbox.due(1500, 10)).map((d) => d.key)).toEqual(['k1']);
        expect((await outbox.due(9000, 10)).map((d) => d.key)).toEqual(['k1', 'k2']);
        expect(await outbox.nextDue()).toBe(1000);
      }),
    );

    it(
      'records sends and failures: a retry waits, a dead letter leaves the queue, a failed test too',
      withOutbox(async (outbox) => {
        await outbox.record([alertDelivery('a', 1000), alertDelivery('b', 1000), alertDelivery('c', 1000, 'unit-b')]);
        const ids = new Map((await outbox.due(1000, 10)).map((d) => [d.key, d.id]));
        await outbox.markFailed(ids.get('a')!, 1100, 'HTTP 500', { next: 'retry', at: 5000 });
        await outbox.markSent(ids.get('b')!, 1200);
        await outbox.markFailed(ids.get('c')!, 1300, 'HTTP 410', { next: 'dead' });
        expect((await outbox.due(4999, 10)).map((d) => d.key)).toEqual([]);
        expect(await outbox.due(5000, 10)).toMatchObject([{ key: 'a', state: 'pending', attempts: 1, lastError: 'HTTP 500' }]);
        await outbox.markSent(ids.get('a')!, 5100);
        const [history] = await outbox.deliveriesForAlert('a');
        expect(history).toMatchObject({ state: 'sent', attempts: 2, lastError: null, sentAt: new Date(5100).toISOString() });
        expect(history!.attemptLog).toEqual([
          { at: new Date(1100).toISOString(), ok: false, error: 'HTTP 500' },
          { at: new Date(5100).toISOString(), ok: true, error: null },
        ]);
        expect((await outbox.deadLetters({ kind: 'all' }, 10)).map((d) => d.key)).toEqual(['c']);
        expect(await outbox.deadLetters({ kind: 'units', units: ['unit-a'] }, 10)).toEqual([]);
        expect((await outbox.deadLetters({ kind: 'units', units: ['unit-b'] }, 10)).map((d) => d.key)).toEqual(['c']);
        expect(await outbox.nextDue()).toBeNull();
      }),
    );

    it(
      'counts a digest per unit, seeds rate limits without folded alerts, and lists open digests',
      withOutbox(async (outbox) => {
        const digest: NewDelivery = {
          key: 'digest:soc:1000',
          channel: 'soc',
          alertId: null,
          unit: null,
          payload: { type: 'digest', windowStart: 1000, windowEnd: 301_000 },
          state: 'pending',
          createdAt: 1000,
          dueAt: 301_000,
        };
        const folded = (key: string, unit: string): NewDelivery => ({ ...alertDelivery(key, 1000, unit), state: 'folded', dueAt: 301_000, digestKey: digest.key });
        await outbox.record([alertDelivery('sent-1', 900), digest, folded('f1', 'unit-a'), folded('f2', 'unit-a'), folded('f3', 'unit-b')]);
        expect(await outbox.digestCounts(digest.key)).toEqual([
          { unit: 'unit-a', unitName: 'Sở Y tế', count: 2 },
          { unit: 'unit-b', unitName: 'Sở Tài chính', count: 1 },
        ]);
        expect(await outbox.admissionsSince(0)).toEqual([{ channel: 'soc', at: 900 }]);
        expect(await outbox.openDigests()).toEqual([{ channel: 'soc', key: digest.key, windowStart: 1000, windowEnd: 301_000 }]);
        expect((await outbox.due(300_999, 10)).map((d) => d.key)).toEqual(['sent-1']);
      }),
    );

    it(
      'queues test sends only for registered channels, and requeues only dead letters',
      withOutbox(async (outbox) => {
        await outbox.registerChannels([
          { name: 'soc', type: 'webhook', unit: null, language: 'en' },
          { name: 'officer-a', type: 'email', unit: 'unit-a', language: 'vi' },
        ]);
        expect((await outbox.listChannels()).map((c) => c.name)).toEqual(['officer-a', 'soc']);
        const test = await outbox.requestTest('officer-a', 'a-admin', 7000);
        expect(test).toMatchObject({ channel: 'officer-a', kind: 'test', unit: 'unit-a', state: 'pending', payload: { type: 'test', requestedBy: 'a-admin' } });
        await expect(outbox.requestTest('nope', 'admin', 7000)).rejects.toThrow(/no notification channel nope/);

        await outbox.record([alertDelivery('x', 1000)]);
        const [x] = await outbox.due(1000, 1);
        expect(await outbox.requeue(x!.id, 2000)).toBeNull();
        await outbox.markFailed(x!.id, 1500, 'refused', { next: 'dead' });
        expect(await outbox.requeue(x!.id, 8000)).toMatchObject({ key: 'x', state: 'pending', attempts: 0, dueAt: new Date(8000).toISOString() });
      }),
    );

    it(
      'claims a delivery for one owner at a time; only the holder records its outcome; a lease that ran out can be taken over',
      withOutbox(async (outbox) => {
        await outbox.record([alertDelivery('p', 1000), alertDelivery('q', 1000), alertDelivery('later', 9000)]);
        const ids = new Map((await outbox.due(9000, 10)).map((d) => [d.key, d.id]));
        const p = ids.get('p')!;
        expect(await outbox.claim(ids.get('later')!, 'replica-a', 1000, 500)).toBeNull();
        expect(await outbox.claim(p, 'replica-a', 1000, 500)).toMatchObject({ key: 'p', state: 'pending', attempts: 0 });
        expect(await outbox.claim(p, 'replica-b', 1100, 500)).toBeNull();
        expect((await outbox.due(1100, 10)).map((d) => d.key)).toEqual(['q']);
        expect(await outbox.pendingByChannel()).toEqual([{ channel: 'soc', count: 3 }]);
        expect(await outbox.markSent(p, 1200, 'replica-b')).toBe(false);
        expect(await outbox.markSent(p, 1200, 'replica-a')).toBe(true);
        expect(await outbox.claim(p, 'replica-b', 1300, 500)).toBeNull();
        expect(await outbox.getDelivery(p)).toMatchObject({ state: 'sent', attempts: 1 });

        // replica-a takes q and goes quiet; after its lease replica-b sends it, and a's late word changes nothing.
        const q = ids.get('q')!;
        expect(await outbox.claim(q, 'replica-a', 2000, 500)).not.toBeNull();
        expect((await outbox.due(2400, 10)).map((d) => d.key)).toEqual([]);
        expect((await outbox.due(2500, 10)).map((d) => d.key)).toEqual(['q']);
        expect(await outbox.claim(q, 'replica-b', 2500, 500)).not.toBeNull();
        expect(await outbox.markFailed(q, 2600, 'HTTP 500', { next: 'retry', at: 3000 }, 'replica-a')).toBe(false);
        expect(await outbox.markFailed(q, 2600, 'HTTP 503', { next: 'retry', at: 3000 }, 'replica-b')).toBe(true);
        // The retry is due for anyone again, its claim ended with the failure.
        expect(await outbox.claim(q, 'replica-a', 3000, 500)).toMatchObject({ key: 'q', attempts: 1, lastError: 'HTTP 503' });
      }),
    );

    it(
      'of many claims racing for the same deliveries, each delivery is won by exactly one',
      withOutbox(async (outbox) => {
        await outbox.record(Array.from({ length: 20 }, (_, i) => alertDelivery(`race-${i}`, 1000)));
        const due = await outbox.due(1000, 100);
        const owners = ['replica-a', 'replica-b', 'replica-c'];
        const won = await Promise.all(due.flatMap((d) => owners.map(async (owner) => ((await outbox.claim(d.id, owner, 1000, 60_000)) ? d.key : null))));
        const keys = won.filter((key): key is string => key !== null);
        expect(keys.sort()).toEqual(due.map((d) => d.key).sort());
      }),
    );

    it(
      'prunes old finished deliveries only, never a pending one or a dead letter',
      withOutbox(async (outbox) => {
        await outbox.record([alertDelivery('old-sent', 1000), alertDelivery('old-dead', 1000), alertDelivery('old-pending', 1000), alertDelivery('new-sent', 9000)]);
        const ids = new Map((await outbox.due(10_000, 10)).map((d) => [d.key, d.id]));
        await outbox.markSent(ids.get('old-sent')!, 1100);
        await outbox.markSent(ids.get('new-sent')!, 9100);
        await outbox.markFailed(ids.get('old-dead')!, 1100, 'HTTP 410', { next: 'dead' });
        expect(await outbox.prune(5000)).toBe(1);
        expect([...(await outbox.existingKeys(['old-sent', 'old-dead', 'old-pending', 'new-sent']))].sort()).toEqual(['new-sent', 'old-dead', 'old-pending']);
      }),
    );
  });
}
