// A caller's Scope as a query filter, for every read of events and alerts alike. Like
// the embedded store: a SOC-wide scope sees everything, alerts of organization `*`
// (spanning units) included; a unit scope sees exactly its units' ids, so `*` never.
import type { Scope } from '../../ports/scope.ts';

export type Filter = Record<string, unknown>;

/** The filters to add (none for a SOC-wide scope), or null when the scope can see nothing. */
export function scopeFilters(scope: Scope): Filter[] | null {
  if (scope.kind === 'all') return [];
  if (scope.units.length === 0) return null;
  return [{ terms: { 'organization.id': [...scope.units] } }];
}

/** `from` inclusive, `to` exclusive, on a date field; bounds are UTC ISO already. */
export function rangeFilters(field: string, range: { from?: string; to?: string }): Filter[] {
  if (range.from === undefined && range.to === undefined) return [];
  const bounds: Record<string, string> = { format: 'strict_date_optional_time' };
  if (range.from !== undefined) bounds['gte'] = range.from;
  if (range.to !== undefined) bounds['lt'] = range.to;
  return [{ range: { [field]: bounds } }];
}
