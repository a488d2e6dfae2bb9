// Sign in, sign out, and who am I. Sessions live in Accounts; the browser only holds an
// opaque token in an HttpOnly, SameSite=Strict cookie.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Accounts } from '../core/accounts/accounts.ts';
import { UnauthorizedError } from '../core/errors.ts';
import { parseRequest } from './parse-request.ts';
import { SESSION_COOKIE, requireUser, signedIn } from './session-auth.ts';

const loginSchema = z.object({ username: z.string().min(1).max(200), password: z.string().min(1).max(1000) });

export async function authRoutes(
  app: FastifyInstance,
  deps: { accounts: Accounts; sessionHours: number; secureCookies: boolean },
): Promise<void> {
  app.post('/api/v1/auth/login', async (request, reply) => {
    const { username, password } = parseRequest(loginSchema, request.body, 'body');
    const user = await deps.accounts.checkPassword(username, password);
    if (!user) throw new UnauthorizedError('wrong username or password', 'api');
    const ttlMs = deps.sessionHours * 3600_000;
    const token = await deps.accounts.createSession(user.username, ttlMs);
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: deps.secureCookies,
      path: '/',
      maxAge: Math.floor(ttlMs / 1000),
    });
    return { user };
  });

  app.post('/api/v1/auth/logout', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await deps.accounts.deleteSession(token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  app.get('/api/v1/auth/me', { preHandler: requireUser(deps.accounts) }, async (request) => ({
    user: signedIn(request),
  }));
}
