// Turns a decided window of a group's entries into the firing the engine emits: times,
// counts, a capped sample of event ids, and the unit and host only when every
// contributing signal shares them.
import type { CorrelationFiring } from './contract.ts';
import type { CorrelationGroup } from './correlation-group.ts';

export function firingFromWindow(
  group: CorrelationGroup,
  first: number,
  last: number,
  value: number,
  windowStart: number,
  time: number,
  sampleSize: number,
): CorrelationFiring {
  const entries = group.entries;
  const unit = entries.units[first];
  const host = entries.hosts[first];
  let sharedUnit = unit;
  let sharedHost = host;
  for (let index = first + 1; index <= last && (sharedUnit !== undefined || sharedHost !== undefined); index++) {
    if (sharedUnit !== undefined && entries.units[index]?.id !== sharedUnit.id) sharedUnit = undefined;
    const other = entries.hosts[index];
    if (sharedHost !== undefined && (other?.id !== sharedHost.id || other?.name !== sharedHost.name)) sharedHost = undefined;
  }
  return {
    correlation: group.plan.id,
    group: group.groupRecord(),
    windowStart,
    time,
    firstSeen: entries.times[first]!,
    lastSeen: entries.times[last]!,
    count: last - first + 1,
    value,
    eventIds: entries.eventIds.slice(first, Math.min(last + 1, first + Math.max(0, sampleSize))),
    organization: sharedUnit,
    host: sharedHost,
  };
}
