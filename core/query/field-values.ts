// The Events view's field sidebar: the most frequent values of each field among a
// sample of the events a search matched (the newest ones: the caller bounds how many).
// Counting a sample, not the whole result, keeps the sidebar instant on millions of
// events and the same on every store; the answer says how many events it looked at.

/** Fields whose values are (nearly) unique per event or too large: no use as a filter. */
const SKIPPED_FIELDS = new Set(['@timestamp', 'event.id', 'event.ingested', 'event.original']);
/** Longer values are left out: a filter on a 4 kB command line is not a click anyone needs. */
const MAX_VALUE_CHARS = 256;
export const TOP_VALUES_PER_FIELD = 5;
export const MAX_SIDEBAR_FIELDS = 60;

export interface FieldValues {
  field: string;
  /** Events in the sample that have this field. */
  events: number;
  /** Most frequent first, ties by value; at most TOP_VALUES_PER_FIELD. */
  values: { value: string; count: number }[];
}

export function topFieldValues(events: readonly unknown[]): FieldValues[] {
  const byField = new Map<string, { events: number; counts: Map<string, number> }>();
  for (const event of events) {
    const seen = new Map<string, Set<string>>();
    collect(event, '', seen);
    for (const [field, values] of seen) {
      let entry = byField.get(field);
      if (entry === undefined) {
        entry = { events: 0, counts: new Map() };
        byField.set(field, entry);
      }
      entry.events++;
      for (const value of values) entry.counts.set(value, (entry.counts.get(value) ?? 0) + 1);
    }
  }
  const fields: FieldValues[] = [];
  for (const [field, { events: count, counts }] of byField) {
    const values = [...counts]
      .map(([value, n]) => ({ value, count: n }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
      .slice(0, TOP_VALUES_PER_FIELD);
    fields.push({ field, events: count, values });
  }
  return fields.sort((a, b) => b.events - a.events || (a.field < b.field ? -1 : 1)).slice(0, MAX_SIDEBAR_FIELDS);
}

/** Each field's distinct scalar values in one event (an array counts each element once). */
function collect(value: unknown, path: string, seen: Map<string, Set<string>>): void {
  if (Array.isArray(value)) {
    for (const item of value) if (!isObject(item)) add(item, path, seen);
    return;
  }
  if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) collect(child, path === '' ? key : `${path}.${key}`, seen);
    return;
  }
  add(value, path, seen);
}

function add(value: unknown, path: string, seen: Map<string, Set<string>>): void {
  if (path === '' || SKIPPED_FIELDS.has(path)) return;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return;
  const text = String(value);
  if (text === '' || text.length > MAX_VALUE_CHARS) return;
  let values = seen.get(path);
  if (values === undefined) {
    values = new Set();
    seen.set(path, values);
  }
  values.add(text);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
