// Turns one event's rule matches into signal records: one per matched rule, with the
// group its own alert is kept under (when it raises alerts) and, for each correlation
// rule that references it, the group-by values (and the aggregated field) read from
// the event through the paths the compiler resolved (aliases, pipeline mapping).
// A correlation signal whose group-by field is missing from the event is not sent: a
// group with an unknown member would merge unrelated events.
import type { SecurityEvent } from '../../core/schemas/event.ts';
import { eventHost, matchGroup } from '../alert-from-match.ts';
import { compileFieldReader, type FieldReader, type MatchableEvent } from '../sigma/field-access.ts';
import type { CompiledCorrelation } from './contract.ts';
import type { CorrelationInput, MatchRecord } from './signal-record.ts';

/** What signal building needs to know about the loaded rules. */
export interface SignalRouting {
  correlationsReferencing(ruleId: string): readonly CompiledCorrelation[];
  raisesOwnAlerts(ruleId: string): boolean;
}

export interface EventPosition {
  partition: number;
  offset: number;
}

const readers = new Map<string, FieldReader>();

/** The first scalar at any of `paths`, as a string; undefined when none is present. */
export function readFirst(event: MatchableEvent, paths: readonly string[]): string | number | undefined {
  for (const path of paths) {
    let reader = readers.get(path);
    if (reader === undefined) {
      reader = compileFieldReader(path);
      readers.set(path, reader);
    }
    const value = scalar(reader(event));
    if (value !== undefined) return value;
  }
  return undefined;
}

function scalar(value: unknown): string | number | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = scalar(item);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** The event's machine, or undefined when it names none. */
export function hostOf(event: SecurityEvent): { id?: string; name?: string } | undefined {
  const host = eventHost(event);
  return host.id === undefined && host.name === undefined ? undefined : host;
}

/**
 * `time` is the event's detection time (detect/detection-time.ts): its @timestamp,
 * clamped when it is further in the future than the tolerance.
 */
export function signalsFromMatches(
  ruleIds: readonly string[],
  event: SecurityEvent,
  time: number,
  position: EventPosition,
  routing: SignalRouting,
): MatchRecord[] {
  const records: MatchRecord[] = [];
  if (ruleIds.length === 0) return records;
  const organization = { id: event.organization.id, name: event.organization.name };
  const host = hostOf(event);
  for (const [index, ruleId] of ruleIds.entries()) {
    const raises = routing.raisesOwnAlerts(ruleId);
    const correlations: CorrelationInput[] = [];
    for (const correlation of routing.correlationsReferencing(ruleId)) {
      const signal = correlationSignalOf(correlation, ruleId, event, time);
      if (signal === undefined) continue;
      correlations.push({
        correlation: signal.correlation,
        group: signal.group,
        ...(signal.value === undefined ? {} : { value: signal.value }),
      });
    }
    if (!raises && correlations.length === 0) continue;
    records.push({
      kind: 'match',
      src: { p: position.partition, o: position.offset, i: index },
      rule: ruleId,
      time,
      eventId: event.event.id,
      ingested: Date.parse(event.event.ingested),
      organization,
      ...(host === undefined ? {} : { host }),
      ...(raises ? { alert: matchGroup(event) } : {}),
      ...(raises && event.rule?.name !== undefined && event.rule.name !== '' ? { threat: event.rule.name } : {}),
      correlations,
    });
  }
  return records;
}

/** The group and aggregated value a correlation reads from an event its rule `ruleId` matched; undefined when a group-by field is missing. */
export function correlationSignalOf(correlation: CompiledCorrelation, ruleId: string, event: MatchableEvent, time: number) {
  const paths = correlation.fields[ruleId] ?? {};
  const group: Record<string, string> = {};
  for (const name of correlation.groupBy) {
    const value = readFirst(event, paths[name] ?? [name]);
    if (value === undefined) return undefined;
    group[name] = String(value);
  }
  const field = correlation.condition?.field;
  const value = field === undefined ? undefined : readFirst(event, paths[field] ?? [field]);
  return { correlation: correlation.id, rule: ruleId, time, group, ...(value === undefined ? {} : { value }) };
}
