// Store conformance, the Rules page's part: Store.ruleHits counts the times each rule
// matched (the sum of alert.count: one alert groups many matches), its alerts and its
// newest last_seen, among the alerts whose last_seen is in range, in the caller's
// units only. Called from runStoreConformance, so every adapter runs it.
import { beforeEach, describe, expect, it } from 'vitest';
import { ALL_UNITS } from '../../core/ports/scope.ts';
import type { Store } from '../../core/ports/store.ts';
import type { Alert } from '../../core/schemas/alert.ts';

const BASE_MS = Date.parse('2026-11-01T00:00:00.000Z');
const at = (hours: number) => new Date(BASE_MS + hours * 3_600_000).toISOString();

function alert(id: string, rule: string, unit: string, lastSeenHours: number, count: number): Alert {
  return {
    id,
    rule: { id: rule, title: `Title of ${rule}`, level: 'high', tags: [], kind: 'match' },
    severity: 'high',
    status: 'new',
    assignee: null,
    organization: { id: unit, name: `Unit ${unit}` },
    host: { id: `${id}-host` },
    group: { 'host.id': `${id}-host` },
    first_seen: at(lastSeenHours - 1),
    last_seen: at(lastSeenHours),
    count,
    event_ids: [`${id}-event`],
    attack: { tactics: [], techniques: [] },
    notes: [],
    history: [],
    created: at(lastSeenHours - 1),
    updated: at(lastSeenHours),
  };
}

export function runRuleHitsConformance(getStore: () => Store): void {
  describe('rule hits (Rules page)', () => {
    beforeEach(async () => {
      await getStore().writeAlerts([
        // r-worm: 3 alerts grouping 40 + 2 + 5 matches, one of them in another unit.
        alert('w1', 'r-worm', 'unit-a', 10, 40),
        alert('w2', 'r-worm', 'unit-a', 30, 2),
        alert('w3', 'r-worm', 'unit-b', 20, 5),
        // r-login: more alerts than r-worm, fewer matches.
        alert('l1', 'r-login', 'unit-a', 11, 1),
        alert('l2', 'r-login', 'unit-a', 12, 1),
        alert('l3', 'r-login', 'unit-a', 13, 1),
        alert('l4', 'r-login', 'unit-b', 14, 1),
        // Seen before the range below only.
        alert('o1', 'r-old', 'unit-a', 1, 9),
      ]);
      await getStore().refresh();
    });

    it('counts matches (the sum of alert.count), not alerts, most matches first', async () => {
      expect(await getStore().ruleHits({}, ALL_UNITS)).toEqual([
        { rule: 'r-worm', matches: 47, alerts: 3, lastHit: at(30) },
        { rule: 'r-old', matches: 9, alerts: 1, lastHit: at(1) },
        { rule: 'r-login', matches: 4, alerts: 4, lastHit: at(14) },
      ]);
    });

    it('keeps to the alerts last seen in range and to the caller’s units', async () => {
      const range = { from: at(5), to: at(25) };
      expect(await getStore().ruleHits(range, ALL_UNITS)).toEqual([
        { rule: 'r-worm', matches: 45, alerts: 2, lastHit: at(20) },
        { rule: 'r-login', matches: 4, alerts: 4, lastHit: at(14) },
      ]);
      expect(await getStore().ruleHits(range, { kind: 'units', units: ['unit-a'] })).toEqual([
        { rule: 'r-worm', matches: 40, alerts: 1, lastHit: at(10) },
        { rule: 'r-login', matches: 3, alerts: 3, lastHit: at(13) },
      ]);
      expect(await getStore().ruleHits(range, { kind: 'units', units: [] })).toEqual([]);
    });

    it('counts an alert updated with more matches once, with its new count', async () => {
      await getStore().writeAlerts([alert('w2', 'r-worm', 'unit-a', 31, 12)]);
      await getStore().refresh();
      const worm = (await getStore().ruleHits({}, ALL_UNITS)).find((hits) => hits.rule === 'r-worm');
      expect(worm).toEqual({ rule: 'r-worm', matches: 57, alerts: 3, lastHit: at(31) });
    });
  });
}
