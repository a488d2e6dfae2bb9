// Issue 10, "critical alerts announced" and the alerts histogram, in real Chromium
// against a real Vigil: the histogram above the list draws the alerts already there
// and a click on a bar narrows the list's time range (in the URL); with the desktop
// notification switched on (the browser's permission asked then), the critical alerts
// already in the list announce nothing, and a burst of new critical alerts arriving
// live gives exactly one notification, counted. The switch is remembered across a
// reload. window.Notification is stubbed in the page (addInitScript) to count what the
// console shows: that is the browser API boundary; everything else is real.
// Screenshots in English and Vietnamese (VIGIL_SCREENS_DIR).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { VigilProcess } from '../support/start-vigil.ts';
import { buildConsole, chromiumAvailable, launchChromium, screenshots, signInThroughForm, startReadyVigil, watchedPage } from './browser-support.ts';

const haveChromium = chromiumAvailable('the alert announcements browser test');

const av = (host: string, signature: string) => ({
  event: { kind: 'alert', category: ['malware'], action: 'quarantined', outcome: 'success', module: 'antivirus' },
  host: { id: host.toLowerCase(), name: host },
  rule: { name: signature },
});
const RANSOM = 'Ransom:Win32/WannaCrypt.A!rsm';
const MINER = 'Trojan:Win32/CoinMiner!ml';

/** Stands in for the browser's Notification: permission granted on request, every notification recorded. */
const NOTIFICATION_STUB = `
  window.__notices = [];
  window.__permissionAsked = 0;
  class StubNotification {
    // The browser remembers a granted permission across reloads: so does the stub.
    static permission = localStorage.getItem('stub-notification-permission') || 'default';
    static async requestPermission() {
      window.__permissionAsked += 1;
      StubNotification.permission = 'granted';
      localStorage.setItem('stub-notification-permission', 'granted');
      return 'granted';
    }
    constructor(title, options) { window.__notices.push({ title, body: options && options.body, tag: options && options.tag }); }
    close() {}
  }
  window.Notification = StubNotification;
`;

interface Notice {
  title: string;
  body?: string;
  tag?: string;
}

