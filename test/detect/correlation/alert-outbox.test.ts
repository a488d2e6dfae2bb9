// The correlate stage's outbox: alerts whose write failed stay until a delivery
// succeeds, newer versions of one alert replace older ones, and a delivery empties it.
import { describe, expect, it } from 'vitest';
import { openEmbeddedBus } from '../../../core/bus/embedded-bus.ts';
import { createMetrics } from '../../../core/metrics.ts';
import { TOPICS } from '../../../core/ports/bus.ts';
import { ALL_UNITS } from '../../../core/ports/scope.ts';
import type { Store } from '../../../core/ports/store.ts';
import type { Alert } from '../../../core/schemas/alert.ts';
import { openEmbeddedStore } from '../../../core/store/embedded-store.ts';
import { AlertOutbox } from '../../../detect/correlation/alert-outbox.ts';
import { CorrelationOutput } from '../../../detect/correlation/correlator.ts';
import { createAlertGrouper, occurrenceFromMatch } from '../../../detect/correlation/alert-grouper.ts';
import { makeTempDir } from '../../support/start-vigil.ts';

describe('AlertOutbox', () => {
  it('keeps what a failed write left, delivers the latest version of each alert once it can', async () => {
    const dataDir = makeTempDir('vigil-outbox-');
    const bus = openEmbeddedBus({ dataDir });
    const store = openEmbeddedStore({ dataDir });
    let failing = true;
    const flaky = Object.assign(Object.create(store) as Store, {
      writeAlerts: async (alerts: readonly Alert[]) => {
        if (failing) throw new Error('disk full (simulated)');
        return store.writeAlerts(alerts);
      },
    });
    const sink = { store: flaky, bus, metrics: createMetrics({ defaultMetrics: false }) };
    try {
      const grouper = createAlertGrouper({ windowMs: 3_600_000 });
      const rule = { id: 'r1', title: 'EICAR', level: 'medium' as const, tags: [] };
      const match = (n: number) => ({
        kind: 'match' as const,
        src: { p: 0, o: n, i: 0 },
        rule: 'r1',
        time: Date.parse('2026-11-22T08:00:00Z') + n,
        eventId: `e${n}`,
        organization: { id: 'unit-1', name: 'Unit 1' },
        alert: { 'organization.id': 'unit-1', 'host.id': 'pc-1' },
        correlations: [],
      });
      const outbox = new AlertOutbox();
      const turn = (n: number) => {
        const out = new CorrelationOutput(new Date());
        out.collect(grouper.add(occurrenceFromMatch(rule, match(n)), out.now));
        outbox.add(out);
      };
      turn(0);
      await expect(outbox.deliver(sink)).rejects.toThrow('disk full');
      expect(outbox.empty).toBe(false);
      turn(1);
      failing = false;
      await outbox.deliver(sink);
      expect(outbox.empty).toBe(true);

      const stored = (await store.searchAlerts({ limit: 10 }, ALL_UNITS)).items;
      expect(stored.map((alert) => alert.count)).toEqual([2]);
      const published = await bus.readAfter(TOPICS.alerts, {}, 10);
      expect(published.map((record) => (JSON.parse(Buffer.from(record.value).toString()) as Alert).count)).toEqual([2]);
    } finally {
      await bus.close();
      await store.close();
    }
  });
});
