// A short hash of everything in a correlation rule that shapes its state (type, rules,
// group-by, field paths, timespan, condition). Saved with each group's state so that a
// restart after the rule changed drops the old state instead of misreading it.
import { createHash } from 'node:crypto';
import type { CompiledCorrelation } from './contract.ts';

export function correlationFingerprint(correlation: CompiledCorrelation): string {
  const shape = {
    type: correlation.type,
    rules: correlation.rules,
    groupBy: correlation.groupBy,
    fields: correlation.fields,
    timespanMs: correlation.timespanMs,
    condition: correlation.condition ?? null,
  };
  return createHash('sha256').update(stableJson(shape)).digest('hex').slice(0, 16);
}

/** JSON with object keys sorted, so the same rule always hashes the same whatever order its maps were built in. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${stableJson(record[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
