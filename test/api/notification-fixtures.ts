// Notification outbox contents for API tests, made through the NotificationOutbox port
// as the notify stage would leave them: a delivery about an alert, sent or given up on
// (a dead letter), and a stand-in sender that marks test sends sent so that "send a
// test" can answer without a notify process.
import type { Delivery, NotificationOutbox } from '../../core/ports/notifications.ts';

let sequence = 0;

export interface DeliveryFixture {
  channel: string;
  /** The alert's unit; `*` for an alert spanning units. */
  unit: string;
  alertId?: string;
  error?: string;
}

async function recordDelivery(outbox: NotificationOutbox, fixture: DeliveryFixture): Promise<Delivery> {
  sequence += 1;
  const alertId = fixture.alertId ?? `alert-fixture-${sequence}`;
  const key = `${alertId}:alert:${fixture.channel}:${sequence}`;
  const now = Date.now();
  await outbox.record([
    {
      key,
      channel: fixture.channel,
      alertId,
      unit: fixture.unit,
      state: 'pending',
      createdAt: now,
      dueAt: now + 3_600_000,
      payload: {
        type: 'alert',
        alert: {
          id: alertId,
          ruleId: 'av-malware',
          title: 'Phát hiện mã độc',
          severity: 'critical',
          kind: 'single',
          unit: { id: fixture.unit, name: fixture.unit },
          host: { name: 'PC-KETOAN-07' },
          firstSeen: new Date(now).toISOString(),
          lastSeen: new Date(now).toISOString(),
          count: 1,
          tactics: [],
        },
      },
    },
  ]);
  const delivery = (await outbox.deliveriesForAlert(alertId)).find((d) => d.key === key);
  if (!delivery) throw new Error(`the outbox did not keep ${key}`);
  return delivery;
}

/** A delivery the notify stage gave up on: on the dead-letter list with `error`. */
export async function deadLetter(outbox: NotificationOutbox, fixture: DeliveryFixture): Promise<Delivery> {
  const delivery = await recordDelivery(outbox, fixture);
  await outbox.markFailed(delivery.id, Date.now(), fixture.error ?? 'HTTP 500 from the receiver', { next: 'dead' });
  return (await outbox.getDelivery(delivery.id))!;
}

/** A delivery sent on its first attempt. */
export async function sentDelivery(outbox: NotificationOutbox, fixture: DeliveryFixture): Promise<Delivery> {
  const delivery = await recordDelivery(outbox, fixture);
  await outbox.markSent(delivery.id, Date.now());
  return (await outbox.getDelivery(delivery.id))!;
}

/**
 * Marks every test send that comes due as sent until stopped: what a notify process
 * does with a reachable receiver, for tests of the API's side of "send a test".
 */
export function answerTestSends(outbox: NotificationOutbox): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const delivery of await outbox.due(Date.now(), 20)) {
        if (delivery.kind === 'test') await outbox.markSent(delivery.id, Date.now());
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
  };
}
