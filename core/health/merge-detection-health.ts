// One detection-health view from several correlate members, each of which owns some
// signals partitions: their groups, late signals and caps hit add up; event time is as
// far as the slowest member got (the minimum watermark); lag is measured per consumer
// group, so every member reports the same figure and the largest is the freshest
// worry; silent sources and agents with future timestamps are learned from progress
// records every member (and every partition's state) sees, so they are united, not
// added. One member's view goes through the same merge, which removes those repeats.
import type { DetectionHealth } from '../schemas/detection-health.ts';

const RECENT_LATE_CAP = 50;

export function mergeDetectionHealth(members: readonly DetectionHealth[]): DetectionHealth | null {
  if (members.length === 0) return null;
  const watermarks = members.map((m) => m.correlation.watermark).filter((w): w is number => w !== null);
  const silent = new Map<string, DetectionHealth['silentSources'][number]>();
  for (const source of members.flatMap((m) => m.silentSources)) {
    const key = `${source.kind}\u0000${source.unit}\u0000${source.id}`;
    const seen = silent.get(key);
    // Members may have heard from a source at slightly different times: keep the latest.
    if (seen === undefined || seen.lastSeen < source.lastSeen) silent.set(key, source);
  }
  const future = new Map<string, NonNullable<DetectionHealth['futureTimestamps']>[number]>();
  for (const agent of members.flatMap((m) => m.futureTimestamps ?? [])) {
    const key = `${agent.unit}\u0000${agent.agent}`;
    const seen = future.get(key);
    if (seen === undefined) future.set(key, agent);
    else future.set(key, { ...agent, count: Math.max(seen.count, agent.count), lastSeen: seen.lastSeen > agent.lastSeen ? seen.lastSeen : agent.lastSeen });
  }
  return {
    correlation: {
      watermark: watermarks.length === 0 ? null : Math.min(...watermarks),
      activeGroups: sum(members.map((m) => m.correlation.activeGroups)),
      rules: Math.max(...members.map((m) => m.correlation.rules)),
      titles: Object.assign({}, ...members.map((m) => m.correlation.titles)) as Record<string, string>,
      late: addCounts(members.map((m) => m.correlation.late)),
      groupsRefused: addCounts(members.map((m) => m.correlation.groupsRefused)),
      entriesDropped: addCounts(members.map((m) => m.correlation.entriesDropped)),
      recentLate: members
        .flatMap((m) => m.correlation.recentLate)
        .sort((a, b) => b.time - a.time)
        .slice(0, RECENT_LATE_CAP),
    },
    lag: {
      events: Math.max(...members.map((m) => m.lag.events)),
      signals: Math.max(...members.map((m) => m.lag.signals)),
      // Every member reads the same events topic: the one that saw the most backlog speaks for it.
      ...catchUpOfLargestBacklog(members),
    },
    silentSources: [...silent.values()],
    ...(members.some((m) => m.futureTimestamps !== undefined) ? { futureTimestamps: [...future.values()] } : {}),
  };
}

function catchUpOfLargestBacklog(members: readonly DetectionHealth[]): Pick<DetectionHealth['lag'], 'catchUp'> {
  const withCatchUp = members.filter((m) => m.lag.catchUp !== undefined).sort((a, b) => b.lag.events - a.lag.events);
  const catchUp = withCatchUp[0]?.lag.catchUp;
  return catchUp === undefined ? {} : { catchUp };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function addCounts(counts: readonly Readonly<Record<string, number>>[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const count of counts) for (const [key, value] of Object.entries(count)) total[key] = (total[key] ?? 0) + value;
  return total;
}
