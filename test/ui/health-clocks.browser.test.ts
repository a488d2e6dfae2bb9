// The Health view's "Clocks ahead" in a real browser (Debian's chromium via
// playwright-core) against a real Vigil: an agent posts an event stamped one day in the
// future; the view lists that agent by name under its unit's name with one event and when it was
// last seen, with the time zone. Before it, the table says no clock is ahead; an admin
// of another unit never sees the agent (the API scopes the list).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { signIn, type VigilProcess } from '../support/start-vigil.ts';
import {
  buildConsole,
  chromiumAvailable,
  launchChromium,
  openView,
  screenshots,
  signInThroughForm,
  startReadyVigil,
  watchedPage,
} from './browser-support.ts';

const haveChromium = chromiumAvailable('the health clocks browser test');

const UNIT_NAME = 'Sở Y tế Hà Nội';
const HOST = 'pc-clock-ahead';
const DAY_MS = 24 * 3_600_000;

interface FutureAgent {
  unit: string;
  agent: string;
  count: number;
  lastSeen: string;
}

describe.skipIf(!haveChromium)('Health view: clocks ahead, in a real browser', () => {
  let vigil: VigilProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let adminCookie: string;
  const problems: string[] = [];

  const api = async (method: string, route: string, cookie: string, body?: unknown) => {
    const res = await fetch(`${vigil.url}${route}`, {
      method,
      headers: { Cookie: cookie, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    expect(res.status, text).toBeLessThan(300);
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  };
  const futureAgents = async (cookie: string) =>
    ((await api('GET', '/api/v1/health', cookie)) as { detection: { futureTimestamps?: FutureAgent[] } }).detection.futureTimestamps;

  beforeAll(async () => {
    buildConsole();
    vigil = await startReadyVigil();
    adminCookie = await signIn(vigil.url, 'admin', vigil.adminPassword);
    await api('PATCH', `/api/v1/units/${vigil.unit}`, adminCookie, { name: UNIT_NAME });
    await api('POST', '/api/v1/units', adminCookie, { id: 'so-tai-chinh', name: 'Sở Tài chính' });
    await api('POST', '/api/v1/users', adminCookie, { username: 'tc-admin', password: 'tc-admin-password-1', role: 'admin', units: ['so-tai-chinh'] });
    browser = await launchChromium();
    // A fixed zone, so the shown offset is known whatever the machine's zone.
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, timezoneId: 'Asia/Ho_Chi_Minh' });
    page = await watchedPage(context, problems);
    await signInThroughForm(page, vigil.url, 'admin', vigil.adminPassword);
  }, 120_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await vigil?.stop();
  });

  it('lists an agent whose event was stamped a day ahead, under its unit, with the zone of its last-seen time', async () => {
    await openView(page, 'Health');
    const table = page.getByRole('table', { name: 'Agents with clocks ahead' });
    await table.waitFor({ state: 'visible', timeout: 15_000 });
    await expect.poll(() => table.textContent(), { timeout: 10_000 }).toContain("No agent's clock is ahead");

    const posted = await fetch(`${vigil.url}/api/v1/events`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${vigil.agentKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        '@timestamp': new Date(Date.now() + DAY_MS).toISOString(),
        event: { kind: 'event', category: ['network'], action: 'connection', outcome: 'success', module: 'firewall' },
        host: { id: HOST, name: HOST },
      }),
    });
    expect(posted.status, await posted.text()).toBe(202);

    // The agent as detection names it (its key's agent, or the host), read from the API.
    const listed = await expect
      .poll(async () => (await futureAgents(adminCookie))?.length ?? 0, { timeout: 30_000 })
      .toBe(1)
      .then(async () => (await futureAgents(adminCookie))![0]!);
    expect(listed).toMatchObject({ unit: vigil.unit, count: 1 });

    // The view polls every few seconds: the row appears without a reload.
    const row = table.locator('tbody tr').filter({ hasText: UNIT_NAME });
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    // Named as the admin screens name them (the ids on hover).
    const agents = (await api('GET', '/api/v1/agents', adminCookie)) as { items: { id: string; name: string }[] };
    const agentName = agents.items.find((agent) => agent.id === listed.agent)?.name ?? listed.agent;
    const cells = (await row.locator('td').allTextContents()).map((text) => text.trim());
    expect(cells[0]).toBe(UNIT_NAME);
    expect(cells[1]).toBe(agentName);
    expect(await row.locator('td').nth(1).getAttribute('title')).toBe(listed.agent);
    expect(cells[2]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\+07:00$/);
    expect(cells[3]).toBe('1');
    expect(await table.locator('tbody tr').count()).toBe(1);

    // Unit data: an admin of another unit gets an empty list, a reader of this unit the agent.
    const otherAdmin = await signIn(vigil.url, 'tc-admin', 'tc-admin-password-1');
    expect(await futureAgents(otherAdmin)).toEqual([]);

    const screens = process.env.VIGIL_SCREENS_DIR;
    if (screens) {
      fs.mkdirSync(screens, { recursive: true });
      await page.getByRole('region', { name: 'Clocks ahead' }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(screens, 'health-clocks.png'), fullPage: true });
      await page.getByRole('region', { name: 'Clocks ahead' }).screenshot({ path: path.join(screens, 'health-clocks-table.png') });
    }
    await screenshots(page, 'health-clocks');
    // (The console's first /auth/me before signing in answers 401 and is logged; not a problem.)
    expect(problems.filter((p) => /pageerror|Refused to|Content Security Policy|status of (403|5\d\d)/i.test(p))).toEqual([]);
  }, 90_000);
});
