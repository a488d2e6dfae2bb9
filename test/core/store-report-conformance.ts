// Store conformance, the reports' part: Store.reportFigures over the seeded month of
// test/report/seeded-month.ts answers the same figures from every adapter (events by
// their source's severity included), cuts days at the asked offset, and reads only
// the caller's units. Called from
// runStoreConformance, so every adapter runs it.
import { beforeEach, describe, expect, it } from 'vitest';
import { ALL_UNITS } from '../../core/ports/scope.ts';
import type { ReportFiguresQuery } from '../../core/ports/report-figures.ts';
import type { Store } from '../../core/ports/store.ts';
import { REINFECTION_RULES, SILENT_AGENT_RULES } from '../../core/report/build-report.ts';
import { EXPECTED, FROM, OFFSET, OTHER, TO, UNIT, seedMonth } from '../report/seeded-month.ts';

const query: ReportFiguresQuery = {
  from: FROM,
  to: TO,
  utcOffsetMinutes: OFFSET,
  reinfectionRules: REINFECTION_RULES,
  silentAgentRules: SILENT_AGENT_RULES,
  top: 10,
};
const own = { kind: 'units', units: [UNIT.id] } as const;

export function runReportFiguresConformance(getStore: () => Store): void {
  describe('report figures', () => {
    beforeEach(async () => {
      await seedMonth(getStore());
    });

    it('counts a unit’s events, alerts, antivirus actions, threats and hosts over [from, to)', async () => {
      const figures = await getStore().reportFigures(query, own);
      expect(figures.events).toBe(EXPECTED.events);
      expect(figures.alerts).toBe(EXPECTED.alerts);
      expect(figures.alertsBySeverity).toEqual(EXPECTED.bySeverity);
      expect(figures.alertsPerDay).toEqual(EXPECTED.alertsOn);
      expect(figures.eventSeverities).toEqual(EXPECTED.eventSeverities);
      expect(Object.values(figures.eventsPerDay).reduce((a, b) => a + b, 0)).toBe(EXPECTED.events);
      // 1 Nov 00:30 at +07:00 is a November day, though 31 Oct in UTC.
      expect(figures.eventsPerDay['2026-11-01']).toBe(1);
      expect(figures.antivirusActions).toEqual([
        { action: 'quarantined', outcome: null, count: 5 },
        { action: 'blocked', outcome: null, count: 3 },
        { action: 'cleaned', outcome: null, count: 2 },
        { action: 'deleted', outcome: null, count: 1 },
        { action: 'detected', outcome: null, count: 1 },
        { action: 'quarantine_failed', outcome: null, count: 1 },
        { action: 'quarantine_failed', outcome: 'failure', count: 1 },
      ]);
      expect(figures.threats[0]).toEqual(EXPECTED.topThreat);
      expect(figures.threats).toHaveLength(6);
      expect(figures.hosts[0]).toEqual({ host: 'pc-01', unit: UNIT.id, alerts: 3 });
    });

    it('sums triage times from the alerts’ history, per severity', async () => {
      const { triage } = await getStore().reportFigures(query, own);
      expect(triage.critical).toEqual({ alerts: 2, acknowledged: 2, acknowledgeMsTotal: 30 * 60_000, resolved: 1, resolveMsTotal: 120 * 60_000 });
      expect(triage.high).toEqual({ alerts: 3, acknowledged: 1, acknowledgeMsTotal: 60 * 60_000, resolved: 1, resolveMsTotal: 300 * 60_000 });
      expect(triage.medium).toEqual({ alerts: 4, acknowledged: 0, acknowledgeMsTotal: 0, resolved: 0, resolveMsTotal: 0 });
    });

    it('lists reinfection and silent-agent alerts', async () => {
      const figures = await getStore().reportFigures(query, own);
      expect(figures.reinfections).toEqual({
        count: EXPECTED.reinfections,
        items: [{ host: 'pc-07', unit: UNIT.id, threat: 'Worm:Win32/Ramnit', lastSeen: '2026-11-30T01:00:00.000Z' }],
      });
      expect(figures.silentAgentAlerts).toEqual({
        count: EXPECTED.silentAgentAlerts,
        items: [{ agent: 'agent-kho-duoc', unit: UNIT.id, lastSeen: '2026-11-30T02:00:00.000Z' }],
      });
    });

    it('reads only the caller’s units', async () => {
      const other = await getStore().reportFigures(query, { kind: 'units', units: [OTHER.id] });
      expect(other.events).toBe(7);
      expect(other.threats.map((t) => t.name)).toEqual(['Trojan:Win32/OtherUnitOnly']);
      expect(other.reinfections.count).toBe(0);
      const all = await getStore().reportFigures(query, ALL_UNITS);
      expect(all.events).toBe(EXPECTED.events + 7);
      expect(all.alerts).toBe(EXPECTED.alerts + 3);
      const none = await getStore().reportFigures(query, { kind: 'units', units: [] });
      expect(none.events).toBe(0);
      expect(none.alerts).toBe(0);
    });
  });
}
