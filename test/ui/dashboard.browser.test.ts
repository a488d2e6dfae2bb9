// Issue 10, "Dashboard" and "Host page and unit page", in real Chromium against a real
// Vigil: antivirus detections posted through the ingest API become the dashboard's
// panels (drawn by ECharts on canvas), a click on the top host's bar opens the Alerts
// list filtered to that host and range, and the host and unit pages show the host's
// alerts, timeline and agent. Every page is captured in English and Vietnamese
// (VIGIL_SCREENS_DIR) for a person to look at; no page logs an error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { signIn, type VigilProcess } from '../support/start-vigil.ts';
import { buildConsole, chromiumAvailable, launchChromium, screenshots, signInThroughForm, startReadyVigil, watchedPage } from './browser-support.ts';

const haveChromium = chromiumAvailable('the dashboard browser test');

const av = (host: string, signature: string, action = 'quarantined') => ({
  event: { kind: 'alert', category: ['malware'], action, outcome: action.endsWith('failed') ? 'failure' : 'success', module: 'antivirus' },
  host: { id: host.toLowerCase(), name: host },
  file: { path: `C:\\Users\\ketoan\\AppData\\Local\\Temp\\${signature.length}.exe` },
  rule: { name: signature },
});

describe.skipIf(!haveChromium)('the dashboard in a real browser', () => {
  let vigil: VigilProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    buildConsole();
    vigil = await startReadyVigil();
    // PC-KETOAN-01: ransomware, a coin miner it failed to quarantine, a wiper (3 alerts);
    // PC-KETOAN-02: ransomware (1); PC-VANTHU-03: an EICAR test file blocked (no alert).
    const posted = await fetch(`${vigil.url}/api/v1/events`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${vigil.agentKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify([
        av('PC-KETOAN-01', 'Ransom:Win32/WannaCrypt.A!rsm'),
        av('PC-KETOAN-01', 'Trojan:Win32/CoinMiner!ml', 'quarantine_failed'),
        av('PC-KETOAN-01', 'Ransom:Win32/LockBit.B', 'quarantine_failed'),
        av('PC-KETOAN-02', 'Ransom:Win32/WannaCrypt.A!rsm'),
        av('PC-VANTHU-03', 'Virus:DOS/EICAR_Test_File', 'blocked'),
        { event: { kind: 'event', category: ['network'], action: 'connection', outcome: 'success', module: 'firewall' }, host: { id: 'pc-ketoan-01', name: 'PC-KETOAN-01' }, destination: { ip: '203.0.113.9', port: 443 } },
      ]),
    });
    expect(posted.status, await posted.text()).toBe(202);
    const admin = await signIn(vigil.url, 'admin', vigil.adminPassword);
    const until = Date.now() + 60_000;
    for (;;) {
      const groups = (await (await fetch(`${vigil.url}/api/v1/alerts/groups?by=host`, { headers: { Cookie: admin } })).json()) as { groups: { key: string; count: number }[] };
      if ((groups.groups.find((g) => g.key === 'PC-KETOAN-01')?.count ?? 0) >= 2 && groups.groups.some((g) => g.key === 'PC-KETOAN-02')) break;
      if (Date.now() > until) throw new Error(`the detections never became alerts: ${JSON.stringify(groups)}`);
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

  it('renders every panel with data, from the top bar’s Dashboard link', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Dashboard', exact: true }).click();
    await page.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor();
    const hosts = page.getByTestId('panel-top-hosts');
    await hosts.getByRole('link', { name: 'PC-KETOAN-01', exact: true }).waitFor();
    // Every chart is drawn: ECharts put a canvas in each box.
    for (const panel of ['panel-over-time', 'panel-top-hosts', 'panel-top-rules', 'panel-top-units', 'panel-top-threats', 'panel-infections', 'panel-agents']) {
      await expect.poll(() => page.getByTestId(panel).locator('canvas').count(), { message: panel }).toBeGreaterThan(0);
    }
    expect(await page.getByTestId('panel-infections').getByRole('link', { name: 'Failed', exact: true }).count()).toBe(1);
    expect(await page.getByTestId('agents-online').textContent()).toBe('1');
    expect(await page.getByTestId('kpi-alerts').locator('.dash-kpi-value').textContent()).toMatch(/^[3-9]$/);
    await screenshots(page, 'dashboard-en');
  });

  it('opens the Alerts list filtered to the top host when its bar is clicked', async () => {
    await page.goto(`${vigil.url}/dashboard?from=now-1h`);
    const panel = page.getByTestId('panel-top-hosts');
    await panel.getByRole('link', { name: 'PC-KETOAN-01', exact: true }).waitFor();
    const rows = await panel.locator('ol.dash-list > li').count();
    const chart = panel.locator('.dash-chart');
    await expect.poll(() => chart.locator('canvas').count()).toBeGreaterThan(0);
    const box = (await chart.boundingBox())!;
    // The grid spans the box less 4 px above and below; the first (largest) bar is the top
    // band. Click inside the band, left of the value labels (40 px on the right).
    const band = (box.height - 8) / rows;
    await page.mouse.click(box.x + box.width - 60, box.y + 4 + band / 2);
    await page.waitForURL((url) => url.pathname === '/alerts');
    const params = new URL(page.url()).searchParams;
    expect(Object.fromEntries(params)).toEqual({ status: 'all', host: 'PC-KETOAN-01', unit: vigil.unit, range: '1h' });
    const table = page.getByRole('table', { name: 'Alerts' });
    await table.getByText('PC-KETOAN-01').first().waitFor();
    expect(await table.getByText('PC-KETOAN-02').count()).toBe(0);
  });

  it('shows the host page and the unit page, linked from the dashboard', async () => {
    await page.goto(`${vigil.url}/dashboard`);
    const hosts = page.getByTestId('panel-top-hosts');
    await hosts.getByRole('link', { name: 'PC-KETOAN-01', exact: true }).waitFor();
    await hosts.locator('li', { hasText: 'PC-KETOAN-01' }).getByRole('link', { name: 'Host page' }).click();
    await page.getByRole('heading', { name: 'Host PC-KETOAN-01' }).waitFor();
    await page.getByTestId('place-timeline').getByText('connection').first().waitFor();
    await page.getByTestId('place-agents').getByText('Online').waitFor();
    expect(await page.getByTestId('place-open-alerts').locator('tbody tr').count()).toBeGreaterThanOrEqual(2);
    await screenshots(page, 'host-en');

    await page.getByRole('link', { name: /^in / }).click();
    await page.getByTestId('unit-hosts').getByRole('link', { name: 'PC-KETOAN-02' }).waitFor();
    await page.getByTestId('place-agents').getByText('Online').waitFor();
    await screenshots(page, 'unit-en');
  });

  it('speaks Vietnamese on all three pages', async () => {
    await page.goto(`${vigil.url}/dashboard`);
    await page.getByRole('combobox', { name: 'Language' }).selectOption('vi');
    await page.getByRole('heading', { name: 'Tổng quan', exact: true }).waitFor();
    await page.getByTestId('panel-infections').getByRole('link', { name: 'Xử lý thất bại' }).waitFor();
    await expect.poll(() => page.getByTestId('panel-top-hosts').locator('canvas').count()).toBeGreaterThan(0);
    await screenshots(page, 'dashboard-vi');
    await page.goto(`${vigil.url}/hosts/PC-KETOAN-01?unit=${vigil.unit}`);
    await page.getByRole('heading', { name: 'Máy PC-KETOAN-01' }).waitFor();
    await page.getByTestId('place-agents').getByText('Hoạt động').waitFor();
    await screenshots(page, 'host-vi');
    await page.goto(`${vigil.url}/units/${vigil.unit}`);
    await page.getByTestId('unit-hosts').getByRole('link', { name: 'PC-KETOAN-02' }).waitFor();
    await screenshots(page, 'unit-vi');
    expect(problems).toEqual([]);
  });
});
