// Notices sources that stop sending while they normally send: an agent whose antivirus
// was switched off or uninstalled, a unit whose link or collector went down. Government
// PCs are off at night and at weekends, so "normally" is learned per source and hour of
// day: for each of the last days, which local hours it was heard in.
// Deterministic: time comes only from the caller (event time), so a replay raises the
// same alerts, and the state persists and restores like the correlation engine's.
//
// Agents also say they are alive when they have nothing to send (heartbeats, timed by
// Vigil's clock on receipt). A heartbeat ends or prevents a silence of its agent and
// unit, but teaches nothing about hours: it comes at every hour the agent runs, and
// would make a source that is only ever heard in office hours look always heard.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Alert } from '../../core/schemas/alert.ts';
import type { Organization } from '../../core/schemas/event.ts';
import { attackFromTags } from '../alert-from-match.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Days of history a source is judged on. */
const LEARNED_DAYS = 7;
/** A source silent longer than this is forgotten (an unplugged PC is not a week-long alert). */
const FORGET_AFTER_MS = LEARNED_DAYS * DAY_MS;

export interface SilenceOptions {
  /** How long an agent must be silent, all of it in hours it is normally heard in. */
  readonly agentSilentAfterMs: number;
  /** The same for a whole unit: shorter, as a unit of many PCs is never quiet by chance. */
  readonly unitSilentAfterMs: number;
  /** The offset of local time from UTC, which decides what "10:00" and "a day" are. */
  readonly utcOffsetMinutes: number;
  /** A source is expected in an hour it was heard in on at least this many of the last 7 days. */
  readonly minActiveDays: number;
  /** Most sources held; a new source beyond it is refused and counted. */
  readonly maxSources: number;
}

export const defaultSilenceOptions: SilenceOptions = Object.freeze({
  agentSilentAfterMs: 2 * HOUR_MS,
  unitSilentAfterMs: 30 * 60_000,
  utcOffsetMinutes: 420, // Vietnam, UTC+7
  minActiveDays: 3,
  maxSources: 100_000,
});

/** What one batch heard from one source: its last event time. */
export interface SilenceActivity {
  readonly time: number;
  readonly organization: Organization;
  /** agent.id, when the event carried one. */
  readonly agent?: string;
  readonly host?: { readonly id?: string; readonly name?: string };
  /** Events heard; zero means nothing was. */
  readonly count: number;
}

/** An agent's heartbeat: alive at `time` (Vigil's clock), though it may have had nothing to send. */
export interface SilenceHeartbeat {
  readonly time: number;
  readonly organization: Organization;
  /** The agent's id: the agent.id of its events that carry none of their own. */
  readonly agent: string;
}

export type SourceKind = 'agent' | 'unit';

/** A source currently in a reported silence, for the console's health view. */
export interface SilentSource {
  readonly kind: SourceKind;
  readonly id: string;
  /** The unit's id. */
  readonly unit: string;
  readonly lastSeen: string;
}

export interface SilenceChanges {
  /** Monitor-wide counters. */
  readonly meta: { readonly refused: number };
  /** Per source key: its state, or null when it was forgotten. */
  readonly groups: readonly (readonly [key: string, state: unknown])[];
}

export interface SilenceMonitor {
  /** Records that a source was heard. A later time ends its silence episode, if any. */
  observe(activity: SilenceActivity): void;
  /**
   * Records that an agent (and so its unit) is alive: a later time ends or postpones
   * their silence like an event would, but no hour is learned from it, and a source
   * never heard through events is not started by it (there is nothing to watch yet).
   */
  alive(heartbeat: SilenceHeartbeat): void;
  /** Moves event time to `now`: returns the silences that began by then, in time order, and forgets long-silent sources. */
  advance(now: number): Alert[];
  silent(): SilentSource[];
  /** Sources held. */
  readonly size: number;
  /** New sources refused because `maxSources` was reached. */
  readonly refused: number;
  takeChanges(): SilenceChanges;
  /** Every source's state, as `takeChanges` would give it had everything changed; live objects: encode before the next change. */
  snapshot(): SilenceChanges;
  /** Loads what `takeChanges` returned over time; only on a fresh monitor. */
  restore(groups: Iterable<readonly [key: string, state: unknown]>, meta?: unknown): void;
}

