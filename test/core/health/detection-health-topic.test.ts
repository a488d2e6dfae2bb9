// Detection health in a cluster: correlate members publish snapshots to the health
// topic; an api process's board merges the live ones (counts added, the slowest event
// time, sources united) and leaves out a member that stopped or went quiet.
import { afterEach, describe, expect, it } from 'vitest';
import { ensureVigilTopics } from '../../../core/adapters/vigil-topics.ts';
import { openEmbeddedBus, type EmbeddedBus } from '../../../core/bus/embedded-bus.ts';
import { startHealthBoard, type HealthBoard } from '../../../core/health/health-board.ts';
import { startHealthPublisher } from '../../../core/health/health-publisher.ts';
import { mergeDetectionHealth } from '../../../core/health/merge-detection-health.ts';
import { createLogger } from '../../../core/log.ts';
import type { DetectionHealth } from '../../../core/schemas/detection-health.ts';
import { eventually, makeTempDir } from '../../support/start-vigil.ts';

const log = createLogger('silent');

function health(overrides: { watermark: number | null; groups: number; late: Record<string, number>; silent?: string[]; lag?: number }): DetectionHealth {
  return {
    correlation: {
      watermark: overrides.watermark,
      activeGroups: overrides.groups,
      rules: 3,
      titles: { spread: 'Malware spread' },
      late: overrides.late,
      groupsRefused: {},
      entriesDropped: {},
      recentLate: [],
    },
    lag: { events: overrides.lag ?? 0, signals: 0 },
    silentSources: (overrides.silent ?? []).map((id) => ({ kind: 'agent' as const, id, unit: 'so-y-te', lastSeen: '2026-12-01T00:00:00.000Z' })),
  };
}

describe('mergeDetectionHealth', () => {
  it('adds counts, keeps the slowest event time, the largest lag, and each silent source once', () => {
    const merged = mergeDetectionHealth([
      health({ watermark: 2_000, groups: 5, late: { spread: 1 }, silent: ['pc-1'], lag: 10 }),
      health({ watermark: 1_000, groups: 7, late: { spread: 2, scan: 1 }, silent: ['pc-1', 'pc-2'], lag: 4 }),
      health({ watermark: null, groups: 0, late: {} }),
    ])!;
    expect(merged.correlation.watermark).toBe(1_000);
    expect(merged.correlation.activeGroups).toBe(12);
    expect(merged.correlation.late).toEqual({ spread: 3, scan: 1 });
    expect(merged.lag.events).toBe(10);
    expect(merged.silentSources.map((s) => s.id).sort()).toEqual(['pc-1', 'pc-2']);
  });

  it("takes the catch-up estimate of the member that saw the largest backlog (they read the same topic)", () => {
    const withCatchUp = (lag: number, seconds: number | null): DetectionHealth => {
      const base = health({ watermark: 1_000, groups: 0, late: {}, lag });
      return { ...base, lag: { ...base.lag, catchUp: { drainPerSecond: 500, inflowPerSecond: 100, seconds } } };
    };
    const merged = mergeDetectionHealth([withCatchUp(4_000, 10), withCatchUp(9_000, 23), health({ watermark: 1_000, groups: 0, late: {} })])!;
    expect(merged.lag).toEqual({ events: 9_000, signals: 0, catchUp: { drainPerSecond: 500, inflowPerSecond: 100, seconds: 23 } });
    expect(mergeDetectionHealth([health({ watermark: 1_000, groups: 0, late: {}, lag: 5 })])!.lag).toEqual({ events: 5, signals: 0 });
  });

  it('has nothing to say without members', () => {
    expect(mergeDetectionHealth([])).toBeNull();
  });
});

describe('health topic', () => {
  let bus: EmbeddedBus | undefined;
  let board: HealthBoard | undefined;
  afterEach(async () => {
    await board?.stop();
    await bus?.close();
  });

  it('shows the merged health of live members, without one that stopped or went quiet', async () => {
    bus = openEmbeddedBus({ dataDir: makeTempDir('vigil-health-') });
    await ensureVigilTopics(bus, { events: 2, signals: 2, alerts: 1 });
    let now = 1_000_000;
    board = startHealthBoard({ bus, log, staleAfterMs: 15_000, clock: () => now });
    expect(board.detection()).toBeNull();

    const publisher = (member: string, detection: DetectionHealth) =>
      startHealthPublisher({ bus: bus!, member, detection: async () => detection, rules: () => ({ loaded: 40, errors: [] }), log, everyMs: 60_000 });
    const a = publisher('correlate-a', health({ watermark: 5_000, groups: 2, late: { spread: 1 } }));
    const b = publisher('correlate-b', health({ watermark: 3_000, groups: 3, late: { spread: 4 } }));
    // Snapshots carry the wall clock; the board's clock starts there.
    now = Date.now();
    await a.publish();
    await b.publish();
    await eventually(async () => (board!.members().length === 2 ? true : undefined));
    expect(board.detection()!.correlation).toMatchObject({ watermark: 3_000, activeGroups: 5, late: { spread: 5 } });
    expect(board.rules()).toEqual({ loaded: 40, errors: [] });

    // b shuts down cleanly: its partitions moved to a, and its last word says so.
    await b.stop();
    await eventually(async () => (board!.members().length === 1 ? true : undefined));
    expect(board.members()).toEqual(['correlate-a']);
    expect(board.detection()!.correlation.watermark).toBe(5_000);

    // a goes quiet (a lost process): once its snapshot is stale, no health is shown.
    now += 16_000;
    expect(board.detection()).toBeNull();
    expect(board.rules()).toBeNull();
    await a.stop();
  });
});
