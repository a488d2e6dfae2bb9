// The engine's persisted form: engine-wide meta (event time, counters) and one plain
// JSON record per group, and the zod schemas that check both when they are read back,
// since a state file may be old, truncated or from another version.
import { z } from 'zod';
import type { CorrelationGroup } from './correlation-group.ts';
import type { EntryHost, EntryUnit } from './group-entries.ts';

const unitSchema = z.object({ id: z.string(), name: z.string() });
const hostSchema = z.object({ id: z.string().optional(), name: z.string().optional() });

const lateSignalSchema = z.object({
  correlation: z.string(),
  eventId: z.string(),
  time: z.number(),
  watermark: z.number(),
});
export type LateSignal = z.infer<typeof lateSignalSchema>;

const counterSchema = z.record(z.string(), z.number().int().nonnegative());

export const engineMetaSchema = z.object({
  version: z.literal(1),
  /** Largest event time seen (signal or advance); null before the first. */
  maxTime: z.number().nullable(),
  late: counterSchema,
  groupsRefused: counterSchema,
  entriesDropped: counterSchema,
  /** Newest first. */
  recentLate: z.array(lateSignalSchema),
});
export type EngineMeta = z.infer<typeof engineMetaSchema>;

/** One group: its entries as parallel arrays, units and hosts interned per group. */
export const groupStateSchema = z
  .object({
    version: z.literal(1),
    correlation: z.string(),
    fingerprint: z.string(),
    group: z.array(z.string().nullable()),
    closeTime: z.boolean(),
    times: z.array(z.number()),
    eventIds: z.array(z.string()),
    rules: z.array(z.number().int().nonnegative()),
    values: z.array(z.union([z.string(), z.number()])).nullable(),
    units: z.array(unitSchema),
    /** Per entry: index into `units`, or -1 for a multi-unit chained signal. */
    unitOf: z.array(z.number().int()),
    hosts: z.array(hostSchema),
    /** Per entry: index into `hosts`, or -1 when the signal had no host. */
    hostOf: z.array(z.number().int()),
  })
  .refine(
    (state) =>
      [state.eventIds, state.rules, state.unitOf, state.hostOf, state.values ?? state.times].every(
        (column) => column.length === state.times.length,
      ),
    'every entry column has one value per time',
  );
export type GroupState = z.infer<typeof groupStateSchema>;

export function encodeGroup(group: CorrelationGroup): GroupState {
  const entries = group.entries;
  const units = new Interner<EntryUnit>((unit) => unit.id);
  const hosts = new Interner<EntryHost>((host) => `${host.id ?? ''}\u0000${host.name ?? ''}`);
  const unitOf: number[] = [];
  const hostOf: number[] = [];
  for (let index = entries.head; index < entries.end; index++) {
    const unit = entries.units[index];
    const host = entries.hosts[index];
    unitOf.push(unit === undefined ? -1 : units.indexOf({ id: unit.id, name: unit.name }));
    hostOf.push(host === undefined ? -1 : hosts.indexOf(plainHost(host)));
  }
  return {
    version: 1,
    correlation: group.plan.id,
    fingerprint: group.plan.fingerprint,
    group: [...group.values],
    closeTime: group.closeTime,
    times: entries.times.slice(entries.head),
    eventIds: entries.eventIds.slice(entries.head),
    rules: entries.rules.slice(entries.head),
    values: entries.withValues ? entries.values.slice(entries.head) : null,
    units: units.values,
    unitOf,
    hosts: hosts.values,
    hostOf,
  };
}

function plainHost(host: EntryHost): EntryHost {
  const plain: { id?: string; name?: string } = {};
  if (host.id !== undefined) plain.id = host.id;
  if (host.name !== undefined) plain.name = host.name;
  return plain;
}

class Interner<T> {
  readonly values: T[] = [];
  private readonly indexByKey = new Map<string, number>();

  constructor(private readonly keyOf: (value: T) => string) {}

  indexOf(value: T): number {
    const key = this.keyOf(value);
    let index = this.indexByKey.get(key);
    if (index === undefined) {
      index = this.values.push(value) - 1;
      this.indexByKey.set(key, index);
    }
    return index;
  }
}
