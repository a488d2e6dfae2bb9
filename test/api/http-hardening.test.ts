// Issue 9, defect 6: /metrics was open to anyone who could reach the port; state-changing
// requests did not check Origin; API answers could be cached; a WebSocket `resume` re-read
// the whole alerts topic, as often as a client liked. Each is now bounded and tested here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectStream, type StreamFrame } from '../e2e/ws-client.ts';
import { PASSWORD, makeAlert, startApiHarness, type ApiHarness } from './api-harness.ts';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

describe('/metrics', () => {
  it('without a token answers only clients on this machine', async () => {
    const api = await startApiHarness();
    try {
      expect((await api.request('GET', '/metrics', { remoteAddress: '127.0.0.1' })).statusCode).toBe(200);
      expect((await api.request('GET', '/metrics', { remoteAddress: '::1' })).statusCode).toBe(200);
      expect((await api.request('GET', '/metrics', { remoteAddress: '::ffff:127.0.0.1' })).statusCode).toBe(200);
      const remote = await api.request('GET', '/metrics', { remoteAddress: '10.0.0.5' });
      expect(remote.statusCode).toBe(403);
      expect(remote.body).not.toContain('vigil_');
    } finally {
      await api.close();
    }
  });

  it('with a token requires it as a bearer, from anywhere, loopback included', async () => {
    const api = await startApiHarness({ metricsToken: METRICS_TOKEN });
    try {
      const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
      expect((await api.request('GET', '/metrics', { remoteAddress: '127.0.0.1' })).statusCode).toBe(401);
      expect((await api.request('GET', '/metrics', { remoteAddress: '10.0.0.5', headers: bearer('wrong-token-0123456789abcde') })).statusCode).toBe(401);
      expect((await api.request('GET', '/metrics', { remoteAddress: '10.0.0.5', headers: bearer(`${METRICS_TOKEN}x`) })).statusCode).toBe(401);
      const ok = await api.request('GET', '/metrics', { remoteAddress: '10.0.0.5', headers: bearer(METRICS_TOKEN) });
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toContain('vigil_');
    } finally {
      await api.close();
    }
  });
});

describe('REST hardening', () => {
  let api: ApiHarness;
  let admin: string;
  beforeAll(async () => {
    api = await startApiHarness();
    admin = await api.userWithSession({ username: 'soc-admin', role: 'admin', units: 'all' });
    await api.accounts.createUser({ username: 'officer', role: 'viewer', units: ['unit-a'] }, PASSWORD);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('refuses a state-changing request from a page of another origin, and nothing changes', async () => {
    const host = new URL(api.url).host;
    for (const origin of ['https://evil.example', 'null', `http://${host}.evil.example`, 'not a url']) {
      const patch = await api.request('PATCH', '/api/v1/users/officer', { cookie: admin, body: { role: 'admin' }, headers: { origin, host } });
      expect(patch.statusCode, origin).toBe(403);
      const login = await api.request('POST', '/api/v1/auth/login', { body: { username: 'officer', password: PASSWORD }, headers: { origin, host } });
      expect(login.statusCode, origin).toBe(403);
      expect(login.headers['set-cookie']).toBeUndefined();
      const logout = await api.request('POST', '/api/v1/auth/logout', { cookie: admin, headers: { origin, host } });
      expect(logout.statusCode, origin).toBe(403);
    }
    expect(await api.accounts.getUser('officer')).toMatchObject({ role: 'viewer' });
    expect((await api.request('GET', '/api/v1/auth/me', { cookie: admin })).statusCode).toBe(200);
  });

  it("accepts the console's own origin, requests without Origin (curl), and reads from anywhere", async () => {
    const host = new URL(api.url).host;
    const own = await api.request('PATCH', '/api/v1/units/unit-a', { cookie: admin, body: { name: 'Sở Y tế' }, headers: { origin: api.url, host } });
    expect(own.statusCode, own.body).toBe(200);
    expect((await api.request('PATCH', '/api/v1/units/unit-a', { cookie: admin, body: { name: 'Sở Y tế' } })).statusCode).toBe(200);
    expect((await api.request('GET', '/api/v1/units', { cookie: admin, headers: { origin: 'https://evil.example', host } })).statusCode).toBe(200);
  });

  it('marks every /api answer no-store, errors included', async () => {
    for (const [url, cookie] of [
      ['/api/v1/units', admin],
      ['/api/v1/users', admin],
      ['/api/v1/audit', admin],
      ['/api/v1/auth/me', undefined],
      ['/api/v1/no-such-route', admin],
    ] as const) {
      const res = await api.request('GET', url, cookie ? { cookie } : {});
      expect(res.headers['cache-control'], url).toBe('no-store');
    }
    const login = await api.request('POST', '/api/v1/auth/login', { body: { username: 'officer', password: PASSWORD } });
    expect(login.headers['cache-control']).toBe('no-store');
  });
});

describe('WebSocket resume is bounded', () => {
  let api: ApiHarness;
  let officer: string;
  beforeAll(async () => {
    api = await startApiHarness({ maxResumeRecords: 20 });
    officer = await api.userWithSession({ username: 'officer', role: 'viewer', units: ['unit-a'] });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('replays what a console missed within the cap, only of its units', async () => {
    const first = await connectStream(api.url, officer);
    const ready = (await first.waitFor((f) => f.length > 0))[0]!;
    await first.close();
    await api.publishAlerts([makeAlert('missed-a-1', 'unit-a'), makeAlert('missed-b-1', 'unit-b'), makeAlert('missed-a-2', 'unit-a')]);

    const again = await connectStream(api.url, officer);
    again.send({ type: 'resume', cursor: ready.cursor });
    const frames = await again.waitFor((f) => f.filter((x) => x.type === 'alert').length >= 2);
    expect(frames.filter((f) => f.type === 'alert').map((f) => f.alert!.id)).toEqual(['missed-a-1', 'missed-a-2']);
    await again.close();
  });

  it('tells a console further behind than the cap to reload, then streams live from there', async () => {
    const first = await connectStream(api.url, officer);
    const ready = (await first.waitFor((f) => f.length > 0))[0]!;
    await first.close();
    await api.publishAlerts(Array.from({ length: 25 }, (_, i) => makeAlert(`old-${i}`, 'unit-a')));

    const again = await connectStream(api.url, officer);
    await again.waitFor((f) => f.length > 0);
    again.send({ type: 'resume', cursor: ready.cursor });
    const frames = await again.waitFor((f) => f.some((x) => x.type === 'reload'));
    const reload = frames.find((f) => f.type === 'reload') as StreamFrame & { message: string };
    expect(reload.cursor).toEqual(expect.any(String));
    expect(reload.message).toMatch(/reload/);
    expect(frames.filter((f) => f.type === 'alert')).toEqual([]);

    await api.publishAlerts([makeAlert('live-after-reload', 'unit-a')]);
    const live = await again.waitFor((f) => f.some((x) => x.type === 'alert'));
    expect(live.filter((f) => f.type === 'alert').map((f) => f.alert!.id)).toEqual(['live-after-reload']);
    await again.close();
  });

  it('limits resume frames per socket', async () => {
    const stream = await connectStream(api.url, officer);
    const ready = (await stream.waitFor((f) => f.length > 0))[0]!;
    for (let i = 0; i < 6; i += 1) stream.send({ type: 'resume', cursor: ready.cursor });
    const frames = await stream.waitFor((f) => f.some((x) => x.type === 'error'));
    const error = frames.find((f) => f.type === 'error') as StreamFrame & { code?: string };
    expect(error.code).toBe('rate_limited');
    await stream.close();
  });
});
