// Issue 10, "Host page and unit page: timeline of events and alerts", in real Chromium
// against a real Vigil: the chart at the top of each page draws the place's alerts
// (stacked by severity) and events over the range on canvas; a click on the alerts'
// bar narrows the page to that bar's minute, a drag across the events narrows it to
// the bars dragged over, the counts follow, and Back widens it again. Both pages are
// captured in English and Vietnamese (VIGIL_SCREENS_DIR); no page logs an error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { signIn, type VigilProcess } from '../support/start-vigil.ts';
import { buildConsole, chromiumAvailable, launchChromium, screenshots, signInThroughForm, startReadyVigil, watchedPage } from './browser-support.ts';

const haveChromium = chromiumAvailable('the host and unit pages browser test');

const host = (name: string) => ({ id: name.toLowerCase(), name });
const av = (name: string, signature: string, action: string) => ({
  event: { kind: 'alert', category: ['malware'], action, outcome: action.endsWith('failed') ? 'failure' : 'success', module: 'antivirus' },
  host: host(name),
  rule: { name: signature },
});
const logon = (name: string) => ({ event: { kind: 'event', category: ['authentication'], action: 'logon', outcome: 'success' }, host: host(name), user: { name: 'lan' } });

/**
 * The horizontal positions (0..1 of the width) of the plot's columns with coloured
 * pixels: inside the grid (40 px from the left, 12 from the right, above the 22 px of
 * axis labels), below the legend's `topPx`, opaque and not grey like the axes.
 */
