// The announcement gate (ui/src/features/alerts/lib/announcement-gate.ts) and what
// counts as an alert raised just now: a burst of 1,000 critical alerts over a few
// seconds is one announcement with the count, later alerts wait out the cooldown, and
// an old alert merely updated is never announced.
import { describe, expect, it } from 'vitest';
import { AnnouncementGate, COOLDOWN_MS, QUIET_MS, type Announcement, type GateClock } from '../../ui/src/features/alerts/lib/announcement-gate.ts';
import { isFreshlyRaised } from '../../ui/src/features/alerts/hooks/use-announcer.ts';
import type { Alert, Severity } from '../../ui/src/features/alerts/types/alert.ts';

/** A clock the test moves by hand, running timers as their time comes. */
function manualClock(): GateClock & { advance(ms: number): void } {
  let now = 0;
  let next = 0;
  const timers = new Map<number, { at: number; run: () => void }>();
  return {
    now: () => now,
    setTimeout(run, ms) {
      next += 1;
      timers.set(next, { at: now + ms, run });
      return next;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort(([, a], [, b]) => a.at - b.at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].run();
      }
      now = end;
    },
  };
}

let n = 0;
function alert(severity: Severity, created = '2026-12-03T10:00:00.000Z', updated = created): Alert {
  n += 1;
  return {
    id: `a${n}`,
    rule: { id: 'r', title: 'Ransomware', level: severity, tags: [], kind: 'match' },
    severity,
    status: 'new',
    assignee: null,
    organization: { id: 'u', name: 'Unit' },
    host: { name: `PC-${n}` },
    group: {},
    first_seen: created,
    last_seen: updated,
    count: 1,
    event_ids: [],
    attack: { tactics: [], techniques: [] },
    notes: [],
    history: [],
    created,
    updated,
  };
}

const criticalOnly = new Set<Severity>(['critical']);

describe('the announcement gate', () => {
  it('announces a burst of 1,000 critical alerts over 3 seconds once, with the count', () => {
    const clock = manualClock();
    const said: Announcement[] = [];
    const gate = new AnnouncementGate((a) => said.push(a), clock);
    for (let batch = 0; batch < 30; batch++) {
      gate.add(Array.from({ length: batch < 10 ? 34 : 33 }, () => alert('critical')), criticalOnly);
      clock.advance(100);
    }
    expect(said).toEqual([]);
    clock.advance(QUIET_MS);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatchObject({ critical: 1000, high: 0 });
    clock.advance(5 * 60_000);
    expect(said).toHaveLength(1);
  });

  it('counts high alerts only when asked, and ignores the rest', () => {
    const clock = manualClock();
    const said: Announcement[] = [];
    const gate = new AnnouncementGate((a) => said.push(a), clock);
    gate.add([alert('medium'), alert('low'), alert('high')], criticalOnly);
    clock.advance(60_000);
    expect(said).toEqual([]);
    gate.add([alert('high'), alert('critical'), alert('medium')], new Set<Severity>(['critical', 'high']));
    clock.advance(QUIET_MS);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatchObject({ critical: 1, high: 1 });
    expect(said[0]!.first.severity).toBe('critical');
  });

  it('holds what arrives during the cooldown and announces it once when the cooldown ends', () => {
    const clock = manualClock();
    const said: Announcement[] = [];
    const gate = new AnnouncementGate((a) => said.push(a), clock);
    gate.add([alert('critical')], criticalOnly);
    clock.advance(QUIET_MS);
    expect(said).toHaveLength(1);
    for (let i = 0; i < 5; i++) {
      clock.advance(2000);
      gate.add([alert('critical'), alert('critical')], criticalOnly);
    }
    clock.advance(COOLDOWN_MS - 10_000 - QUIET_MS - 1);
    expect(said).toHaveLength(1);
    clock.advance(QUIET_MS + 1);
    expect(said).toHaveLength(2);
    expect(said[1]).toMatchObject({ critical: 10 });
  });

  it('forgets what it collected when stopped (announcements switched off)', () => {
    const clock = manualClock();
    const said: Announcement[] = [];
    const gate = new AnnouncementGate((a) => said.push(a), clock);
    gate.add([alert('critical')], criticalOnly);
    gate.stop();
    clock.advance(60_000);
    expect(said).toEqual([]);
  });
});

describe('an alert raised just now', () => {
  it('is new and created about when it was last written; an old alert updated by a repeat is not', () => {
    expect(isFreshlyRaised(alert('critical', '2026-12-03T10:00:00.000Z', '2026-12-03T10:00:00.500Z'))).toBe(true);
    expect(isFreshlyRaised(alert('critical', '2026-12-01T10:00:00.000Z', '2026-12-03T10:00:00.000Z'))).toBe(false);
    expect(isFreshlyRaised({ ...alert('critical'), status: 'acknowledged' })).toBe(false);
  });
});
