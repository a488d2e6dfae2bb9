// People's sessions: the login cookie (HttpOnly, SameSite=Strict) and the guards routes
// use to require a signed-in user of a given role. The user's Scope is derived here once
// so every read passes it to the Store. Every request looks its session up afresh, so a
// session ended anywhere (logout, expiry, disable, delete, password or scope change) is
// refused on the very next request.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Accounts, Role, User } from '../core/accounts/accounts.ts';
import { scopeOfUser } from '../core/accounts/admin-policy.ts';
import { ForbiddenError, UnauthorizedError } from '../core/errors.ts';
import type { Scope } from '../core/ports/scope.ts';

export const SESSION_COOKIE = 'vigil_session';

declare module 'fastify' {
  interface FastifyRequest {
    user?: User;
  }
}

export function scopeOf(user: User): Scope {
  return scopeOfUser(user);
}

export async function userFromCookieHeader(accounts: Accounts, token: string | undefined): Promise<User | null> {
  return token ? accounts.getSession(token) : null;
}

/** A preHandler that admits a signed-in user whose role is one of `roles` (any role when empty). */
export function requireUser(accounts: Accounts, ...roles: Role[]) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const user = await userFromCookieHeader(accounts, request.cookies[SESSION_COOKIE]);
    if (!user) throw new UnauthorizedError('sign in first', 'api');
    if (roles.length > 0 && !roles.includes(user.role)) {
      throw new ForbiddenError(`this needs the role ${roles.join(' or ')}; you are ${user.role}`, 'api');
    }
    request.user = user;
  };
}

/** The user a guarded route was admitted with. */
export function signedIn(request: FastifyRequest): User {
  if (!request.user) throw new UnauthorizedError('sign in first', 'api');
  return request.user;
}
