// Issue 9, defect 5: sessions did not end. Now logout, expiry, disable, delete, a password
// reset or change, and a role or units change each end the session for REST at once and
// close an open alert stream within seconds (code 4401), checked with a real WebSocket
// client. Failed logins are throttled per user and per address (429 + Retry-After), and
// password hashing is bounded: logins beyond the limit queue.
import WebSocket from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../core/accounts/accounts.ts';
import { SESSION_CHECK_MS, SESSION_ENDED_CODE } from '../../api/stream-hub.ts';
import { PASSWORD, startApiHarness, type ApiHarness } from './api-harness.ts';

interface OpenStream {
  socket: WebSocket;
  closed: Promise<{ code: number; reason: string; afterMs: number }>;
  /** Marks the moment the change was made, to measure how long the stream stayed open. */
  markChange(): void;
}

async function openStream(url: string, cookie: string): Promise<OpenStream> {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/stream`, { headers: { Cookie: cookie } });
  let changedAt = Date.now();
  const closed = new Promise<{ code: number; reason: string; afterMs: number }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString(), afterMs: Date.now() - changedAt })),
  );
  // The hub says `ready` once it registered the socket.
  await new Promise<void>((resolve, reject) => {
    socket.once('message', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => reject(new Error(`stream refused: HTTP ${res.statusCode}`)));
  });
  return { socket, closed, markChange: () => (changedAt = Date.now()) };
}

describe('sessions end everywhere, the alert stream included', () => {
  let api: ApiHarness;
  let socAdmin: string;

  beforeEach(async () => {
    api = await startApiHarness();
    socAdmin = await api.userWithSession({ username: 'soc-admin', role: 'admin', units: 'all' });
    await api.accounts.createUser({ username: 'officer', role: 'viewer', units: ['unit-a'] }, PASSWORD);
  });
  afterEach(async () => {
    await api?.close();
  });

  const endings: Array<[string, (officer: string) => Promise<unknown>]> = [
    ['logout', (officer) => api.request('POST', '/api/v1/auth/logout', { cookie: officer })],
    ['disable', () => api.request('PATCH', '/api/v1/users/officer', { cookie: socAdmin, body: { disabled: true } })],
    ['delete', () => api.request('DELETE', '/api/v1/users/officer', { cookie: socAdmin })],
    ['password reset by an admin', () => api.request('POST', '/api/v1/users/officer/password', { cookie: socAdmin, body: { password: 'reset-password' } })],
    ['role change', () => api.request('PATCH', '/api/v1/users/officer', { cookie: socAdmin, body: { role: 'analyst' } })],
    ['units change', () => api.request('PATCH', '/api/v1/users/officer', { cookie: socAdmin, body: { units: ['unit-a', 'unit-b'] } })],
  ];
  for (const [what, end] of endings) {
    it(`${what} refuses the session at once and closes the open stream within seconds`, async () => {
      const officer = await api.sessionFor('officer');
      const stream = await openStream(api.url, officer);
      expect((await api.request('GET', '/api/v1/auth/me', { cookie: officer })).statusCode).toBe(200);
      stream.markChange();
      const res = (await end(officer)) as { statusCode: number; body: string };
      expect(res.statusCode, res.body).toBeLessThan(300);
      expect((await api.request('GET', '/api/v1/alerts', { cookie: officer })).statusCode).toBe(401);
      const closed = await stream.closed;
      expect(closed.code).toBe(SESSION_ENDED_CODE);
      expect(closed.afterMs).toBeLessThan(SESSION_CHECK_MS * 2 + 1000);
    });
  }

  it('expiry closes the stream', async () => {
    const officer = await api.sessionFor('officer', 1500);
    const stream = await openStream(api.url, officer);
    const closed = await stream.closed;
    expect(closed.code).toBe(SESSION_ENDED_CODE);
    expect((await api.request('GET', '/api/v1/auth/me', { cookie: officer })).statusCode).toBe(401);
  });

  it("one's own password change ends every other session, keeps this browser signed in, and needs the old password", async () => {
    const thisBrowser = await api.sessionFor('officer');
    const otherBrowser = await api.sessionFor('officer');
    const otherStream = await openStream(api.url, otherBrowser);

    const wrong = await api.request('POST', '/api/v1/auth/password', { cookie: thisBrowser, body: { oldPassword: 'wrong-password', newPassword: 'new-password' } });
    expect(wrong.statusCode).toBe(400);
    expect((await api.request('GET', '/api/v1/auth/me', { cookie: otherBrowser })).statusCode).toBe(200);

    otherStream.markChange();
    const res = await api.request('POST', '/api/v1/auth/password', { cookie: thisBrowser, body: { oldPassword: PASSWORD, newPassword: 'new-password' } });
    expect(res.statusCode, res.body).toBe(200);
    const renewed = String(res.headers['set-cookie']).split(';')[0]!;
    expect((await api.request('GET', '/api/v1/auth/me', { cookie: renewed })).json()).toMatchObject({ user: { username: 'officer' } });
    expect((await api.request('GET', '/api/v1/auth/me', { cookie: thisBrowser })).statusCode).toBe(401);
    expect((await api.request('GET', '/api/v1/auth/me', { cookie: otherBrowser })).statusCode).toBe(401);
    expect((await otherStream.closed).code).toBe(SESSION_ENDED_CODE);

    const audit = (await api.request('GET', '/api/v1/audit?actor=officer', { cookie: socAdmin })).json() as { items: AuditEntry[] };
    expect(audit.items.map((e) => e.action)).toEqual(['auth.password_change', 'auth.password_change_failed']);
  });

  it('an unrelated change keeps the stream open', async () => {
    const officer = await api.sessionFor('officer');
    const stream = await openStream(api.url, officer);
    let closed = false;
    void stream.closed.then(() => (closed = true));
    await api.request('PATCH', '/api/v1/units/unit-a', { cookie: socAdmin, body: { name: 'Renamed' } });
    await api.accounts.createUser({ username: 'someone-else', role: 'viewer', units: ['unit-a'] }, PASSWORD);
    // A whole session check must pass without closing it; "nothing happened" has no event to wait for.
    await new Promise((resolve) => setTimeout(resolve, SESSION_CHECK_MS + 500));
    expect(closed).toBe(false);
    stream.socket.close();
  });
});

describe('login throttling', () => {
  let api: ApiHarness;
  beforeEach(async () => {
    api = await startApiHarness({ security: { loginMaxFailures: 3, loginWindowMs: 60_000 } });
    await api.accounts.createUser({ username: 'officer', role: 'viewer', units: ['unit-a'] }, PASSWORD);
    await api.accounts.createUser({ username: 'colleague', role: 'viewer', units: ['unit-a'] }, PASSWORD);
  });
  afterEach(async () => {
    await api?.close();
  });

  const login = (username: string, password: string, remoteAddress: string) =>
    api.request('POST', '/api/v1/auth/login', { body: { username, password }, remoteAddress });

  it('refuses a user after too many failures with 429 and Retry-After, from any address, even with the right password', async () => {
    for (let i = 0; i < 3; i += 1) expect((await login('officer', 'wrong-password', '10.0.0.1')).statusCode).toBe(401);
    const refused = await login('officer', PASSWORD, '10.0.0.2');
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(refused.json()).toMatchObject({ error: { code: 'rate_limited' } });
    expect(refused.headers['set-cookie']).toBeUndefined();
    // Another user from another address is not affected.
    expect((await login('colleague', PASSWORD, '10.0.0.3')).statusCode).toBe(200);
  });

  it('refuses an address spraying many usernames', async () => {
    for (const name of ['a', 'b', 'c']) expect((await login(name, 'wrong-password', '10.0.0.9')).statusCode).toBe(401);
    expect((await login('colleague', PASSWORD, '10.0.0.9')).statusCode).toBe(429);
    expect((await login('colleague', PASSWORD, '10.0.0.10')).statusCode).toBe(200);
  });

  it('a success clears the user\'s count', async () => {
    for (let i = 0; i < 2; i += 1) await login('officer', 'wrong-password', `10.0.1.${i}`);
    expect((await login('officer', PASSWORD, '10.0.1.9')).statusCode).toBe(200);
    for (let i = 0; i < 2; i += 1) expect((await login('officer', 'wrong-password', `10.0.2.${i}`)).statusCode).toBe(401);
    expect((await login('officer', PASSWORD, '10.0.2.9')).statusCode).toBe(200);
  });

  it('records every login and failed login with the source address', async () => {
    await login('officer', 'wrong-password', '10.9.8.7');
    await login('officer', PASSWORD, '10.9.8.6');
    await login('nobody', 'wrong-password', '10.9.8.5');
    const entries = (await api.accounts.listAudit({ limit: 10 })).items;
    expect(entries.map((e) => [e.action, e.actor, e.source, e.units])).toEqual([
      ['auth.login_failed', 'nobody', '10.9.8.5', []],
      ['auth.login', 'officer', '10.9.8.6', ['unit-a']],
      ['auth.login_failed', 'officer', '10.9.8.7', ['unit-a']],
    ]);
  });
});

describe('password hashing is bounded', () => {
  it('logins beyond the limit queue for a hashing slot, and all of them complete', async () => {
    const api = await startApiHarness({ passwordHashConcurrency: 2, security: { loginMaxFailures: 100, loginWindowMs: 60_000 } });
    try {
      await api.accounts.createUser({ username: 'officer', role: 'viewer', units: ['unit-a'] }, PASSWORD);
      const logins = Array.from({ length: 16 }, (_, i) =>
        api.request('POST', '/api/v1/auth/login', { body: { username: 'officer', password: i % 4 ? PASSWORD : 'wrong-password' } }),
      );
      let queuedSeen = 0;
      const watching = (async () => {
        for (let i = 0; i < 10_000 && queuedSeen === 0; i += 1) {
          queuedSeen = api.hasher.stats().queued;
          expect(api.hasher.stats().active).toBeLessThanOrEqual(2);
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();
      const answers = await Promise.all(logins);
      await watching;
      expect(queuedSeen).toBeGreaterThan(0);
      expect(answers.map((res) => res.statusCode).sort()).toEqual([...Array(12).fill(200), ...Array(4).fill(401)].sort());
      expect(api.hasher.stats()).toEqual({ active: 0, queued: 0, peakActive: 2 });
    } finally {
      await api.close();
    }
  });
});
