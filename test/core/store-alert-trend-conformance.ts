// Store conformance, the dashboard's part: Store.alertTrend over the seeded month of
// test/report/seeded-month.ts cuts alerts into buckets that start at `from` (an alert
// exactly on a bucket's start is in it), by severity, and sums triage times per unit,
// reading only the caller's units. Called from runStoreConformance, so every adapter
// runs it.
import { beforeEach, describe, expect, it } from 'vitest';
import { BadInputError } from '../../core/errors.ts';
import { ALL_UNITS } from '../../core/ports/scope.ts';
import type { Store } from '../../core/ports/store.ts';
import { FROM, OTHER, TO, UNIT, seedMonth } from '../report/seeded-month.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const own = { kind: 'units', units: [UNIT.id] } as const;

export function runAlertTrendConformance(getStore: () => Store): void {
  describe('alert trend (dashboard)', () => {
    beforeEach(async () => {
      await seedMonth(getStore());
    });

    it('counts a unit’s alerts per bucket and severity, buckets starting at from (local days here)', async () => {
      const trend = await getStore().alertTrend({ from: FROM, to: TO, bucketMs: DAY }, own);
      expect(trend.buckets).toEqual([
        { start: '2026-10-31T17:00:00.000Z', bySeverity: { critical: 2 } },
        { start: '2026-11-14T17:00:00.000Z', bySeverity: { high: 3, medium: 2 } },
        { start: '2026-11-29T17:00:00.000Z', bySeverity: { medium: 2, low: 1 } },
      ]);
    });

    it('puts an alert seen exactly at a bucket’s start in that bucket', async () => {
      const trend = await getStore().alertTrend({ from: '2026-11-15T00:00:00+07:00', to: '2026-11-15T12:00:00+07:00', bucketMs: HOUR }, own);
      expect(trend.buckets).toEqual([
        { start: '2026-11-15T01:00:00.000Z', bySeverity: { high: 1 } },
        { start: '2026-11-15T02:00:00.000Z', bySeverity: { high: 1 } },
        { start: '2026-11-15T03:00:00.000Z', bySeverity: { high: 1 } },
        { start: '2026-11-15T04:00:00.000Z', bySeverity: { medium: 1 } },
      ]);
    });

    it('sums triage times per unit, busiest unit first, in the caller’s scope only', async () => {
      const mine = await getStore().alertTrend({ from: FROM, to: TO, bucketMs: DAY }, own);
      // critical: acknowledged after 10 and 20 min, one resolved after 2 h; high: 60 min, false positive after 5 h.
      const soYTe = { alerts: 10, acknowledged: 3, acknowledgeMsTotal: 90 * MIN, resolved: 2, resolveMsTotal: 420 * MIN };
      expect(mine.units).toEqual([{ unit: UNIT.id, times: soYTe }]);
      const all = await getStore().alertTrend({ from: FROM, to: TO, bucketMs: DAY }, ALL_UNITS);
      expect(all.units).toEqual([
        { unit: UNIT.id, times: soYTe },
        { unit: OTHER.id, times: { alerts: 3, acknowledged: 3, acknowledgeMsTotal: 3 * MIN, resolved: 0, resolveMsTotal: 0 } },
      ]);
      expect(all.buckets[0]).toEqual({ start: '2026-10-31T17:00:00.000Z', bySeverity: { critical: 3 } });
      const none = await getStore().alertTrend({ from: FROM, to: TO, bucketMs: DAY }, { kind: 'units', units: [] });
      expect(none).toEqual({ buckets: [], units: [] });
    });

    it('refuses buckets shorter than a minute or more than a thousand of them', async () => {
      await expect(getStore().alertTrend({ from: FROM, to: TO, bucketMs: 1000 }, own)).rejects.toBeInstanceOf(BadInputError);
      await expect(getStore().alertTrend({ from: FROM, to: TO, bucketMs: MIN }, own)).rejects.toBeInstanceOf(BadInputError);
      await expect(getStore().alertTrend({ from: TO, to: FROM, bucketMs: DAY }, own)).rejects.toBeInstanceOf(BadInputError);
    });
  });
}