const RULES: Record<SourceKind, Alert['rule']> = {
  agent: {
    id: 'vigil-silent-agent',
    title: 'Agent went silent',
    level: 'medium',
    // Silence is what disabling or killing the antivirus looks like from here.
    tags: ['attack.defense-evasion', 'attack.t1562.001'],
    kind: 'correlation',
  },
  unit: {
    id: 'vigil-silent-unit',
    title: 'Unit went silent',
    level: 'high',
    tags: ['attack.defense-evasion', 'attack.t1562.001'],
    kind: 'correlation',
  },
};

const sourceStateSchema = z.object({
  kind: z.enum(['agent', 'unit']),
  id: z.string(),
  unit: z.object({ id: z.string().min(1), name: z.string() }),
  host: z.object({ id: z.string().optional(), name: z.string().optional() }).optional(),
  lastSeen: z.number(),
  /** The local day number (days since the epoch, local time) of `hours[0]`: the newest day heard. */
  day: z.number().int(),
  /**
   * 24-bit masks of the local hours the source was heard in, newest day first:
   * `hours[i]` is day `day - i`. Eight days, so that on the day after the newest one
   * the seven days before are still known.
   */
  hours: z.array(z.number().int().nonnegative()).length(LEARNED_DAYS + 1),
  /** Whether the current silence (since lastSeen) was reported. */
  reported: z.boolean(),
});
type SourceState = z.infer<typeof sourceStateSchema>;

const metaSchema = z.object({ refused: z.number().int().nonnegative() });

/** sha256 of `silence|<kind>|<id>|<last seen, ISO>`, first 32 hex characters: one id per episode. */
export function silenceAlertId(kind: SourceKind, id: string, lastSeen: number): string {
  return createHash('sha256').update(`silence|${kind}|${id}|${new Date(lastSeen).toISOString()}`).digest('hex').slice(0, 32);
}

