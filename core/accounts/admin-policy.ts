// Who may administer what. A SOC-wide admin (units: all) administers everything; a
// unit-scoped admin administers only its units, the agents of those units and the users
// whose units all lie within them, and can never grant a scope or a role wider than its
// own. Pure functions, so the rules are tested once and every route asks the same ones.
import type { Scope } from '../ports/scope.ts';
import { unitsWithin, type Role, type User, type UserUnits } from './accounts.ts';

const RANK: Record<Role, number> = { viewer: 1, analyst: 2, admin: 3 };

export function scopeOfUser(user: Pick<User, 'units'>): Scope {
  return user.units === 'all' ? { kind: 'all' } : { kind: 'units', units: user.units };
}

export function isSocWide(user: Pick<User, 'units'>): boolean {
  return user.units === 'all';
}

/** Whether `actor` administers `unitId` (agents, renaming). */
export function administersUnit(actor: User, unitId: string): boolean {
  return actor.role === 'admin' && unitsWithin([unitId], scopeOfUser(actor));
}

/** Whether `actor` may see and manage the user `target` (all of the target's units are the actor's). */
export function administersUser(actor: User, target: Pick<User, 'units'>): boolean {
  return actor.role === 'admin' && unitsWithin(target.units, scopeOfUser(actor));
}

/** Why `actor` may not grant `role` over `units`, or null when it may. */
export function grantProblem(actor: User, grant: { role?: Role; units?: UserUnits }): string | null {
  if (actor.role !== 'admin') return 'only admins manage users';
  if (grant.role !== undefined && RANK[grant.role] > RANK[actor.role]) return `you cannot grant the role ${grant.role}`;
  if (grant.units !== undefined && !unitsWithin(grant.units, scopeOfUser(actor))) {
    return grant.units === 'all'
      ? 'only a SOC-wide admin can grant all units'
      : `you administer only ${(actor.units as string[]).join(', ')}; you cannot grant ${grant.units.filter((u) => !(actor.units as string[]).includes(u)).join(', ')}`;
  }
  return null;
}