async function paintedColumns(canvas: Locator, topPx: number): Promise<number[]> {
  return canvas.evaluate((element, top) => {
    const c = element as HTMLCanvasElement;
    const ratio = c.width / c.getBoundingClientRect().width;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const hits: number[] = [];
    for (let x = Math.ceil(42 * ratio); x < c.width - 12 * ratio; x++) {
      for (let y = Math.ceil(top * ratio); y < c.height - 24 * ratio; y++) {
        const i = (y * c.width + x) * 4;
        const [r, g, b, a] = [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
        if (a > 200 && Math.max(r, g, b) - Math.min(r, g, b) > 90) {
          hits.push(x / c.width);
          break;
        }
      }
    }
    return hits;
  }, topPx);
}

describe.skipIf(!haveChromium)('the host and unit pages’ activity charts in a real browser', () => {
  let vigil: VigilProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  const activity = () => page.getByTestId('place-activity');
  const alertsCaption = () => activity().getByTestId('place-activity-alerts');
  const eventsCaption = () => activity().getByTestId('place-activity-events');

  beforeAll(async () => {
    buildConsole();
    vigil = await startReadyVigil();
    // PC-KETOAN-01: ransomware and a coin miner it failed to remove (two alerts), three logons; PC-KETOAN-02: one logon.
    const posted = await fetch(`${vigil.url}/api/v1/events`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${vigil.agentKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify([
        av('PC-KETOAN-01', 'Ransom:Win32/WannaCrypt.A!rsm', 'quarantined'),
        av('PC-KETOAN-01', 'Trojan:Win32/CoinMiner!ml', 'quarantine_failed'),
        logon('PC-KETOAN-01'),
        logon('PC-KETOAN-01'),
        logon('PC-KETOAN-01'),
        logon('PC-KETOAN-02'),
      ]),
    });
    expect(posted.status, await posted.text()).toBe(202);
    const admin = await signIn(vigil.url, 'admin', vigil.adminPassword);
    const until = Date.now() + 60_000;
    for (;;) {
      const page = (await (await fetch(`${vigil.url}/api/v1/alerts?host=PC-KETOAN-01&limit=1`, { headers: { Cookie: admin } })).json()) as { total: number };
      if (page.total >= 2) break;
      if (Date.now() > until) throw new Error(`the detections never became alerts: ${JSON.stringify(page)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', timezoneId: 'Asia/Ho_Chi_Minh' });
    page = await watchedPage(context, problems);
    await signInThroughForm(page, vigil.url, 'admin', vigil.adminPassword);
  }, 180_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await vigil?.stop();
  });

  it('draws a host’s alerts and events; a click on the alerts’ bar narrows the page to its minute, and Back widens it', async () => {
    await page.goto(`${vigil.url}/hosts/PC-KETOAN-01?unit=${vigil.unit}&from=now-1h`);
    await expect.poll(() => alertsCaption().textContent(), { timeout: 15_000 }).toBe('2 alerts, one bar per 1 min, by severity');
    await expect.poll(() => eventsCaption().textContent(), { timeout: 15_000 }).toBe('5 events, one bar per 1 min');
    const alertsCanvas = activity().locator('.place-chart-alerts canvas').first();
    await alertsCanvas.waitFor({ state: 'visible' });
    // The legend sits in the top 24 px; below it, the alerts' bar is drawn in a severity's colour.
    await expect.poll(async () => (await paintedColumns(alertsCanvas, 26)).length, { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(async () => (await paintedColumns(activity().locator('.place-chart-events canvas').first(), 10)).length).toBeGreaterThan(0);
    await screenshots(page, 'host-activity-en');

    const columns = await paintedColumns(alertsCanvas, 26);
    const box = (await alertsCanvas.boundingBox())!;
    await page.mouse.click(box.x + columns[Math.floor(columns.length / 2)]! * box.width, box.y + box.height - 30);
    await expect.poll(() => new URL(page.url()).searchParams.get('to') ?? '', { timeout: 10_000 }).toMatch(/^\d{4}-\d\d-\d\dT/);
    const url = new URL(page.url());
    expect(url.searchParams.get('unit')).toBe(vigil.unit);
    expect(Date.parse(url.searchParams.get('to')!) - Date.parse(url.searchParams.get('from')!)).toBe(60_000);
    // That minute holds at least one of the two alerts, now in bars of seconds.
    await expect.poll(() => alertsCaption().textContent(), { timeout: 15_000 }).toMatch(/^[12] alerts?, one bar per \d+ s, by severity$/);
    await page.getByTestId('place-timeline').locator('a[href^="/alerts/"]').first().waitFor();
    await screenshots(page, 'host-activity-narrowed-en');

    await page.goBack();
    await expect.poll(() => alertsCaption().textContent(), { timeout: 15_000 }).toBe('2 alerts, one bar per 1 min, by severity');
    expect(new URL(page.url()).searchParams.get('to')).toBeNull();
  });

  it('draws a unit’s events; a drag across them narrows the page to the bars dragged over', async () => {
    await page.goto(`${vigil.url}/units/${vigil.unit}?from=now-1h`);
    await expect.poll(() => eventsCaption().textContent(), { timeout: 15_000 }).toBe('6 events, one bar per 1 min');
    await expect.poll(() => alertsCaption().textContent(), { timeout: 15_000 }).toMatch(/^2 alerts/);
    const chart = activity().locator('.place-chart-events');
    await expect.poll(() => chart.locator('canvas').count()).toBeGreaterThan(0);
    await screenshots(page, 'unit-activity-en');
    // From the grid's left edge (40 px in) to its right one (12 px from the end): the whole hour.
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + 44, box.y + box.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width - 14, box.y + box.height * 0.5, { steps: 10 });
    await page.mouse.up();
    await expect.poll(() => new URL(page.url()).searchParams.get('to') ?? '', { timeout: 10_000 }).toMatch(/^\d{4}-\d\d-\d\dT/);
    const url = new URL(page.url());
    const span = Date.parse(url.searchParams.get('to')!) - Date.parse(url.searchParams.get('from')!);
    expect(span).toBeGreaterThanOrEqual(50 * 60_000);
    expect(span).toBeLessThanOrEqual(61 * 60_000);
    expect(span % 60_000).toBe(0);
    await expect.poll(() => eventsCaption().textContent(), { timeout: 15_000 }).toMatch(/^6 events, one bar per 1 min$/);
  });

  it('speaks Vietnamese on both pages', async () => {
    await page.goto(`${vigil.url}/hosts/PC-KETOAN-01?unit=${vigil.unit}&from=now-1h`);
    await page.getByRole('combobox', { name: 'Language' }).selectOption('vi');
    await expect.poll(() => alertsCaption().textContent(), { timeout: 15_000 }).toBe('2 cảnh báo, mỗi cột 1 phút, theo mức độ');
    await expect.poll(() => activity().locator('.place-chart-alerts canvas').count()).toBeGreaterThan(0);
    await activity().getByRole('button', { name: /^Phóng to cột nhiều nhất/ }).waitFor();
    await screenshots(page, 'host-activity-vi');
    await page.goto(`${vigil.url}/units/${vigil.unit}?from=now-1h`);
    await expect.poll(() => eventsCaption().textContent(), { timeout: 15_000 }).toBe('6 sự kiện, mỗi cột 1 phút');
    await page.getByTestId('unit-hosts').getByRole('link', { name: 'PC-KETOAN-01' }).waitFor();
    await screenshots(page, 'unit-activity-vi');
    expect(problems).toEqual([]);
  });
});