export function createSilenceMonitor(partial: Partial<SilenceOptions> = {}): SilenceMonitor {
  const options: SilenceOptions = { ...defaultSilenceOptions, ...partial };
  const offsetMs = options.utcOffsetMinutes * 60_000;
  const silentAfter: Record<SourceKind, number> = {
    agent: options.agentSilentAfterMs,
    unit: options.unitSilentAfterMs,
  };
  for (const [name, value] of Object.entries(silentAfter)) {
    if (!(value > 0)) throw new RangeError(`${name} silentAfterMs must be positive, got ${value}`);
  }

  const sources = new Map<string, SourceState>();
  /** When each source's current silence becomes reportable (null: never). Derived, not persisted. */
  const due = new Map<string, number | null>();
  const dirty = new Set<string>();
  let refused = 0;

  const localDay = (time: number) => Math.floor((time + offsetMs) / DAY_MS);
  const localHour = (time: number) => Math.floor((time + offsetMs - localDay(time) * DAY_MS) / HOUR_MS);
  const hourStart = (time: number) => Math.floor((time + offsetMs) / HOUR_MS) * HOUR_MS - offsetMs;

  function maskOf(state: SourceState, day: number): number {
    const age = state.day - day;
    return age >= 0 && age <= LEARNED_DAYS ? (state.hours[age] ?? 0) : 0;
  }

  /** Whether the source was heard in local hour `hour` (-1 and 24 reach into the days either side) of `day`. */
  function heard(state: SourceState, day: number, hour: number): boolean {
    if (hour < 0) return heard(state, day - 1, hour + 24);
    if (hour > 23) return heard(state, day + 1, hour - 24);
    return (maskOf(state, day) & (1 << hour)) !== 0;
  }

  /**
   * Whether the source was on through a whole hour of a day: heard in it and in the
   * hours either side. Being heard in an hour only says it was on for part of it; an
   * office PC switched off at 17:20 is heard in the 17:00 hour every day, and its
   * silence at 17:30 is its evening, not an incident.
   */
  function onThrough(state: SourceState, day: number, hour: number): boolean {
    return heard(state, day, hour - 1) && heard(state, day, hour) && heard(state, day, hour + 1);
  }

  /**
   * Whether the source is normally on at `time`: through that local hour on at least
   * `minActiveDays` of the 7 days before, one of them the same weekday a week ago.
   * That last condition keeps office PCs quiet at weekends: five working days would
   * otherwise make Saturday 10:00 look like a normal hour.
   */
  function expected(state: SourceState, time: number): boolean {
    const day = localDay(time);
    const hour = localHour(time);
    if (!onThrough(state, day - LEARNED_DAYS, hour)) return false;
    let days = 0;
    for (let d = day - LEARNED_DAYS; d < day; d += 1) if (onThrough(state, d, hour)) days += 1;
    return days >= options.minActiveDays;
  }

  /**
   * The earliest time the source's silence is reportable: at least silentAfterMs after
   * lastSeen, with that whole span in expected hours. Nothing is heard after lastSeen,
   * so what was learned cannot change until it is: the answer is computed once.
   */
  function dueAt(state: SourceState): number | null {
    const span = silentAfter[state.kind];
    const giveUp = state.lastSeen + FORGET_AFTER_MS;
    let time = state.lastSeen + span;
    search: while (time <= giveUp) {
      // Walk the span's hours from the newest back; an unexpected one moves the end
      // to a full span after it.
      for (let hour = hourStart(time - 1); hour + HOUR_MS > time - span; hour -= HOUR_MS) {
        if (!expected(state, hour)) {
          time = hour + HOUR_MS + span;
          continue search;
        }
      }
      return time;
    }
    return null;
  }

  function dueOf(key: string, state: SourceState): number | null {
    let at = due.get(key);
    if (at === undefined) {
      at = dueAt(state);
      due.set(key, at);
    }
    return at;
  }

  function hear(kind: SourceKind, id: string, activity: SilenceActivity): void {
    const key = `${kind}|${id}`;
    const { time } = activity;
    const day = localDay(time);
    let state = sources.get(key);
    if (state === undefined) {
      if (sources.size >= options.maxSources) {
        refused += 1;
        return;
      }
      state = { kind, id, unit: { ...activity.organization }, lastSeen: time, day, hours: new Array<number>(LEARNED_DAYS + 1).fill(0), reported: false };
      sources.set(key, state);
    }
    if (day > state.day) {
      const shift = day - state.day;
      const older = state.hours;
      state.hours = older.map((_, age) => (age >= shift ? (older[age - shift] ?? 0) : 0));
      state.day = day;
    }
    const age = state.day - day;
    if (age <= LEARNED_DAYS) state.hours[age] = (state.hours[age] ?? 0) | (1 << localHour(time));
    if (time >= state.lastSeen) {
      // Heard again: a reported silence is over, and the next one is a new episode.
      if (time > state.lastSeen) state.reported = false;
      state.lastSeen = time;
      state.unit = { ...activity.organization };
      if (kind === 'agent' && activity.host !== undefined) state.host = { ...activity.host };
    }
    due.delete(key);
    dirty.add(key);
  }

  /** A heartbeat: the source's silence, if any, ends at `time`; what it is normally heard in stays as learned. */
  function keepAlive(kind: SourceKind, id: string, unit: string, time: number): void {
    const key = `${kind}|${id}`;
    const state = sources.get(key);
    // An agent key speaks only for its own unit's sources, whatever ids events elsewhere carry.
    if (state === undefined || state.unit.id !== unit || !(time > state.lastSeen)) return;
    state.lastSeen = time;
    state.reported = false;
    due.delete(key);
    dirty.add(key);
  }

  /** Whether the agent's unit is in a reported silence that began being reportable by `at`. */
  function coveredByUnit(agent: SourceState, at: number): boolean {
    const key = `unit|${agent.unit.id}`;
    const unit = sources.get(key);
    if (unit === undefined || !unit.reported) return false;
    const unitAt = dueOf(key, unit);
    return unitAt !== null && unitAt <= at;
  }

  function alertOf(state: SourceState, at: number, now: number): Alert {
    const rule = RULES[state.kind];
    const created = new Date(now).toISOString();
    return {
      id: silenceAlertId(state.kind, state.id, state.lastSeen),
      rule: { ...rule, tags: [...rule.tags] },
      severity: rule.level,
      status: 'new',
      assignee: null,
      organization: { ...state.unit },
      host: state.kind === 'agent' ? { ...(state.host ?? {}) } : {},
      // An agent is named by agent.id, or by host.id when the events carried no agent id.
      group: state.kind === 'agent' ? { 'organization.id': state.unit.id, 'agent.id': state.id } : { 'organization.id': state.unit.id },
      // From the last time it was heard to the time its silence became abnormal.
      first_seen: new Date(state.lastSeen).toISOString(),
      last_seen: new Date(at).toISOString(),
      count: 1,
      event_ids: [],
      attack: attackFromTags(rule.tags),
      notes: [],
      history: [],
      created,
      updated: created,
    };
  }

  return {
    observe(activity) {
      if (!(activity.count > 0)) return;
      hear('unit', activity.organization.id, activity);
      const agent = activity.agent ?? activity.host?.id;
      if (agent !== undefined) hear('agent', agent, activity);
    },

    alive(heartbeat) {
      if (!Number.isFinite(heartbeat.time)) return;
      const unit = heartbeat.organization.id;
      keepAlive('unit', unit, unit, heartbeat.time);
      keepAlive('agent', heartbeat.agent, unit, heartbeat.time);
    },

    advance(now) {
      const candidates: { key: string; state: SourceState; at: number }[] = [];
      for (const [key, state] of sources) {
        if (state.lastSeen < now - FORGET_AFTER_MS) {
          sources.delete(key);
          due.delete(key);
          dirty.add(key);
          continue;
        }
        if (state.reported || state.lastSeen + silentAfter[state.kind] > now) continue;
        const at = dueOf(key, state);
        if (at !== null && at <= now) candidates.push({ key, state, at });
      }
      // Units first, so that an agent whose whole unit had already gone silent is left
      // to the unit's one alert (an outage or a holiday is then one alert, not one per
      // PC); it is reported on its own if it stays silent after the unit speaks again.
      const raised: { at: number; alert: Alert }[] = [];
      for (const kind of ['unit', 'agent'] as const) {
        for (const { key, state, at } of candidates) {
          if (state.kind !== kind || (kind === 'agent' && coveredByUnit(state, at))) continue;
          state.reported = true;
          dirty.add(key);
          raised.push({ at, alert: alertOf(state, at, now) });
        }
      }
      return raised
        .sort((a, b) => a.at - b.at || compare(a.alert.rule.id, b.alert.rule.id) || compare(a.alert.id, b.alert.id))
        .map(({ alert }) => alert);
    },

    silent() {
      return [...sources.values()]
        .filter((state) => state.reported)
        .sort((a, b) => a.lastSeen - b.lastSeen || compare(a.kind, b.kind) || compare(a.id, b.id))
        .map((state) => ({ kind: state.kind, id: state.id, unit: state.unit.id, lastSeen: new Date(state.lastSeen).toISOString() }));
    },

    get size() {
      return sources.size;
    },

    get refused() {
      return refused;
    },

    takeChanges() {
      const groups = [...dirty].map((key) => {
        const state = sources.get(key);
        return [key, state === undefined ? null : structuredClone(state)] as const;
      });
      dirty.clear();
      return { meta: { refused }, groups };
    },

    snapshot() {
      return { meta: { refused }, groups: [...sources].map(([key, state]) => [key, state] as const) };
    },

    restore(groups, meta) {
      if (meta !== undefined && meta !== null) refused = metaSchema.parse(meta).refused;
      for (const [key, state] of groups) {
        due.delete(key);
        if (state === null) sources.delete(key);
        else sources.set(key, sourceStateSchema.parse(state));
      }
    },
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
