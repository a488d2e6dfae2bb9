// Which units a caller may see. Every Store read takes one, so tenancy is enforced
// where the data is read, not remembered by each route.
export type Scope = { kind: 'all' } | { kind: 'units'; units: readonly string[] };

export const ALL_UNITS: Scope = { kind: 'all' };

export function scopeAllows(scope: Scope, unitId: string): boolean {
  return scope.kind === 'all' || scope.units.includes(unitId);
}

/** Who is acting, for alert history. */
export interface Actor {
  username: string;
}
