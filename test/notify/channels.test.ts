// Each channel against a real receiver started here, through the whole notify stage
// (alert on the bus → outbox → sender): email to an SMTP server with the Vietnamese text
// intact, the generic webhook's HMAC signature checked the way the README tells a
// receiver to, and the Telegram and Slack/Teams request shapes.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { CONSOLE_URL, makeAlert, startNotifyHarness, type NotifyHarness } from './notify-harness.ts';
import { decodeMail } from './mail-text.ts';
import { startHttpReceiver, startSmtpReceiver, waitFor, type HttpReceiver, type SmtpReceiver } from './receivers.ts';

const HOOK_SECRET = 'webhook-secret-of-the-ticketing-system';

describe('notification channels', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const track = <T extends { close(): Promise<void> }>(thing: T): T => {
    cleanups.push(() => thing.close());
    return thing;
  };

  it('emails the unit officer in Vietnamese: recipient, subject, what, where, how severe, when, link', async () => {
    const smtp: SmtpReceiver = track(await startSmtpReceiver());
    const notify: NotifyHarness = track(
      await startNotifyHarness({
        smtpUrl: smtp.url,
        yaml: `
channels:
  officer-a:
    type: email
    to: [it@soyte.example.gov.vn]
    unit: unit-a
    language: vi
rules:
  - name: critical
    match: { severity: critical }
    channels: [officer-a]
`,
      }),
    );
    const alert = makeAlert('unit-a');
    await notify.publish([alert]);
    await waitFor('the email', () => smtp.mails.length === 1);
    const [mail] = smtp.mails;
    expect(mail!.to).toEqual(['it@soyte.example.gov.vn']);
    expect(mail!.from).toBe('vigil@soc.example');
    const decoded = decodeMail(mail!.raw);
    expect(decoded.subject).toBe('[Vigil] Nghiêm trọng: Phát hiện mã độc — Sở Y tế (unit-a)');
    expect(decoded.text).toContain('Cảnh báo Nghiêm trọng: Phát hiện mã độc');
    expect(decoded.text).toContain('Đơn vị: Sở Y tế (unit-a)');
    expect(decoded.text).toContain('Máy: PC-KETOAN-07 (unit-a-pc-07)');
    expect(decoded.text).toContain('Mức độ: Nghiêm trọng');
    // 12:35 UTC is 19:35 in Vietnam.
    expect(decoded.text).toContain('Thời điểm: 03/12/2026 19:35:00 (UTC+07:00)');
    expect(decoded.text).toContain(`Xem cảnh báo: ${CONSOLE_URL}/alerts/${alert.id}`);
    // The alert's history shows it sent (recorded right after the SMTP server took it).
    await notify.settled();
    const [delivery] = await notify.outbox.deliveriesForAlert(alert.id);
    expect(delivery).toMatchObject({ channel: 'officer-a', state: 'sent', attempts: 1, attemptLog: [{ ok: true, error: null }] });
  });

  it('signs the webhook body so the receiver can verify it, and sends the structured alert', async () => {
    const receiver: HttpReceiver = track(await startHttpReceiver());
    // The receiver of the README: HMAC-SHA256 of the raw body with the shared secret,
    // compared in constant time, and a timestamp within 5 minutes.
    receiver.answer = (request) => {
      const expected = Buffer.from(`sha256=${createHmac('sha256', HOOK_SECRET).update(request.body).digest('hex')}`);
      const given = Buffer.from(String(request.headers['x-vigil-signature'] ?? ''));
      const fresh = Math.abs(Date.now() / 1000 - Number(request.headers['x-vigil-timestamp'])) <= 300;
      return expected.length === given.length && timingSafeEqual(expected, given) && fresh ? { status: 204, body: '' } : { status: 401, body: 'bad signature' };
    };
    const notify: NotifyHarness = track(
      await startNotifyHarness({
        env: { HOOK_SECRET },
        yaml: `
channels:
  ticketing:
    type: webhook
    url: ${receiver.url}/vigil
    secret: \${HOOK_SECRET}
    language: en
rules:
  - name: everything
    channels: [ticketing]
`,
      }),
    );
    const alert = makeAlert('unit-b', { severity: 'high', rule: { id: 'r-1', title: 'Brute force then success', level: 'high', tags: [], kind: 'correlation' } });
    await notify.publish([alert]);
    await waitFor('the webhook', () => receiver.received.length === 1);
    const request = receiver.received[0]!;
    expect(request.path).toBe('/vigil');
    expect(request.headers['content-type']).toMatch(/^application\/json/);
    expect(request.headers['x-vigil-delivery']).toBe(`alert:${alert.id}:raised:ticketing`);
    const body = JSON.parse(request.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      type: 'alert',
      channel: 'ticketing',
      language: 'en',
      timestamp: Number(request.headers['x-vigil-timestamp']),
      link: `${CONSOLE_URL}/alerts/${alert.id}`,
      alert: { id: alert.id, title: 'Brute force then success', severity: 'high', kind: 'correlation', unit: { id: 'unit-b', name: 'Sở Tài chính' } },
    });
    expect(body.text).toContain('Alert High: Brute force then success');
    expect(body.text).toContain('When: 2026-12-03 19:35:00 (UTC+07:00)');

    // A receiver with another secret refuses it: the signature really depends on the secret.
    const forged = `sha256=${createHmac('sha256', 'another-secret-entirely').update(request.body).digest('hex')}`;
    expect(forged).not.toBe(request.headers['x-vigil-signature']);
  });

  it('posts Telegram sendMessage with the bot token in the path and plain text, and Slack/Teams {text}', async () => {
    const telegram: HttpReceiver = track(await startHttpReceiver());
    telegram.answer = () => ({ status: 200, body: '{"ok":true,"result":{"message_id":1}}' });
    const slack: HttpReceiver = track(await startHttpReceiver());
    const teams: HttpReceiver = track(await startHttpReceiver());
    const notify: NotifyHarness = track(
      await startNotifyHarness({
        telegramApiUrl: telegram.url,
        env: { BOT_TOKEN: '123456:ABC-secret-token' },
        yaml: `
channels:
  soc-telegram: { type: telegram, token: '\${BOT_TOKEN}', chat_id: -100777, language: vi }
  soc-slack: { type: slack, url: '${slack.url}/services/T1/B2/x', language: en }
  soc-teams: { type: teams, url: '${teams.url}/webhookb2/abc', language: en }
rules:
  - name: all
    channels: [soc-telegram, soc-slack, soc-teams]
`,
      }),
    );
    const alert = makeAlert('unit-a', { host: { name: '<!channel> PC' } });
    await notify.publish([alert]);
    await waitFor('three messages', () => telegram.received.length + slack.received.length + teams.received.length === 3);

    expect(telegram.received[0]!.path).toBe('/bot123456:ABC-secret-token/sendMessage');
    const sent = JSON.parse(telegram.received[0]!.body) as Record<string, unknown>;
    expect(sent).toMatchObject({ chat_id: '-100777', disable_web_page_preview: true });
    expect(sent).not.toHaveProperty('parse_mode');
    expect(sent.text).toContain('Cảnh báo Nghiêm trọng: Phát hiện mã độc');
    expect(sent.text).toContain(`${CONSOLE_URL}/alerts/${alert.id}`);

    const slackBody = JSON.parse(slack.received[0]!.body) as { text: string };
    expect(Object.keys(slackBody)).toEqual(['text']);
    expect(slackBody.text).toContain('Alert Critical: Phát hiện mã độc');
    // An event's host name cannot become a Slack mention.
    expect(slackBody.text).toContain('&lt;!channel&gt; PC');
    expect(slackBody.text).not.toContain('<!channel>');

    const teamsBody = JSON.parse(teams.received[0]!.body) as { text: string };
    expect(Object.keys(teamsBody)).toEqual(['text']);
    expect(teamsBody.text).toContain('Unit: Sở Y tế (unit-a)');
  });

  it('a refused request goes to the dead-letter list at once, with the reason and no secret', async () => {
    const telegram: HttpReceiver = track(await startHttpReceiver());
    telegram.answer = () => ({ status: 400, body: '{"ok":false,"description":"Bad Request: chat not found"}' });
    const notify: NotifyHarness = track(
      await startNotifyHarness({
        telegramApiUrl: telegram.url,
        yaml: `
channels:
  wrong-chat: { type: telegram, token: 999:token-value, chat_id: 1 }
rules:
  - name: all
    channels: [wrong-chat]
`,
      }),
    );
    const alert = makeAlert('unit-a');
    await notify.publish([alert]);
    await waitFor('a dead letter', async () => (await notify.outbox.deadLetters({ kind: 'all' }, 10)).length === 1);
    const [dead] = await notify.outbox.deadLetters({ kind: 'all' }, 10);
    expect(dead).toMatchObject({ channel: 'wrong-chat', alertId: alert.id, attempts: 1 });
    expect(dead!.lastError).toContain('HTTP 400');
    expect(dead!.lastError).toContain('chat not found');
    expect(dead!.lastError).not.toContain('token-value');
    expect(telegram.seen).toBe(1);
  });
});
