// Notifications and reports in a real browser (Debian's chromium via playwright-core)
// against a real `vigil start` with a notify.yml whose webhook is a real local HTTP
// receiver: while the receiver fails, an EICAR alert's notification becomes a dead
// letter the admin sees with its reason; once it is back, "Retry" delivers it, signed;
// "send a test" shows its outcome; the alert's detail shows its notifications. A unit
// IT officer opens their unit's report (figures and PDF) and cannot get another unit's.
// Screenshots in English and Vietnamese.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { verifyWebhookSignature } from '../../notify/webhook-signature.ts';
import { eicarEvent, postEvents } from '../e2e/events.ts';
import { startHttpReceiver, type HttpReceiver } from '../notify/receivers.ts';
import { eventually, makeTempDir, signIn, type VigilProcess } from '../support/start-vigil.ts';
import { buildConsole, chromiumAvailable, launchChromium, openView, screenshots, signInThroughForm, startReadyVigil, watchedPage } from './browser-support.ts';

const haveChromium = chromiumAvailable('the notifications and reports browser test');

const SECRET = 'a-webhook-secret-from-the-env';
const OTHER_UNIT = 'so-tai-chinh';
const OFFICER = 'it-syt';
const OFFICER_PASSWORD = 'officer-password-1';
/** The antivirus let the file through: the EICAR rule alerts on unhandled detections only. */
const LET_THROUGH = { event: { kind: 'alert', category: ['malware'], action: 'allowed', outcome: 'success', module: 'antivirus' } };

