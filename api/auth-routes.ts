// Sign in, sign out, who am I, and change my password. Sessions live in Accounts; the
// browser only holds an opaque token in an HttpOnly, SameSite=Strict cookie. Failed
// logins are throttled per username and per address (429 + Retry-After, decided before
// any password is hashed); every login, failed login, logout and password change goes
// to the audit log with the client's address.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { passwordSchema, type Accounts, type User } from '../core/accounts/accounts.ts';
import type { LoginThrottle } from '../core/accounts/login-throttle.ts';
import { BadInputError, RateLimitedError, UnauthorizedError } from '../core/errors.ts';
import { recordAudit } from './audit-record.ts';
import { parseRequest } from './parse-request.ts';
import { SESSION_COOKIE, requireUser, signedIn, userFromCookieHeader } from './session-auth.ts';

const loginSchema = z.object({ username: z.string().min(1).max(200), password: z.string().min(1).max(1000) });
const passwordChangeSchema = z.object({ oldPassword: z.string().min(1).max(1000), newPassword: passwordSchema });

export interface AuthDeps {
  accounts: Accounts;
  sessionHours: number;
  secureCookies: boolean;
  loginThrottle: LoginThrottle;
}

export async function authRoutes(app: FastifyInstance, deps: AuthDeps): Promise<void> {
  const { accounts, loginThrottle } = deps;
  const ttlMs = deps.sessionHours * 3600_000;

  const startSession = async (reply: FastifyReply, user: User) => {
    const token = await accounts.createSession(user.username, ttlMs);
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: deps.secureCookies,
      path: '/',
      maxAge: Math.floor(ttlMs / 1000),
    });
  };
  const refuseWhileThrottled = (username: string, address: string) => {
    const wait = loginThrottle.retryAfterSeconds(username, address);
    if (wait > 0) throw new RateLimitedError(`too many failed sign-ins; try again in ${wait} s`, 'api', wait);
  };

  app.post('/api/v1/auth/login', async (request, reply) => {
    const { username, password } = parseRequest(loginSchema, request.body, 'body');
    refuseWhileThrottled(username, request.ip);
    const user = await accounts.checkPassword(username, password);
    if (!user) {
      loginThrottle.recordFailure(username, request.ip);
      // A failed login for a real user is about that user's units; for an unknown name, SOC-only.
      const known = await accounts.getUser(username);
      await recordAudit(accounts, request, { actor: username, action: 'auth.login_failed', target: username, units: [known?.units] });
      throw new UnauthorizedError('wrong username or password', 'api');
    }
    loginThrottle.recordSuccess(username);
    await startSession(reply, user);
    await recordAudit(accounts, request, { actor: user.username, action: 'auth.login', target: user.username, units: [user.units] });
    return { user };
  });

  app.post('/api/v1/auth/logout', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    const user = token ? await accounts.getSession(token) : null;
    if (token) await accounts.deleteSession(token);
    if (user) await recordAudit(accounts, request, { actor: user.username, action: 'auth.logout', target: user.username, units: [user.units] });
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  app.get('/api/v1/auth/me', { preHandler: requireUser(accounts) }, async (request) => ({
    user: signedIn(request),
  }));

  // The console's first question on every page load, "is anyone signed in here?". Not
  // being signed in is a normal answer, not an error: 200 {signedIn:false}, so a fresh
  // browser does not log a failed request (a 401) before the sign-in form.
  app.get('/api/v1/auth/session', async (request) => {
    const user = await userFromCookieHeader(accounts, request.cookies[SESSION_COOKIE]);
    return user ? { signedIn: true, user } : { signedIn: false };
  });

  // The user's own change. It ends every session of the user, then signs this browser in again.
  app.post('/api/v1/auth/password', { preHandler: requireUser(accounts) }, async (request, reply) => {
    const { oldPassword, newPassword } = parseRequest(passwordChangeSchema, request.body, 'body');
    const user = signedIn(request);
    refuseWhileThrottled(user.username, request.ip);
    if (!(await accounts.changePassword(user.username, oldPassword, newPassword))) {
      // A stolen session must not become a password-guessing oracle.
      loginThrottle.recordFailure(user.username, request.ip);
      await recordAudit(accounts, request, { action: 'auth.password_change_failed', target: user.username, units: [user.units] });
      throw new BadInputError('the current password is wrong', 'api', { field: 'oldPassword' });
    }
    await startSession(reply, user);
    await recordAudit(accounts, request, { action: 'auth.password_change', target: user.username, units: [user.units] });
    return { user };
  });
}
