// Issue 10, "Vietnamese and English": in real Chromium against a real Vigil, a first
// visit with an English browser gets English; switching to Tiếng Việt in the top bar
// turns every page of the shell Vietnamese, survives a reload and a new sign-in, and
// no page load logs an error (the 401 on /auth/me is gone). Every page is captured in
// both languages (VIGIL_SCREENS_DIR, for a person to look at).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { VigilProcess } from '../support/start-vigil.ts';
import {
  buildConsole,
  chromiumAvailable,
  launchChromium,
  screenshots,
  signInThroughForm,
  startReadyVigil,
  watchedPage,
} from './browser-support.ts';

const haveChromium = chromiumAvailable('the languages browser test');

/** Each page of the shell, with a heading or landmark that proves it rendered, per language. */
const pages = [
  { name: 'events', path: '/events?q=&from=now-24h', en: 'Search events', vi: 'Tìm sự kiện', role: 'searchbox' },
  { name: 'health', path: '/health', en: 'Detection health', vi: 'Tình trạng phát hiện', role: 'heading' },
  { name: 'units', path: '/admin/units', en: 'Units', vi: 'Đơn vị', role: 'heading' },
  { name: 'agents', path: '/admin/agents', en: 'Agents', vi: 'Tác tử', role: 'heading' },
  { name: 'users', path: '/admin/users', en: 'Users', vi: 'Người dùng', role: 'heading' },
  { name: 'audit', path: '/audit', en: 'Audit log', vi: 'Nhật ký kiểm tra', role: 'heading' },
  { name: 'account', path: '/account', en: 'Your account', vi: 'Tài khoản của bạn', role: 'heading' },
  { name: 'dashboard', path: '/dashboard?from=now-24h', en: 'Dashboard', vi: 'Tổng quan', role: 'heading' },
  { name: 'rules', path: '/rules', en: 'Detection rules', vi: 'Luật phát hiện', role: 'heading' },
  { name: 'reports', path: '/reports', en: 'Reports', vi: 'Báo cáo', role: 'heading' },
  { name: 'notifications', path: '/admin/notifications', en: 'Notifications', vi: 'Thông báo', role: 'heading' },
  { name: 'host', path: '/hosts/PC-KETOAN-02?unit={unit}', en: 'Host PC-KETOAN-02', vi: 'Máy PC-KETOAN-02', role: 'heading' },
  { name: 'unit', path: '/units/{unit}', en: 'Unit {unit}', vi: 'Đơn vị {unit}', role: 'heading' },
] as const;

describe.skipIf(!haveChromium)('the console in Vietnamese and English, in a real browser', () => {
  let vigil: VigilProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    buildConsole();
    vigil = await startReadyVigil();
    const posted = await fetch(`${vigil.url}/api/v1/events`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${vigil.agentKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify([
        { event: { kind: 'event', category: ['network'], action: 'connection', outcome: 'success', module: 'firewall' }, host: { id: 'pc-ketoan-01', name: 'PC-KETOAN-01' } },
        { event: { kind: 'alert', category: ['malware'], action: 'quarantined', outcome: 'success', module: 'antivirus' }, host: { id: 'pc-ketoan-02', name: 'PC-KETOAN-02' }, file: { path: 'C:\\Users\\ketoan\\eicar.com' }, rule: { name: 'EICAR-Test-File' } },
      ]),
    });
    expect(posted.status, await posted.text()).toBe(202);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', timezoneId: 'Asia/Ho_Chi_Minh' });
    page = await watchedPage(context, problems);
  }, 180_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await vigil?.stop();
  });

  async function visitAll(language: 'en' | 'vi'): Promise<void> {
    for (const p of pages) {
      await page.goto(`${vigil.url}${p.path.replaceAll('{unit}', vigil.unit)}`);
      const name = p[language].replaceAll('{unit}', vigil.unit);
      const landmark = p.role === 'searchbox' ? page.getByRole('searchbox', { name }) : page.getByRole('heading', { name, exact: true });
      await landmark.waitFor({ state: 'visible', timeout: 15_000 });
      if (p.name === 'events') {
        await page.getByRole('table').locator('tbody tr').filter({ hasText: 'PC-KETOAN' }).first().waitFor({ timeout: 15_000 });
      }
      await screenshots(page, `shell-${p.name}-${language}`);
    }
  }

  it('starts in the browser language (English) with no error logged, signed out or in', async () => {
    await page.goto(`${vigil.url}/health`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 15_000 });
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await screenshots(page, 'shell-login-en');
    await signInThroughForm(page, vigil.url, 'admin', vigil.adminPassword);
    await visitAll('en');
    expect(problems).toEqual([]);
  }, 120_000);

  it('switches to Vietnamese from the top bar, on every page, and remembers it', async () => {
    await page.goto(`${vigil.url}/health`);
    await page.getByRole('combobox', { name: 'Language' }).selectOption('vi');
    await page.getByRole('heading', { name: 'Tình trạng phát hiện' }).waitFor({ timeout: 10_000 });
    const nav = page.getByRole('navigation', { name: 'Màn hình' });
    for (const tab of ['Tổng quan', 'Cảnh báo', 'Sự kiện', 'Tình trạng', 'Báo cáo', 'Luật']) {
      await expect.poll(() => nav.getByRole('link', { name: tab, exact: true }).count()).toBe(1);
    }
    // The administration views, behind the "Quản trị" menu.
    await nav.getByText('Quản trị', { exact: true }).click();
    for (const tab of ['Đơn vị', 'Tác tử', 'Người dùng', 'Thông báo', 'Nhật ký kiểm tra']) {
      await expect.poll(() => nav.getByRole('link', { name: tab, exact: true }).count()).toBe(1);
    }
    await page.keyboard.press('Escape');
    expect(await page.locator('html').getAttribute('lang')).toBe('vi');
    await visitAll('vi');

    // Signed out and back in: still Vietnamese, on the sign-in page too.
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.getByRole('button', { name: 'Đăng nhập' }).waitFor({ timeout: 10_000 });
    await screenshots(page, 'shell-login-vi');
    await page.getByLabel('Tên đăng nhập').fill('admin');
    await page.getByLabel('Mật khẩu').fill(vigil.adminPassword);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('navigation', { name: 'Màn hình' }).waitFor({ timeout: 15_000 });
    expect(problems).toEqual([]);
  }, 180_000);
});