describe.skipIf(!haveChromium)('notifications and reports in a real browser', () => {
  let vigil: VigilProcess;
  let receiver: HttpReceiver;
  let browser: Browser;
  let adminContext: BrowserContext;
  let page: Page;
  let cookie: string;
  let alertId = '';
  const problems: string[] = [];

  const api = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${vigil.url}${url}`, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as unknown };
  };

  beforeAll(async () => {
    buildConsole();
    receiver = await startHttpReceiver();
    const dataDir = makeTempDir();
    const rules = path.join(dataDir, 'notify.yml');
    fs.writeFileSync(
      rules,
      [
        'channels:',
        `  soc-hook: { type: webhook, url: '${receiver.url}/soc/hook-path', secret: "\${TEST_HOOK_SECRET}", language: en }`,
        `  officer-syt: { type: webhook, url: '${receiver.url}/syt', secret: "\${TEST_HOOK_SECRET}", unit: so-y-te }`,
        'rules:',
        '  - name: everything to the SOC',
        '    channels: [soc-hook]',
        "  - name: each unit's IT officer",
        '    unit_channels: true',
      ].join('\n'),
    );
    vigil = await startReadyVigil({
      dataDir,
      unit: 'so-y-te',
      env: { VIGIL_NOTIFY_RULES_FILE: rules, TEST_HOOK_SECRET: SECRET, VIGIL_NOTIFY_MAX_ATTEMPTS: '1', VIGIL_NOTIFY_RETRY_SECONDS: '0.05' },
    });
    cookie = await signIn(vigil.url, 'admin', vigil.adminPassword);
    expect((await api('PATCH', '/api/v1/units/so-y-te', { name: 'Sở Y tế' })).status).toBe(200);
    expect((await api('POST', '/api/v1/units', { id: OTHER_UNIT, name: 'Sở Tài chính' })).status).toBe(201);
    expect((await api('POST', '/api/v1/users', { username: OFFICER, password: OFFICER_PASSWORD, role: 'viewer', units: ['so-y-te'] })).status).toBe(201);
    browser = await launchChromium();
    adminContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await watchedPage(adminContext, problems);
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await vigil?.stop();
    await receiver?.close().catch(() => undefined);
    if (vigil) fs.rmSync(vigil.dataDir, { recursive: true, force: true });
  }, 120_000);

  it('shows a dead letter with its reason, and "Retry" delivers it signed to the receiver once it is back', async () => {
    receiver.mode = 'fail';
    expect((await postEvents(vigil.url, vigil.agentKey, JSON.stringify(eicarEvent('PC-KETOAN-07', LET_THROUGH)))).status).toBe(202);
    const deadLetters = async () => ((await api('GET', '/api/v1/notifications/dead-letters')).body as { items: Array<{ id: number; alertId: string; channel: string }> }).items;
    // One alert's two notifications (the SOC's hook and the unit officer's) both given up on.
    const dead = await eventually(async () => {
      const items = await deadLetters();
      const first = items.find((d) => d.channel === 'soc-hook');
      return first && items.some((d) => d.alertId === first.alertId && d.channel === 'officer-syt') ? items : undefined;
    }, 60_000);
    alertId = dead.find((d) => d.channel === 'soc-hook')!.alertId;

    await signInThroughForm(page, vigil.url, 'admin', vigil.adminPassword);
    await openView(page, 'Notifications');
    const channels = page.getByRole('table', { name: 'Notification channels' });
    await channels.waitFor({ timeout: 15_000 });
    // The file's location is said; its secret and the URL's path are not shown.
    expect(await page.getByRole('note').textContent()).toContain(path.join(vigil.dataDir, 'notify.yml'));
    const hookRow = channels.locator('tr[data-channel="soc-hook"]');
    expect(await hookRow.textContent()).toContain('http://127.0.0.1:');
    expect(await page.locator('body').textContent()).not.toMatch(new RegExp(`${SECRET}|hook-path|TEST_HOOK_SECRET_VALUE`));
    expect(await page.getByRole('table', { name: 'Routing rules' }).textContent()).toContain("each unit's IT officer");

    const letters = page.getByRole('table', { name: 'Dead letters' });
    const socLetter = letters.locator(`tr[data-dead-letter="${dead.find((d) => d.channel === 'soc-hook')!.id}"]`);
    await expect.poll(() => socLetter.textContent(), { timeout: 10_000 }).toContain('HTTP 500');
    expect(await socLetter.textContent()).toContain('PC-KETOAN-07');
    await screenshots(page, 'notifications-dead-letter-en');

    receiver.mode = 'ok';
    const before = receiver.received.length;
    await socLetter.getByRole('button', { name: /^Retry dead letter/ }).click();
    await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBeGreaterThan(before);
    const delivered = receiver.received.slice(before).find((r) => r.path === '/soc/hook-path')!;
    expect((JSON.parse(delivered.body) as { alert: { id: string } }).alert.id).toBe(alertId);
    const signed = { body: delivered.body, signature: delivered.headers['x-vigil-signature'] as string, timestamp: delivered.headers['x-vigil-timestamp'] as string };
    expect(verifyWebhookSignature(SECRET, signed, Date.now())).toBe(true);
    await expect.poll(() => socLetter.count(), { timeout: 10_000 }).toBe(0);

    // "Retry all" sends the rest (the unit officer's channel among them) and empties the list.
    const officerLetters = (await deadLetters()).filter((d) => d.channel === 'officer-syt').length;
    expect(officerLetters).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Retry all' }).click();
    await page.getByRole('button', { name: 'Retry all' }).last().click();
    await expect.poll(() => receiver.received.filter((r) => r.path === '/syt').length, { timeout: 20_000 }).toBe(officerLetters);
    await expect.poll(() => letters.getByText('No dead letters.').count(), { timeout: 10_000 }).toBe(1);
    expect(problems).toEqual([]);
  }, 180_000);

  it('sends a test on a channel and shows that it was delivered', async () => {
    const before = receiver.received.length;
    await page.getByRole('button', { name: 'Send a test to soc-hook' }).click();
    await page.locator('tr[data-channel="soc-hook"]').getByText(/^Delivered at/).waitFor({ timeout: 20_000 });
    expect(JSON.parse(receiver.received.at(-1)!.body)).toMatchObject({ type: 'test', channel: 'soc-hook' });
    expect(receiver.received.length).toBe(before + 1);
    await screenshots(page, 'notifications-test-sent-en');
  });

  it("shows the alert's notifications on its detail, in English and Vietnamese", async () => {
    await page.goto(`${vigil.url}/alerts/${alertId}`);
    const table = page.getByRole('table', { name: 'Notifications of this alert' });
    await expect.poll(async () => (await table.locator('tr[data-delivery-state="sent"]').count()), { timeout: 20_000 }).toBe(2);
    expect(await table.textContent()).toContain('soc-hook');
    await table.locator('tbody tr').last().scrollIntoViewIfNeeded();
    await screenshots(page, 'alert-notifications-en');

    await page.getByRole('combobox', { name: 'Language', exact: true }).selectOption('vi');
    const vi = page.getByRole('table', { name: 'Thông báo của cảnh báo này' });
    await expect.poll(() => vi.textContent(), { timeout: 10_000 }).toContain('Đã gửi');
    await vi.locator('tbody tr').last().scrollIntoViewIfNeeded();
    await screenshots(page, 'alert-notifications-vi');
    // Administration views sit behind the top bar's "Quản trị" menu.
    await page.getByRole('navigation', { name: 'Màn hình' }).getByText('Quản trị', { exact: true }).click();
    await page.getByRole('navigation', { name: 'Màn hình' }).getByRole('link', { name: 'Thông báo', exact: true }).click();
    await page.getByRole('table', { name: 'Các kênh thông báo' }).waitFor({ timeout: 15_000 });
    await screenshots(page, 'notifications-vi');
    await page.getByRole('combobox', { name: 'Ngôn ngữ', exact: true }).selectOption('en');
    expect(problems).toEqual([]);
  });

  it("gives a unit officer their unit's report and nothing of another unit's", async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const officer = await watchedPage(context, problems);
    await signInThroughForm(officer, vigil.url, OFFICER, OFFICER_PASSWORD);
    // Notifications are for admins: not in an officer's top bar.
    expect(await officer.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Notifications' }).count()).toBe(0);
    await openView(officer, 'Reports');
    const form = officer.getByRole('form', { name: 'Choose a report' });
    const units = form.getByLabel('Unit');
    await expect.poll(() => units.locator('option').allTextContents(), { timeout: 10_000 }).toEqual(['Sở Y tế']);
    await form.getByLabel('Period').selectOption('this');
    await form.getByRole('button', { name: 'Show report' }).click();
    await officer.getByRole('heading', { name: 'Report: Sở Y tế' }).waitFor({ timeout: 30_000 });
    const figures = officer.getByLabel('Key figures', { exact: true }).first();
    await expect.poll(() => figures.locator('[data-figure="detections"] dd').textContent(), { timeout: 10_000 }).toBe('1');
    expect(await officer.getByRole('table', { name: 'Top threats' }).textContent()).toContain('EICAR-Test-File');
    await screenshots(officer, 'report-officer-en');

    // The PDF: framed in the console, and downloadable.
    const download = await form.getByRole('link', { name: 'Download PDF' }).getAttribute('href');
    const pdf = await officer.request.get(`${vigil.url}${download}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await officer.getByRole('button', { name: 'PDF', exact: true }).click();
    const frame = officer.locator('iframe[title="The report as PDF"]');
    expect(await frame.getAttribute('src')).toContain('inline=1');
    const framed = await officer.request.get(`${vigil.url}${await frame.getAttribute('src')}`);
    expect(framed.headers()['x-frame-options']).toBe('SAMEORIGIN');
    await screenshots(officer, 'report-pdf-en');

    // Another unit's report: not through the screen, not through the API.
    await officer.goto(`${vigil.url}/reports?unit=${OTHER_UNIT}&period=last&lang=vi`);
    await officer.getByText('There is no such unit among those you may see.').waitFor({ timeout: 20_000 });
    expect((await officer.request.get(`${vigil.url}/api/v1/reports?unit=${OTHER_UNIT}&format=pdf`)).status()).toBe(404);
    expect((await officer.request.get(`${vigil.url}/api/v1/reports?format=json`)).status()).toBe(403);

    await officer.getByRole('combobox', { name: 'Language', exact: true }).selectOption('vi');
    await officer.goto(`${vigil.url}/reports?unit=so-y-te&period=this&lang=vi`);
    await officer.getByRole('heading', { name: 'Báo cáo: Sở Y tế' }).waitFor({ timeout: 30_000 });
    await screenshots(officer, 'report-officer-vi');
    // The refused report is the one failed request the browser logs.
    expect(problems.filter((p) => !/the server responded with a status of 404/.test(p))).toEqual([]);
    await context.close();
  });
});
