// Folds repeats into one alert: occurrences of the same rule and group (a unit's PC,
// a correlation's group-by values) within a window update the alert they opened
// instead of raising new ones, so millions of antivirus detections a month stay a
// console a person can read. Deterministic like the correlation engine: ids and
// documents depend only on the occurrences and their order, and the state persists
// (and restores) the same way, so a replay rewrites the same alerts in the store.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ALERT_EVENT_SAMPLE_CAP, type Alert } from '../../core/schemas/alert.ts';
import type { Organization } from '../../core/schemas/event.ts';
import { attackFromTags, type RuleMetadata } from '../alert-from-match.ts';
import type { MatchRecord } from './signal-record.ts';
import type { CorrelationFiring } from './contract.ts';
import { groupKey } from './group-key.ts';

/**
 * The unit of an alert that spans several units: unit officers do not see it, the
 * province SOC does. (Not core/ports/scope.ts's ALL_UNITS, which is a read scope.)
 */
export const ALL_UNITS_ORGANIZATION: Organization = Object.freeze({ id: '*', name: 'All units' });

/** One reason to alert: a single-event match (count 1) or a correlation firing. */
export interface Occurrence {
  readonly rule: Alert['rule'];
  /** What makes repeats "the same": unit and machine for matches, the group-by values for correlations. */
  readonly group: Readonly<Record<string, string>>;
  /** Event time, epoch ms: the match's event, or the firing's time. */
  readonly time: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly count: number;
  /** Oldest first; the first one names a new alert. */
  readonly eventIds: readonly string[];
  /** Undefined for a firing whose events came from several units. */
  readonly organization: Organization | undefined;
  /** Undefined when unknown or (for a firing) when its events came from several machines. */
  readonly host: Alert['host'] | undefined;
  /** A match's signature (the event's rule.name); not part of what makes repeats the same. */
  readonly threat?: string;
}

export interface AlertGrouperOptions {
  /** How long after an alert's first event a repeat still joins it. */
  readonly windowMs: number;
  /** Most event ids an alert keeps (at most ALERT_EVENT_SAMPLE_CAP, the default). */
  readonly sampleSize?: number;
}

export interface AlertGrouperChanges {
  /** Per rule-and-group key: its open alert's state, or null when the group was forgotten. */
  readonly groups: readonly (readonly [key: string, state: unknown])[];
}

export interface AlertGrouper {
  /** Applies one occurrence; returns its alert as it now stands, new or updated. `now` is processing time. */
  add(occurrence: Occurrence, now: Date): Alert;
  /**
   * Whether a single-event match's event is already counted in its open alert: the same
   * event id again is the same event delivered twice on the events topic (a producer
   * retry around a broker restart), which the store indexes once and must count once.
   */
  counted(occurrence: Occurrence): boolean;
  /** Event time moved to `time`: groups whose window ended before `time - windowMs` are forgotten. */
  advance(time: number): void;
  /** Groups held (open alerts). */
  readonly size: number;
  takeChanges(): AlertGrouperChanges;
  /** Every open alert's state, as `takeChanges` would give it had everything changed; live objects: encode before the next change. */
  snapshot(): AlertGrouperChanges;
  /** Loads what `takeChanges` returned over time; only on a fresh grouper. */
  restore(groups: Iterable<readonly [key: string, state: unknown]>): void;
}

const hostSchema = z.object({ id: z.string().optional(), name: z.string().optional() });

/** What the grouper keeps of an open alert: the rest comes with each occurrence. Plain data, persisted. */
const groupStateSchema = z.object({
  id: z.string(),
  /** The first occurrence's firstSeen: fixed, so a late occurrence cannot shorten the window. */
  windowStart: z.number(),
  firstSeen: z.number(),
  lastSeen: z.number(),
  count: z.number().int().positive(),
  /** The first ids received, then a rolling window of the most recent ones. */
  head: z.array(z.string()),
  tail: z.array(z.string()),
  organization: z.object({ id: z.string().min(1), name: z.string() }),
  /** null once occurrences from different machines joined: the alert then names none. */
  host: hostSchema.nullable(),
  created: z.string(),
  /** The signature of the occurrence that opened the alert (absent in states saved before it was kept). */
  threat: z.string().optional(),
});
type GroupState = z.infer<typeof groupStateSchema>;

/** A rule's match, as detect sent it, as one occurrence of its rule on its unit and machine. */
export function occurrenceFromMatch(rule: RuleMetadata, match: MatchRecord & { alert: Record<string, string> }): Occurrence {
  return {
    rule: { id: rule.id, title: rule.title, level: rule.level, tags: [...rule.tags], kind: 'match' },
    group: match.alert,
    time: match.time,
    firstSeen: match.time,
    lastSeen: match.time,
    count: 1,
    eventIds: [match.eventId],
    organization: match.organization,
    host: match.host,
    ...(match.threat === undefined ? {} : { threat: match.threat }),
  };
}

/**
 * The occurrence of a correlation firing. A firing without a unit (its events came
 * from several) becomes an alert for all units.
 */
export function occurrenceFromFiring(correlation: RuleMetadata, firing: CorrelationFiring): Occurrence {
  return {
    rule: { id: correlation.id, title: correlation.title, level: correlation.level, tags: [...correlation.tags], kind: 'correlation' },
    group: { ...firing.group },
    time: firing.time,
    firstSeen: firing.firstSeen,
    lastSeen: firing.lastSeen,
    count: firing.count,
    eventIds: [...firing.eventIds],
    organization: firing.organization === undefined ? undefined : { ...firing.organization },
    host: firing.host === undefined ? undefined : { ...firing.host },
  };
}

/**
 * sha256 of `group|<rule id>|<group key>|<first event id>`, first 32 hex characters.
 * An occurrence without event ids (none should come) is named by its first-seen time.
 */
