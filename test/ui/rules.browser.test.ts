// Issue 10, the Rules page, in real Chromium against a real Vigil with the shipped rule
// library: an admin opens Rules from the top bar, finds the EICAR rule, switches it off
// (the page says so, the switch survives a reload, and a let-through EICAR event raises
// no alert while an enabled rule's event on the same host does), tests the rule on
// pasted events (which lines matched, which line is not JSON), and switches it back on.
// Every step is captured in English and Vietnamese (VIGIL_SCREENS_DIR).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { eventually, signIn, type VigilProcess } from '../support/start-vigil.ts';
import { buildConsole, chromiumAvailable, launchChromium, openView, screenshots, signInThroughForm, startReadyVigil, watchedPage } from './browser-support.ts';

const haveChromium = chromiumAvailable('the rules browser test');
const EICAR_TITLE = 'EICAR Antivirus Test File Detected';
const EICAR_RULE = 'df894cb3-e9cb-4e48-8354-f7b0139de490';

/** The antivirus let EICAR through: the EICAR rule alerts on it (it ignores handled detections). */
const letThrough = (host: string) => ({
  '@timestamp': new Date().toISOString(),
  event: { kind: 'alert', category: ['malware'], action: 'allowed', module: 'antivirus' },
  host: { id: host.toLowerCase(), name: host },
  file: { path: 'C:\\Users\\ketoan\\eicar.com' },
  rule: { name: 'EICAR-Test-File' },
});

describe.skipIf(!haveChromium)('the Rules page in a real browser', () => {
  let vigil: VigilProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let cookie: string;
  const problems: string[] = [];

  const metric = async (name: string) => {
    const text = await (await fetch(`${vigil.url}/metrics`)).text();
    return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
  };
  const alertRules = async (host: string) => {
    const response = await fetch(`${vigil.url}/api/v1/alerts?host=${host}`, { headers: { Cookie: cookie } });
    return ((await response.json()) as { items: { rule: { id: string } }[] }).items.map((alert) => alert.rule.id);
  };
  const detail = () => page.getByRole('complementary', { name: new RegExp(EICAR_TITLE) });

  beforeAll(async () => {
    buildConsole();
    vigil = await startReadyVigil();
    cookie = await signIn(vigil.url, 'admin', vigil.adminPassword);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', timezoneId: 'Asia/Ho_Chi_Minh' });
    page = await watchedPage(context, problems);
  }, 180_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await vigil?.stop();
  });

  it('switches a rule off (it stops alerting, it survives a reload) and tests it on pasted events', async () => {
    await signInThroughForm(page, vigil.url, 'admin', vigil.adminPassword);
    await openView(page, 'Rules');
    const table = page.getByRole('table', { name: 'Rules' });
    await table.getByText(EICAR_TITLE).waitFor({ timeout: 30_000 });
    await screenshots(page, 'rules-list-en');

    await page.getByRole('searchbox', { name: 'Search rules' }).fill('eicar');
    await table.getByText(EICAR_TITLE).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/rules/${EICAR_RULE}`);
    await detail().getByText('On: detection applies it.').waitFor();
    await detail().getByRole('button', { name: 'Switch off' }).click();
    await detail().getByText('Switched off: it raises no new alerts and feeds no correlation rule.').waitFor();
    await screenshots(page, 'rules-switched-off-en');

    // Persisted: a reload shows it off, with who did it.
    await page.reload();
    await detail().getByText('Switched off: it raises no new alerts and feeds no correlation rule.').waitFor({ timeout: 15_000 });
    expect(await detail().getByText(/Switched off by admin/).count()).toBe(1);
    expect(await table.locator('tr', { hasText: EICAR_TITLE }).getByText('Off', { exact: true }).count()).toBe(1);

    // Live: once detection applies it, EICAR let through raises nothing, while the
    // "threat allowed or restored" rule still fires on the same event.
    await eventually(async () => ((await metric('vigil_rules_disabled')) === 1 ? true : undefined));
    const posted = await fetch(`${vigil.url}/api/v1/events`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${vigil.agentKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify([letThrough('PC-RULES-01')]),
    });
    expect(posted.status).toBe(202);
    const raised = await eventually(async () => {
      const rules = await alertRules('PC-RULES-01');
      return rules.length > 0 ? rules : undefined;
    }, 30_000);
    expect(raised).not.toContain(EICAR_RULE);

    // Test the rule on pasted events: one EICAR let through, one other threat, one broken line.
    const box = detail().getByRole('region', { name: 'Test this rule' });
    await box
      .getByLabel('Events to test: one JSON object per line, or a JSON array')
      .fill([JSON.stringify(letThrough('PC-1')), JSON.stringify({ ...letThrough('PC-2'), rule: { name: 'Trojan.Generic' } }), '{"event": oops}'].join('\n'));
    await box.getByRole('button', { name: 'Run test' }).click();
    const results = box.getByRole('region', { name: 'Test results' });
    await results.getByText('1 of 2 events matched').waitFor({ timeout: 30_000 });
    expect(await results.getByRole('listitem').allTextContents()).toEqual([
      'Line 1 matched',
      'Line 2 no match: the detection is false for this event',
      "line 3, column 11: not JSON: Unexpected token 'o'",
    ]);
    await results.evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await screenshots(page, 'rules-test-en');

    // Vietnamese: the same page and results.
    await page.getByRole('combobox', { name: 'Language' }).selectOption('vi');
    await page.getByRole('table', { name: 'Danh sách luật' }).waitFor();
    await page.getByText('Đã tắt: luật không tạo cảnh báo mới và không cấp dữ liệu cho luật tương quan nào.').waitFor();
    await page.getByRole('region', { name: 'Kết quả chạy thử' }).evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await screenshots(page, 'rules-test-vi');
    await page.getByRole('button', { name: 'Đóng' }).click();
    await page.getByRole('searchbox', { name: 'Tìm luật' }).fill('');
    await screenshots(page, 'rules-list-vi');
    await page.getByRole('button', { name: 'Chỉ luật đã tắt' }).click();
    await page.getByRole('table', { name: 'Danh sách luật' }).getByText(EICAR_TITLE).click();
    await page.getByRole('button', { name: 'Bật luật' }).click();
    await page.getByText('Đang bật: hệ thống phát hiện đang áp dụng.').waitFor();
    await screenshots(page, 'rules-switched-on-vi');
    await page.getByRole('combobox', { name: 'Ngôn ngữ' }).selectOption('en');

    const audit = await fetch(`${vigil.url}/api/v1/audit?action=rule.switch`, { headers: { Cookie: cookie } });
    const entries = ((await audit.json()) as { items: { actor: string; after: unknown }[] }).items;
    expect(entries.map((e) => [e.actor, e.after])).toEqual([
      ['admin', { enabled: true }],
      ['admin', { enabled: false }],
    ]);
    expect(problems).toEqual([]);
  }, 240_000);
});
