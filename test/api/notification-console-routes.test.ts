// The API the console's Notifications and Reports screens add: the read-only routing view
// of notify.yml (where it lives, each channel's target with nothing secret in it, the
// rules, dead letters per channel; a unit admin sees their own channels and the rules
// reaching them only), "retry all" dead letters within the admin's units (audited), and
// a report PDF served to be framed by the console rather than downloaded.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNotifyConfig } from '../../notify/load-notify-config.ts';
import { viewNotifyText } from '../../api/notify-file-view.ts';
import { startApiHarness, type ApiHarness } from './api-harness.ts';
import { deadLetter } from './notification-fixtures.ts';

const NOTIFY_YML = `
channels:
  soc-mail:   { type: email, to: [soc@tinh.gov.vn, truc.ban@tinh.gov.vn], language: vi }
  officer-a:  { type: email, to: it@soyte.gov.vn, unit: unit-a }
  officer-b:  { type: webhook, url: 'https://hooks.unit-b.example/vigil/T0KEN-IN-PATH?sig=abc', secret: super-secret-webhook-key, unit: unit-b }
  soc-tg:     { type: telegram, token: "123456:BOT-TOKEN-SECRET", chat_id: -1001234567 }
  soc-slack:  { type: slack, url: "\${TEST_SLACK_URL}", rate_limit: { per_minute: 10, digest_minutes: 5 } }
rules:
  - name: critical to the SOC
    match: { severity: high, kind: [correlation, spread, outbreak] }
    channels: [soc-mail, soc-tg, soc-slack]
  - name: each unit's IT officer
    match: { severity: medium, tactic: [lateral-movement, impact] }
    unit_channels: true
  - name: unit b's webhook
    match: { unit: [unit-b] }
    channels: [officer-b]
`;

interface Routing {
  file: string;
  readable: boolean;
  problem: string | null;
  editable: boolean;
  channels: Array<{ name: string; type: string; unit: string | null; target: string | null; perMinute: number; active: boolean; deadLetters: number }>;
  rules: Array<{ name: string; channels: string[]; unitChannels: boolean; match: Record<string, unknown> }>;
}

