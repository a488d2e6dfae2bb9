// Scoring a run: a scenario is detected by an alert of its rules about its hosts or
// addresses (time to detect from the scenario's start), or by an alert citing its
// events; a wrong clock by Health "Clocks ahead"; everything else is noise.
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../core/schemas/alert.ts';
import { formatScore, scoreRun } from '../../simulate/score.ts';
import { RULES, type Truth } from '../../simulate/truth.ts';

const truth: Truth = {
  seed: 1,
  scale: 1,
  start: '2026-12-01T00:00:00.000Z',
  end: '2026-12-01T10:00:00.000Z',
  units: 2,
  hosts: 10,
  events: 100,
  skipped: [],
  scenarios: [
    { id: 'S01-port-scan', kind: 'port-scan', description: '', units: ['u1'], hosts: ['pc-1'], values: ['10.16.0.5'], start: '2026-12-01T02:00:00.000Z', end: '2026-12-01T02:02:00.000Z', rules: [RULES.portScan], eventIds: ['e1'] },
    { id: 'S02-beaconing', kind: 'beaconing', description: '', units: ['u2'], hosts: ['pc-9'], values: ['10.16.4.9', '91.215.152.7'], start: '2026-12-01T03:00:00.000Z', end: '2026-12-01T04:00:00.000Z', rules: [RULES.beaconing], eventIds: ['e2'] },
    { id: 'S03-wrong-clock', kind: 'wrong-clock', description: '', units: ['u2'], hosts: ['pc-8'], values: [], start: '2026-12-01T09:30:00.000Z', end: '2026-12-01T09:50:00.000Z', rules: [], health: 'clocks-ahead', clockAheadHours: 6 },
  ],
};

function alert(id: string, rule: { id: string; title: string }, unit: string, firstSeen: string, extra: Partial<Alert> = {}): Alert {
  return {
    id,
    rule: { ...rule, level: 'medium', tags: [], kind: 'correlation' },
    severity: 'medium',
    status: 'new',
    assignee: null,
    organization: { id: unit, name: unit },
    host: {},
    group: {},
    first_seen: firstSeen,
    last_seen: firstSeen,
    count: 1,
    event_ids: [],
    attack: { tactics: [], techniques: [] },
    notes: [],
    history: [],
    created: firstSeen,
    updated: firstSeen,
    ...extra,
  };
}

describe('scoreRun', () => {
  const alerts = [
    alert('a1', RULES.portScan, 'u1', '2026-12-01T02:01:00.000Z', { group: { 'source.ip': '10.16.0.5', 'destination.ip': '10.16.0.2' } }),
    // A single-event alert citing the scan's event belongs to it too.
    alert('a2', { id: 'x', title: 'Network Scanner Detected' }, 'u1', '2026-12-01T02:00:30.000Z', { event_ids: ['e1'] }),
    // Background on the scan's host, from another rule: noise.
    alert('a3', { id: 'y', title: 'USB Worm Detected' }, 'u1', '2026-12-01T02:05:00.000Z', { host: { id: 'pc-1' } }),
    alert('a4', { id: 'y', title: 'USB Worm Detected' }, 'u2', '2026-12-01T05:00:00.000Z', { host: { id: 'pc-3' } }),
  ];

  it('reports detections with their time to detect, misses, alerts per hour and noise', () => {
    const score = scoreRun(truth, alerts, [{ unit: 'u2', agent: 'clock-agent', count: 10, lastSeen: '2026-12-01T15:50:00.000Z' }]);
    expect(score.scenarios).toEqual([
      { id: 'S01-port-scan', kind: 'port-scan', detected: true, timeToDetectMs: 60_000, via: RULES.portScan.title, alerts: 2 },
      { id: 'S02-beaconing', kind: 'beaconing', detected: false, alerts: 0 },
      { id: 'S03-wrong-clock', kind: 'wrong-clock', detected: true, via: 'Health: clocks ahead (10 events)', alerts: 0 },
    ]);
    expect(score.missed).toEqual(['S02-beaconing']);
    expect(score.alerts).toBe(4);
    expect(score.alertsPerAnalystHour).toBeCloseTo(0.4);
    expect(score.noiseAlerts).toBe(2);
    expect(score.noiseShare).toBe(0.5);
    const text = formatScore(score);
    expect(text).toContain('detected  S01-port-scan      after 1 min');
    expect(text).toContain('MISSED    S02-beaconing');
    expect(text).toContain('Missed: S02-beaconing');
  });

  it('misses the wrong clock when Health lists no clock ahead for its unit', () => {
    const score = scoreRun(truth, alerts, [{ unit: 'u1', agent: 'other', count: 1, lastSeen: '2026-12-01T15:50:00.000Z' }]);
    expect(score.missed).toContain('S03-wrong-clock');
  });
});