export function groupedAlertId(ruleId: string, key: string, firstEventId: string): string {
  return createHash('sha256').update(`group|${ruleId}|${key}|${firstEventId}`).digest('hex').slice(0, 32);
}

export function createAlertGrouper(options: AlertGrouperOptions): AlertGrouper {
  const { windowMs } = options;
  if (!(windowMs > 0)) throw new RangeError(`windowMs must be positive, got ${windowMs}`);
  const sampleSize = Math.max(0, Math.min(Math.floor(options.sampleSize ?? ALERT_EVENT_SAMPLE_CAP), ALERT_EVENT_SAMPLE_CAP));
  // The first half of the sample shows how it started, the second what it does now.
  const headSize = Math.ceil(sampleSize / 2);
  const tailSize = sampleSize - headSize;

  const groups = new Map<string, GroupState>();
  const dirty = new Set<string>();

  function open(occurrence: Occurrence, key: string, now: Date): GroupState {
    const firstEventId = occurrence.eventIds[0] ?? `@${new Date(occurrence.firstSeen).toISOString()}`;
    return {
      id: groupedAlertId(occurrence.rule.id, key, firstEventId),
      windowStart: occurrence.firstSeen,
      firstSeen: occurrence.firstSeen,
      lastSeen: occurrence.lastSeen,
      count: 0,
      head: [],
      tail: [],
      organization: occurrence.organization === undefined ? { ...ALL_UNITS_ORGANIZATION } : { ...occurrence.organization },
      host: { ...(occurrence.host ?? {}) },
      created: now.toISOString(),
      ...(occurrence.threat === undefined ? {} : { threat: occurrence.threat }),
    };
  }

  function join(state: GroupState, occurrence: Occurrence): void {
    state.count += occurrence.count;
    state.firstSeen = Math.min(state.firstSeen, occurrence.firstSeen);
    state.lastSeen = Math.max(state.lastSeen, occurrence.lastSeen);
    const organization = occurrence.organization;
    if (organization === undefined || organization.id !== state.organization.id) state.organization = { ...ALL_UNITS_ORGANIZATION };
    if (state.host !== null) state.host = sameHost(state.host, occurrence.host ?? {});
    for (const eventId of occurrence.eventIds) sample(state, eventId);
  }

  function sample(state: GroupState, eventId: string): void {
    // An event can feed several firings of overlapping windows: keep each id once.
    if (state.head.includes(eventId) || state.tail.includes(eventId)) return;
    if (state.head.length < headSize) state.head.push(eventId);
    else if (tailSize > 0) {
      state.tail.push(eventId);
      if (state.tail.length > tailSize) state.tail.shift();
    }
  }

  function alertOf(state: GroupState, occurrence: Occurrence, now: Date): Alert {
    const { rule } = occurrence;
    return {
      id: state.id,
      rule: { id: rule.id, title: rule.title, level: rule.level, tags: [...rule.tags], kind: rule.kind },
      severity: rule.level,
      status: 'new',
      assignee: null,
      organization: { ...state.organization },
      host: { ...(state.host ?? {}) },
      group: { ...occurrence.group },
      ...(state.threat === undefined ? {} : { threat: state.threat }),
      first_seen: new Date(state.firstSeen).toISOString(),
      last_seen: new Date(state.lastSeen).toISOString(),
      count: state.count,
      event_ids: [...state.head, ...state.tail],
      attack: attackFromTags(rule.tags),
      notes: [],
      history: [],
      created: state.created,
      updated: now.toISOString(),
    };
  }

  return {
    counted(occurrence) {
      if (occurrence.rule.kind !== 'match' || occurrence.eventIds.length !== 1) return false;
      const state = groups.get(`${occurrence.rule.id}|${groupKey(occurrence.group)}`);
      if (state === undefined || occurrence.time >= state.windowStart + windowMs) return false;
      const eventId = occurrence.eventIds[0]!;
      return state.head.includes(eventId) || state.tail.includes(eventId);
    },

    add(occurrence, now) {
      const key = groupKey(occurrence.group);
      const stateKey = `${occurrence.rule.id}|${key}`;
      let state = groups.get(stateKey);
      if (state === undefined || occurrence.time >= state.windowStart + windowMs) {
        state = open(occurrence, key, now);
        groups.set(stateKey, state);
      }
      join(state, occurrence);
      dirty.add(stateKey);
      return alertOf(state, occurrence, now);
    },

    advance(time) {
      for (const [key, state] of groups) {
        if (state.windowStart + windowMs < time - windowMs) {
          groups.delete(key);
          dirty.add(key);
        }
      }
    },

    get size() {
      return groups.size;
    },

    takeChanges() {
      const changes = [...dirty].map((key) => {
        const state = groups.get(key);
        return [key, state === undefined ? null : structuredClone(state)] as const;
      });
      dirty.clear();
      return { groups: changes };
    },

    snapshot() {
      return { groups: [...groups].map(([key, state]) => [key, state] as const) };
    },

    restore(entries) {
      for (const [key, state] of entries) {
        if (state === null) groups.delete(key);
        else groups.set(key, groupStateSchema.parse(state));
      }
    },
  };
}

/**
 * The machine both occurrences name, or null when they differ: an alert keeps a machine only
 * while every occurrence agrees on it (ids when either has one, else names), filling
 * in a name the first occurrence lacked.
 */
function sameHost(a: Alert['host'], b: Alert['host']): Alert['host'] | null {
  if (a.id !== undefined || b.id !== undefined) {
    if (a.id !== b.id) return null;
    const name = a.name ?? b.name;
    return { id: a.id, ...(name === undefined ? {} : { name }) };
  }
  return a.name === b.name ? a : null;
}