describe.skipIf(!haveChromium)('critical alerts announced, and the alerts histogram, in a real browser', () => {
  let vigil: VigilProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  const post = async (events: object[]) => {
    const answer = await fetch(`${vigil.url}/api/v1/events`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${vigil.agentKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(events),
    });
    expect(answer.status, await answer.text()).toBe(202);
  };
  const notices = () => page.evaluate(() => (window as unknown as { __notices: Notice[] }).__notices);

  beforeAll(async () => {
    buildConsole();
    vigil = await startReadyVigil();
    // Alerts from before the analyst opens the console: 5 critical (ransomware on 5 PCs),
    // 1 high (the same threat on five PCs of one unit); the coin miner raises none.
    await post([...Array.from({ length: 5 }, (_, i) => av(`OLD-R${i}`, RANSOM)), ...Array.from({ length: 3 }, (_, i) => av(`OLD-M${i}`, MINER))]);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', timezoneId: 'Asia/Ho_Chi_Minh' });
    await context.addInitScript(NOTIFICATION_STUB);
    page = await watchedPage(context, problems);
  }, 180_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await vigil?.stop();
  });

  it('draws the histogram of the listed alerts; a click on a bar narrows the time range in the URL', async () => {
    await signInThroughForm(page, vigil.url, 'admin', vigil.adminPassword);
    const table = page.getByRole('table', { name: 'Alerts' });
    await table.locator('[data-alert-id]').nth(5).waitFor({ timeout: 30_000 });
    const histogram = page.getByRole('region', { name: 'Alerts over time' });
    await expect.poll(() => histogram.getByTestId('alert-histogram-caption').textContent(), { timeout: 15_000 }).toMatch(/^6 alerts from /);
    const canvas = histogram.locator('canvas').first();
    await canvas.waitFor({ state: 'visible' });
    // The bars are drawn: some pixels of the canvas are coloured like a severity.
    const painted = await canvas.evaluate((element) => {
      const c = element as HTMLCanvasElement;
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let red = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i]! > 200 && data[i + 1]! < 110 && data[i + 2]! < 120) red += 1;
      return red;
    });
    expect(painted).toBeGreaterThan(20);
    await screenshots(page, 'alerts-histogram-en');

    // The alerts were all raised in the last minute: click the column they are drawn in.
    const box = (await canvas.boundingBox())!;
    const columns = await canvas.evaluate((element) => {
      const c = element as HTMLCanvasElement;
      const ctx = c.getContext('2d')!;
      const data = ctx.getImageData(0, 0, c.width, c.height).data;
      const hits: number[] = [];
      for (let x = 0; x < c.width; x++) {
        for (let y = 0; y < c.height; y++) {
          const i = (y * c.width + x) * 4;
          if (data[i]! > 200 && data[i + 1]! < 110 && data[i + 2]! < 120) {
            hits.push(x / c.width);
            break;
          }
        }
      }
      return hits;
    });
    expect(columns.length).toBeGreaterThan(0);
    const x = box.x + columns[Math.floor(columns.length / 2)]! * box.width;
    await page.mouse.click(x, box.y + box.height - 30);
    await expect.poll(() => new URL(page.url()).searchParams.get('from'), { timeout: 10_000 }).not.toBeNull();
    const url = new URL(page.url());
    expect(Date.parse(url.searchParams.get('to')!)).toBeGreaterThan(Date.parse(url.searchParams.get('from')!));
    await page.getByTestId('range-chip').waitFor();
    // The picked range still holds every alert (they were all raised in that minute).
    await table.locator('[data-alert-id]').nth(5).waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Remove the time range' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('from')).toBeNull();
  });

  it('with desktop notifications on, the listed alerts announce nothing and a live burst of critical alerts gives exactly one', async () => {
    await page.getByRole('button', { name: /Announce/ }).click();
    const panel = page.getByRole('group', { name: 'Announce new alerts as they arrive' });
    await panel.getByLabel('Desktop notification').check();
    await expect.poll(() => panel.getByLabel('Desktop notification').isChecked()).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { __permissionAsked: number }).__permissionAsked)).toBe(1);
    await screenshots(page, 'alerts-announce-panel-en');
    await page.keyboard.press('Escape');
    expect(await notices()).toEqual([]);

    // A burst: 40 new critical alerts (and 10 medium ones, not announced) arrive live.
    await post([...Array.from({ length: 40 }, (_, i) => av(`NEW-R${String(i).padStart(2, '0')}`, RANSOM)), ...Array.from({ length: 10 }, (_, i) => av(`NEW-M${i}`, MINER))]);
    await page.waitForFunction(() => (window as unknown as { __notices: Notice[] }).__notices.length > 0, undefined, { timeout: 30_000 });
    // Every alert of the burst has reached the console (the list or its "new" banner).
    await expect
      .poll(async () => {
        const answer = await page.evaluate(async () => (await fetch('/api/v1/alerts?limit=1&severity=critical&q=NEW-R')).json());
        return (answer as { total: number }).total;
      }, { timeout: 30_000 })
      .toBe(40);
    const shown = await notices();
    expect(shown).toHaveLength(1);
    const count = Number(/^(\d+) new critical alerts?$/.exec(shown[0]!.title)?.[1]);
    expect(count).toBeGreaterThanOrEqual(1);
    // The burst's own critical alerts, plus any critical correlation it set off.
    expect(count).toBeLessThanOrEqual(50);
    expect(shown[0]!.body).toContain(' on ');
    expect(shown[0]!.tag).toBe('vigil-alerts');
  });

  it('remembers the switch across a reload, and the page reads in Vietnamese', async () => {
    await page.reload();
    await page.getByRole('table', { name: 'Alerts' }).locator('[data-alert-id]').first().waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: /Announcing/ }).click();
    expect(await page.getByLabel('Desktop notification').isChecked()).toBe(true);
    await page.keyboard.press('Escape');
    await page.getByRole('combobox', { name: 'Language' }).selectOption('vi');
    const histogram = page.getByRole('region', { name: 'Cảnh báo theo thời gian' });
    await expect.poll(() => histogram.getByTestId('alert-histogram-caption').textContent(), { timeout: 15_000 }).toMatch(/cảnh báo từ/);
    await screenshots(page, 'alerts-histogram-vi');
    await page.getByRole('button', { name: /Đang báo hiệu/ }).click();
    await page.getByRole('group', { name: 'Báo hiệu cảnh báo mới khi chúng đến' }).waitFor();
    await screenshots(page, 'alerts-announce-panel-vi');
    await page.keyboard.press('Escape');
    expect(problems).toEqual([]);
  });
});
