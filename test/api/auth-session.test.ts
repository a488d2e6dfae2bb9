// Issue 10, defect 6: every page load logged a 401 on /auth/me in the browser console.
// The console now asks GET /api/v1/auth/session, which answers a stranger 200
// {signedIn:false} (a normal answer, not a failed request) and a signed-in user their
// user; /auth/me keeps refusing strangers for API clients.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './api-harness.ts';

describe('GET /api/v1/auth/session', () => {
  let api: ApiHarness;
  beforeEach(async () => {
    api = await startApiHarness();
  });
  afterEach(async () => {
    await api?.close();
  });

  it('answers 200 {signedIn:false} without a cookie, with an unknown one, and after logout', async () => {
    const none = await api.request('GET', '/api/v1/auth/session');
    expect(none.statusCode).toBe(200);
    expect(none.json()).toEqual({ signedIn: false });

    const bogus = await api.request('GET', '/api/v1/auth/session', { cookie: 'vigil_session=not-a-session' });
    expect(bogus.statusCode).toBe(200);
    expect(bogus.json()).toEqual({ signedIn: false });

    const cookie = await api.userWithSession({ username: 'officer', role: 'viewer', units: ['unit-a'] });
    await api.request('POST', '/api/v1/auth/logout', { cookie });
    expect((await api.request('GET', '/api/v1/auth/session', { cookie })).json()).toEqual({ signedIn: false });
  });

  it('answers the signed-in user with role and units, and nothing secret', async () => {
    const cookie = await api.userWithSession({ username: 'officer', role: 'viewer', units: ['unit-a'] });
    const res = await api.request('GET', '/api/v1/auth/session', { cookie });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { signedIn: boolean; user: Record<string, unknown> };
    expect(body).toMatchObject({ signedIn: true, user: { username: 'officer', role: 'viewer', units: ['unit-a'] } });
    expect(JSON.stringify(body)).not.toMatch(/hash|password|token/i);
  });

  it('leaves /auth/me refusing strangers with 401', async () => {
    expect((await api.request('GET', '/api/v1/auth/me')).statusCode).toBe(401);
  });
});