describe('notifications and reports API for the console screens', () => {
  let api: ApiHarness;
  let socAdmin: string;
  let aAdmin: string;
  let socAnalyst: string;

  beforeAll(async () => {
    api = await startApiHarness({ notifications: true });
    fs.writeFileSync(api.notifyRulesFile, NOTIFY_YML);
    // What a running notify stage registered from that file.
    await api.notifications!.registerChannels(
      parseNotifyConfig(NOTIFY_YML, 'notify.yml', { TEST_SLACK_URL: 'https://hooks.slack.com/services/T0/B0/XYZ' }).channels.map((c) => ({
        name: c.name,
        type: c.type,
        unit: c.unit ?? null,
        language: c.language,
      })),
    );
    socAdmin = await api.userWithSession({ username: 'soc-admin', role: 'admin', units: 'all' });
    aAdmin = await api.userWithSession({ username: 'a-admin', role: 'admin', units: ['unit-a'] });
    socAnalyst = await api.userWithSession({ username: 'soc-analyst', role: 'analyst', units: 'all' });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('shows a SOC-wide admin every channel with its target redacted, and the rules as written', async () => {
    const res = await api.request('GET', '/api/v1/notifications/routing', { cookie: socAdmin });
    expect(res.statusCode).toBe(200);
    const routing = res.json() as Routing;
    expect(routing).toMatchObject({ file: api.notifyRulesFile, readable: true, problem: null, editable: false });
    const targets = Object.fromEntries(routing.channels.map((c) => [c.name, c.target]));
    expect(targets).toEqual({
      'officer-a': 'i…@soyte.gov.vn',
      'officer-b': 'https://hooks.unit-b.example/…',
      'soc-mail': 's…@tinh.gov.vn, t…@tinh.gov.vn',
      'soc-slack': '${TEST_SLACK_URL}',
      'soc-tg': 'chat -1001234567',
    });
    for (const secret of ['super-secret-webhook-key', 'BOT-TOKEN-SECRET', 'T0KEN-IN-PATH', 'sig=abc', 'it@soyte', 'hooks.slack.com']) expect(res.body).not.toContain(secret);
    expect(routing.channels.find((c) => c.name === 'soc-slack')).toMatchObject({ type: 'slack', perMinute: 10, active: true, unit: null });
    expect(routing.rules.map((r) => r.name)).toEqual(['critical to the SOC', "each unit's IT officer", "unit b's webhook"]);
    expect(routing.rules[0]).toMatchObject({ channels: ['soc-mail', 'soc-tg', 'soc-slack'], match: { severity: 'high', kind: ['correlation', 'spread', 'outbreak'] } });
    expect(routing.rules[1]).toMatchObject({ unitChannels: true, channels: [] });
  });

  it('shows a unit admin their own channels and only the rules that reach them', async () => {
    const routing = (await api.request('GET', '/api/v1/notifications/routing', { cookie: aAdmin })).json() as Routing;
    expect(routing.channels.map((c) => c.name)).toEqual(['officer-a']);
    expect(routing.rules.map((r) => r.name)).toEqual(["each unit's IT officer"]);
    expect(JSON.stringify(routing)).not.toMatch(/unit-b|soc-mail|soc-tg/);
    expect((await api.request('GET', '/api/v1/notifications/routing', { cookie: socAnalyst })).statusCode).toBe(403);
    expect((await api.request('GET', '/api/v1/notifications/routing')).statusCode).toBe(401);
  });

  it('says where notify.yml should be when this process cannot read it', async () => {
    fs.renameSync(api.notifyRulesFile, `${api.notifyRulesFile}.away`);
    try {
      const routing = (await api.request('GET', '/api/v1/notifications/routing', { cookie: socAdmin })).json() as Routing;
      expect(routing).toMatchObject({ file: api.notifyRulesFile, readable: false, problem: 'missing', rules: [] });
      // The channels the running notify stage registered are still listed, without targets.
      expect(routing.channels.find((c) => c.name === 'soc-mail')).toMatchObject({ active: true, target: null });
    } finally {
      fs.renameSync(`${api.notifyRulesFile}.away`, api.notifyRulesFile);
    }
  });

  it('retries every dead letter an admin may see, and only those, counting them per channel', async () => {
    const a1 = await deadLetter(api.notifications!, { channel: 'officer-a', unit: 'unit-a' });
    const a2 = await deadLetter(api.notifications!, { channel: 'officer-a', unit: 'unit-a' });
    const b = await deadLetter(api.notifications!, { channel: 'officer-b', unit: 'unit-b' });
    const soc = await deadLetter(api.notifications!, { channel: 'soc-mail', unit: '*' });

    const before = (await api.request('GET', '/api/v1/notifications/routing', { cookie: socAdmin })).json() as Routing;
    expect(before.channels.find((c) => c.name === 'officer-a')?.deadLetters).toBe(2);
    expect(before.channels.find((c) => c.name === 'soc-mail')?.deadLetters).toBe(1);

    const unitRetry = await api.request('POST', '/api/v1/notifications/dead-letters/retry', { cookie: aAdmin, body: {} });
    expect(unitRetry.statusCode).toBe(200);
    expect((unitRetry.json() as { requeued: number }).requeued).toBe(2);
    const states = async () => Promise.all([a1, a2, b, soc].map(async (d) => (await api.notifications!.getDelivery(d.id))?.state));
    expect(await states()).toEqual(['pending', 'pending', 'dead', 'dead']);

    const oneChannel = await api.request('POST', '/api/v1/notifications/dead-letters/retry', { cookie: socAdmin, body: { channel: 'officer-b' } });
    expect((oneChannel.json() as { requeued: number }).requeued).toBe(1);
    expect(await states()).toEqual(['pending', 'pending', 'pending', 'dead']);
    expect((await api.request('POST', '/api/v1/notifications/dead-letters/retry', { cookie: socAnalyst, body: {} })).statusCode).toBe(403);
    expect((await api.request('POST', '/api/v1/notifications/dead-letters/retry', { cookie: socAdmin, body: { nope: 1 } })).statusCode).toBe(400);

    const audit = await api.accounts.listAudit({ action: 'notification.retry_all', limit: 10 }, { kind: 'all' });
    expect(audit.items.map((e) => [e.actor, e.target, e.units])).toEqual([
      ['soc-admin', 'officer-b: 1', ['unit-b']],
      ['a-admin', 'every channel: 2', ['unit-a']],
    ]);
  });

  it('serves a report PDF inline for the console to frame, and as a download otherwise', async () => {
    await api.accounts.createUser({ username: 'a-viewer', role: 'viewer', units: ['unit-a'] }, 'a-good-password');
    const officer = await api.sessionFor('a-viewer');
    const period = 'from=2026-11-01T00:00:00%2B07:00&to=2026-12-01T00:00:00%2B07:00';
    const inline = await api.request('GET', `/api/v1/reports?unit=unit-a&${period}&format=pdf&inline=1`, { cookie: officer });
    expect(inline.statusCode).toBe(200);
    expect(inline.headers['content-disposition']).toBe('inline; filename="vigil-report-unit-a-2026-11.pdf"');
    expect(inline.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(inline.headers['content-security-policy']).toContain("frame-ancestors 'self'");
    const download = await api.request('GET', `/api/v1/reports?unit=unit-a&${period}&format=pdf`, { cookie: officer });
    expect(download.headers['content-disposition']).toMatch(/^attachment;/);
    expect(download.headers['x-frame-options']).toBe('DENY');
    // Inline or not, another unit's report is no more reachable.
    expect((await api.request('GET', `/api/v1/reports?unit=unit-b&${period}&format=pdf&inline=1`, { cookie: officer })).statusCode).toBe(404);
  });

  it('reads the same channels and rules from notify.yml as the notify stage does', () => {
    const view = viewNotifyText(NOTIFY_YML);
    const config = parseNotifyConfig(NOTIFY_YML, 'notify.yml', { TEST_SLACK_URL: 'https://hooks.slack.com/services/T0/B0/XYZ' });
    expect(view.readable).toBe(true);
    expect(view.channels.map((c) => [c.name, c.type, c.unit, c.language, c.perMinute])).toEqual(
      config.channels.map((c) => [c.name, c.type, c.unit ?? null, c.language, c.rate_limit.per_minute]),
    );
    expect(view.rules.map((r) => [r.name, r.channels, r.unitChannels])).toEqual(config.rules.map((r) => [r.name, r.channels, r.unit_channels]));
    expect(viewNotifyText('channels: [unclosed').readable).toBe(false);
  });
});
