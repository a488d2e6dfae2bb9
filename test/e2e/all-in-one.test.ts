// Vigil all-in-one, end to end, as agents and analysts use it: a real process, real
// HTTP, a real WebSocket, the embedded bus and store on disk.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, signIn, startVigil, type VigilProcess } from '../support/start-vigil.ts';
import { benignNetworkEvent, eicarEvent, postEvents } from './events.ts';
import { connectStream } from './ws-client.ts';

interface AlertPage {
  items: { id: string; status: string; rule: { title: string }; event_ids: string[]; history: unknown[]; organization: { id: string } }[];
  total: number;
  next: string | null;
}

describe('all-in-one', () => {
  let vigil: VigilProcess;
  let cookie: string;

  const api = async (path: string, init: RequestInit = {}, asCookie = cookie) => {
    const response = await fetch(`${vigil.url}${path}`, {
      ...init,
      headers: { Cookie: asCookie, 'Content-Type': 'application/json', ...(init.headers ?? {}) },
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };

  beforeAll(async () => {
    vigil = await startVigil({ env: { VIGIL_MAX_BODY_BYTES: String(256 * 1024) } });
    cookie = await signIn(vigil.url, 'admin', vigil.adminPassword);
  });
  afterAll(async () => {
    await vigil?.stop();
  });

  it('prints where the console is, how to sign in, and a curl command for a first event', () => {
    expect(vigil.stderr()).toContain(`Console:   ${vigil.url}/`);
    expect(vigil.stderr()).toContain('username admin');
    expect(vigil.stderr()).toMatch(/curl -sS -X POST .*\/api\/v1\/events/);
  });

  it('raises the EICAR alert on the live stream within a second and finds the event by search', async () => {
    const stream = await connectStream(vigil.url, cookie);
    await stream.waitFor((frames) => frames.some((f) => f.type === 'ready'));
    const event = eicarEvent('PC-KETOAN-01');
    const posted = await postEvents(vigil.url, vigil.agentKey, JSON.stringify(event));
    expect(posted).toEqual({ status: 202, body: { accepted: 1, rejected: [] } });

    const frames = await stream.waitFor((all) => all.some((f) => f.type === 'alert' && f.alert?.host.name === 'PC-KETOAN-01'));
    const frame = frames.find((f) => f.type === 'alert')!;
    expect(frame.alert!.rule.title).toMatch(/EICAR/i);
    expect(frame.alert!.organization.id).toBe(vigil.unit);
    expect(typeof frame.cursor).toBe('string');
    await stream.close();

    const found = await api(`/api/v1/events?q=${encodeURIComponent('host.name:PC-KETOAN-01 file.name:eicar*')}`);
    expect(found.status).toBe(200);
    expect(found.body.items.map((e: { event: { id: string } }) => e.event.id)).toContain(event.event.id);
    const freeText = await api(`/api/v1/events?q=${encodeURIComponent('EICAR-Test-File')}`);
    expect(freeText.body.items.length).toBeGreaterThan(0);
  });

  it('accepts NDJSON and reports the bad lines by number while keeping the good ones', async () => {
    const lines = [JSON.stringify(benignNetworkEvent('FW-A')), '{"event": ', JSON.stringify({ event: { outcome: 'maybe' } }), JSON.stringify(benignNetworkEvent('FW-B'))];
    const posted = await postEvents(vigil.url, vigil.agentKey, lines.join('\n'), { 'Content-Type': 'application/x-ndjson' });
    expect(posted.status).toBe(202);
    expect(posted.body.accepted).toBe(2);
    const rejected = posted.body.rejected as { line: number; error: string }[];
    expect(rejected.map((r) => r.line)).toEqual([2, 3]);
    expect(rejected[0]!.error).toMatch(/malformed JSON/);
    expect(rejected[1]!.error).toMatch(/event\.outcome/);
  });

  it('accepts gzip-compressed JSON arrays', async () => {
    const body = gzipSync(Buffer.from(JSON.stringify([benignNetworkEvent('FW-C'), benignNetworkEvent('FW-D')])));
    const posted = await postEvents(vigil.url, vigil.agentKey, body, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
    expect(posted).toEqual({ status: 202, body: { accepted: 2, rejected: [] } });
  });

  it('answers broken posts with a clear 4xx that says what and where', async () => {
    const malformed = await postEvents(vigil.url, vigil.agentKey, '{\n "event": {,}\n}');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatchObject({ code: 'bad_input' });
    expect((malformed.body.error as { message: string }).message).toMatch(/line 2 column/);

    const wrongType = await postEvents(vigil.url, vigil.agentKey, 'hello', { 'Content-Type': 'text/plain' });
    expect(wrongType.status).toBe(415);

    const noKey = await fetch(`${vigil.url}/api/v1/events`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(noKey.status).toBe(401);
    const badKey = await postEvents(vigil.url, 'not-a-real-key-000000000000', '{}');
    expect(badKey.status).toBe(401);

    const huge = await postEvents(vigil.url, vigil.agentKey, JSON.stringify({ message: 'x'.repeat(300 * 1024) }));
    expect(huge.status).toBe(413);

    const allInvalid = await postEvents(vigil.url, vigil.agentKey, JSON.stringify([{ event: { severity: 'high' } }]));
    expect(allInvalid.status).toBe(400);
    expect((allInvalid.body.error as { message: string }).message).toMatch(/item 0: event\.severity/);
  });

  it('never takes the unit from the body', async () => {
    const event = eicarEvent('PC-SPOOF', { organization: { id: 'other-unit', name: 'Other' } });
    await postEvents(vigil.url, vigil.agentKey, JSON.stringify(event));
    const found = await eventually(async () => {
      const page = await api(`/api/v1/events?q=${encodeURIComponent(`event.id:${event.event.id}`)}`);
      return page.body.items[0];
    });
    expect(found.organization.id).toBe(vigil.unit);
  });

  it('records triage changes with who and when, and streams them to consoles', async () => {
    await postEvents(vigil.url, vigil.agentKey, JSON.stringify(eicarEvent('PC-TRIAGE')));
    const alert = await eventually(async () => {
      const page = await api('/api/v1/alerts?host=PC-TRIAGE');
      return (page.body as AlertPage).items[0];
    });
    const stream = await connectStream(vigil.url, cookie);
    await stream.waitFor((frames) => frames.some((f) => f.type === 'ready'));

    const patched = await api(`/api/v1/alerts/${alert.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ status: 'acknowledged', note: 'Máy kế toán, đã gọi IT đơn vị' }),
    });
    expect(patched.status).toBe(200);
    expect(patched.body.alert.status).toBe('acknowledged');
    expect(patched.body.alert.history).toEqual(
      expect.arrayContaining([expect.objectContaining({ actor: 'admin', field: 'status', from: 'new', to: 'acknowledged' })]),
    );
    await stream.waitFor((frames) => frames.some((f) => f.alert?.id === alert.id && f.alert.status === 'acknowledged'));
    await stream.close();

    const detail = await api(`/api/v1/alerts/${alert.id}`);
    expect(detail.body.events).toHaveLength(1);
    expect(detail.body.events[0].host.name).toBe('PC-TRIAGE');

    const invalid = await api(`/api/v1/alerts/${alert.id}`, { method: 'PATCH', body: JSON.stringify({ status: 'done' }) });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toMatch(/status/);
  });

  it('shows a unit IT officer only their own unit, in REST and on the stream', async () => {
    expect((await api('/api/v1/units', { method: 'POST', body: JSON.stringify({ id: 'truong-thpt-a', name: 'Trường THPT A' }) })).status).toBe(201);
    const agent = await api('/api/v1/agents', { method: 'POST', body: JSON.stringify({ unit: 'truong-thpt-a', name: 'AV server' }) });
    expect(agent.status).toBe(201);
    const user = await api('/api/v1/users', {
      method: 'POST',
      body: JSON.stringify({ username: 'it-thpt-a', password: 'school-password-1', role: 'viewer', units: ['truong-thpt-a'] }),
    });
    expect(user.status).toBe(201);
    const officer = await signIn(vigil.url, 'it-thpt-a', 'school-password-1');

    const officerStream = await connectStream(vigil.url, officer);
    await officerStream.waitFor((frames) => frames.some((f) => f.type === 'ready'));
    const adminStream = await connectStream(vigil.url, cookie);
    await adminStream.waitFor((frames) => frames.some((f) => f.type === 'ready'));

    await postEvents(vigil.url, vigil.agentKey, JSON.stringify(eicarEvent('PC-SOYTE-07')));
    await postEvents(vigil.url, agent.body.key, JSON.stringify(eicarEvent('PC-THPT-01')));
    await adminStream.waitFor((frames) => ['PC-SOYTE-07', 'PC-THPT-01'].every((h) => frames.some((f) => f.alert?.host.name === h)));
    await officerStream.waitFor((frames) => frames.some((f) => f.alert?.host.name === 'PC-THPT-01'));
    expect(officerStream.frames.filter((f) => f.type === 'alert').every((f) => f.alert!.organization.id === 'truong-thpt-a')).toBe(true);
    await officerStream.close();
    await adminStream.close();

    const alerts = (await api('/api/v1/alerts?limit=1000', {}, officer)).body as AlertPage;
    expect(alerts.items.length).toBeGreaterThan(0);
    expect(alerts.items.every((a) => a.organization.id === 'truong-thpt-a')).toBe(true);
    const events = await api('/api/v1/events?limit=1000', {}, officer);
    expect(events.body.items.every((e: { organization: { id: string } }) => e.organization.id === 'truong-thpt-a')).toBe(true);

    const foreign = ((await api('/api/v1/alerts?host=PC-SOYTE-07')).body as AlertPage).items[0]!;
    expect((await api(`/api/v1/alerts/${foreign.id}`, {}, officer)).status).toBe(404);
    const viewerPatch = await api(`/api/v1/alerts/${foreign.id}`, { method: 'PATCH', body: JSON.stringify({ status: 'resolved' }) }, officer);
    expect(viewerPatch.status).toBe(403);
    expect((await api('/api/v1/agents', {}, officer)).status).toBe(403);
  });

  it('resumes a reconnecting console from its cursor without gaps or duplicates', async () => {
    const first = await connectStream(vigil.url, cookie);
    await first.waitFor((frames) => frames.some((f) => f.type === 'ready'));
    await postEvents(vigil.url, vigil.agentKey, JSON.stringify(eicarEvent('PC-RESUME-1')));
    const seen = await first.waitFor((frames) => frames.some((f) => f.alert?.host.name === 'PC-RESUME-1'));
    const cursor = seen.filter((f) => f.cursor).at(-1)!.cursor!;
    await first.close();

    // While the console is away, two more alerts are raised.
    await postEvents(vigil.url, vigil.agentKey, JSON.stringify([eicarEvent('PC-RESUME-2'), eicarEvent('PC-RESUME-3')]));
    await eventually(async () => {
      const page = (await api('/api/v1/alerts?host=PC-RESUME-3')).body as AlertPage;
      return page.items[0];
    });

    const second = await connectStream(vigil.url, cookie);
    await second.waitFor((frames) => frames.some((f) => f.type === 'ready'));
    second.send({ type: 'resume', cursor });
    await postEvents(vigil.url, vigil.agentKey, JSON.stringify(eicarEvent('PC-RESUME-4')));
    const frames = await second.waitFor((all) => all.some((f) => f.alert?.host.name === 'PC-RESUME-4'));
    const hosts = frames.filter((f) => f.type === 'alert').map((f) => f.alert!.host.name);
    // The two raised while away come first, each once; their order between them is not
    // defined (their signals go to different signals partitions, handled independently).
    expect(hosts.slice(0, 2).sort()).toEqual(['PC-RESUME-2', 'PC-RESUME-3']);
    expect(hosts.slice(2)).toEqual(['PC-RESUME-4']);
    await second.close();
  });

  it('exposes health, readiness and Prometheus metrics', async () => {
    expect((await fetch(`${vigil.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${vigil.url}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${vigil.url}/metrics`)).text();
    expect(metrics).toMatch(/^vigil_events_received_total \d+/m);
    expect(metrics).toMatch(/^vigil_events_processed_total [1-9]\d*/m);
    expect(metrics).toMatch(/^vigil_alerts_raised_total\{/m);
    expect(metrics).toMatch(/vigil_rule_evaluation_seconds_count [1-9]/);
    expect(metrics).toMatch(/vigil_bus_lag_records/);
  });

  it('refuses the console API and the stream without a session', async () => {
    expect((await fetch(`${vigil.url}/api/v1/alerts`)).status).toBe(401);
    await expect(connectStream(vigil.url, 'vigil_session=forged')).rejects.toThrow(/401/);
    const wrong = await fetch(`${vigil.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'wrong-password' }),
    });
    expect(wrong.status).toBe(401);
  });

  it('sets a session cookie that scripts cannot read and other sites cannot send', async () => {
    const response = await fetch(`${vigil.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: vigil.adminPassword }),
    });
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    const page = await fetch(`${vigil.url}/`);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
  });
});

describe('console files', () => {
  let vigil: VigilProcess;
  beforeAll(async () => {
    vigil = await startVigil();
  });
  afterAll(async () => {
    await vigil?.stop();
  });

  it('serves the console at / and its own routes, but 404s a missing asset', async () => {
    const index = await fetch(`${vigil.url}/`);
    expect(index.status).toBe(200);
    expect(await index.text()).toMatch(/<div id="root">/);
    expect((await fetch(`${vigil.url}/alerts/some-id`)).status).toBe(200);
    const missing = await fetch(`${vigil.url}/assets/index-deadbeef.js`);
    expect(missing.status).toBe(404);
    expect((await fetch(`${vigil.url}/api/v1/nothing-here`)).status).toBe(404);
  });
});

describe('start-up problems', () => {
  it('says which setting to change when the port is taken, and exits', async () => {
    const first = await startVigil();
    try {
      const port = new URL(first.url).port;
      const second = startVigil({ env: { VIGIL_PORT: port } });
      await expect(second).rejects.toThrow(/already in use; choose another with VIGIL_PORT/);
    } finally {
      await first.stop();
    }
  });

  it('lists every configuration problem at once, and exits', async () => {
    await expect(startVigil({ env: { VIGIL_PORT: 'http', VIGIL_ADMIN_PASSWORD: 'short' } })).rejects.toThrow(
      /VIGIL_PORT[\s\S]*VIGIL_ADMIN_PASSWORD: must be at least 8/,
    );
  });
});
