// Hostile content in a real browser (Debian's chromium via playwright-core) against a
// real Vigil: events whose every displayed field carries XSS payloads (script tags,
// <img onerror>, attribute break-outs, javascript: URLs, SVG onload, template
// injection, bidi overrides, 60 kB tokens without spaces), raised into alerts by a
// shipped antivirus rule, from an agent and a unit whose names are payloads too. Every
// page that shows them is opened; no script may run (a global flag stays unset, no
// dialog opens, no injected element or on* attribute reaches the DOM, which would be a
// bug even when the CSP blocks it), the CSP stays strict, and the layout holds.
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

const haveChromium = chromiumAvailable('the XSS browser test');

const RLO = '\u202E';
const PAYLOADS = [
  '<script>window.__xss=1</script>',
  '<img src=x onerror="window.__xss=1">',
  '"><img src=x onerror=window.__xss=1>',
  "' onmouseover='window.__xss=1' autofocus onfocus='window.__xss=1' x='",
  'javascript:window.__xss=1',
  '<svg onload="window.__xss=1"><circle r="9"/></svg>',
  '<a href="javascript:window.__xss=1">open</a>',
  '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
  "{{constructor.constructor('window.__xss=1')()}}",
  `invoice${RLO}gpj.exe`,
];
/**
 * A token without spaces as long as ingest takes in one field (ECS text fields: 32 KiB;
 * an event: 64 KiB). Longer ones are refused per line, checked below.
 */
const BIG = 'A'.repeat(16_000) + 'B'.repeat(16_000);
const UNIT_NAME = `<img src=x onerror="window.__xss=1"> Sở ${RLO}txt.exe <script>window.__xss=1</script>`;
const AGENT_NAME = `<svg onload="window.__xss=1"></svg> agent ${RLO}fdp.exe`;

/** A detection the shipped rule "Malware Detected But Not Remediated" raises an alert for, `text` in every displayed field. */
function hostileDetection(i: number, text: string) {
  return {
    '@timestamp': new Date().toISOString(),
    event: { kind: 'alert', category: ['malware'], module: 'antivirus', action: 'detected', outcome: 'failure' },
    host: { id: `xss-${i}`, name: text },
    file: { path: text, name: text },
    rule: { name: text },
    user: { name: text },
    url: { full: `javascript:window.__xss=1//${i}`, original: text },
    process: { executable: text, command_line: text, name: text },
    dns: { question: { name: text } },
    message: text,
    tags: [text],
  };
}

/** Fields that get the long token, one per event so each stays under the per-event limit. */
const BIG_FIELDS = [
  ['host', 'name'],
  ['file', 'path'],
  ['rule', 'name'],
  ['message'],
] as const;

function bigDetection(i: number, field: readonly string[]) {
  const event = hostileDetection(i, `long token ${i}`) as Record<string, unknown>;
  let at = event;
  for (const key of field.slice(0, -1)) at = at[key] as Record<string, unknown>;
  at[field[field.length - 1]!] = BIG;
  return event;
}

interface PageFindings {
  flag: unknown;
  injected: string[];
  javascriptLinks: number;
  docOverflow: number;
  /** Bidi override or isolate characters left raw in text or tooltips (they make names read differently). */
  rawBidi: number;
}

/** What a payload could have done to the page: the flag, injected elements or handlers, javascript: links, horizontal overflow. */
function inspect(page: Page): Promise<PageFindings> {
  return page.evaluate(() => {
    const injected: string[] = [];
    const bidi = /[\u202A-\u202E\u2066-\u2069]/;
    let rawBidi = bidi.test(document.body.innerText) ? 1 : 0;
    for (const el of Array.from(document.querySelectorAll('[title]'))) if (bidi.test(el.getAttribute('title') ?? '')) rawBidi += 1;
    for (const el of Array.from(document.querySelectorAll('#root *'))) {
      const tag = el.tagName.toLowerCase();
      if (['script', 'img', 'iframe', 'object', 'embed', 'svg', 'circle'].includes(tag)) injected.push(tag);
      for (const attr of Array.from(el.attributes)) {
        if (/^on/i.test(attr.name)) injected.push(`${tag}[${attr.name}]`);
        if (/^\s*javascript:/i.test(attr.value) && ['href', 'src', 'action', 'formaction'].includes(attr.name)) injected.push(`${tag}[${attr.name}=javascript:]`);
      }
    }
    const w = window as unknown as { __xss?: unknown };
    return {
      flag: w.__xss,
      injected,
      javascriptLinks: document.querySelectorAll('a[href^="javascript:" i]').length,
      docOverflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      rawBidi,
    };
  });
}

describe.skipIf(!haveChromium)('hostile event content in a real browser', () => {
  let vigil: VigilProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let cookie: string;
  const problems: string[] = [];
  const dialogs: string[] = [];
  let hostileKey = '';
  const VIEWPORT = { width: 1280, height: 800 };

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${vigil.url}/api/v1${path}`, {
      ...init,
      headers: { Cookie: cookie, 'Content-Type': 'application/json', Origin: vigil.url, ...(init.headers as Record<string, string> | undefined) },
    });
  const post = (key: string, body: unknown) =>
    fetch(`${vigil.url}/api/v1/events`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  const expectClean = async (where: string) => {
    const found = await inspect(page);
    expect(found.flag, `${where}: a payload ran`).toBeUndefined();
    expect(found.injected, `${where}: markup from a payload reached the DOM`).toEqual([]);
    expect(found.javascriptLinks, `${where}: javascript: links`).toBe(0);
    expect(found.docOverflow, `${where}: the page scrolls sideways`).toBeLessThanOrEqual(0);
    expect(dialogs, `${where}: dialogs opened`).toEqual([]);
    expect(found.rawBidi, `${where}: bidi controls shown raw`).toBe(0);
  };
  /** Every matching element lies within the viewport's width. */
  const expectWithinViewport = async (selector: string, where: string) => {
    const boxes = await page.locator(selector).evaluateAll((els) => els.map((el) => el.getBoundingClientRect()).map((r) => ({ left: r.left, right: r.right })));
    expect(boxes.length, `${where}: nothing matched ${selector}`).toBeGreaterThan(0);
    for (const box of boxes) {
      expect(box.left, where).toBeGreaterThanOrEqual(0);
      expect(box.right, where).toBeLessThanOrEqual(VIEWPORT.width + 0.5);
    }
  };
  /** The element does not overflow horizontally (its content fits its width, or wraps). */
  const expectNoSidewaysOverflow = async (selector: string, where: string) => {
    const sizes = await page.locator(selector).evaluateAll((els) => els.map((el) => ({ scroll: el.scrollWidth, client: el.clientWidth })));
    expect(sizes.length, `${where}: nothing matched ${selector}`).toBeGreaterThan(0);
    for (const s of sizes) expect(s.scroll, where).toBeLessThanOrEqual(s.client + 1);
  };

  beforeAll(async () => {
    buildConsole();
    vigil = await startReadyVigil({ unit: 'so-y-te' });
    cookie = await signIn(vigil.url, 'admin', vigil.adminPassword);

    // A unit and an agent named with payloads: their names show in alert rows and admin screens.
    expect((await api('/units', { method: 'POST', body: JSON.stringify({ id: 'xss-unit', name: UNIT_NAME }) })).status).toBe(201);
    const enrolled = await api('/agents', { method: 'POST', body: JSON.stringify({ unit: 'xss-unit', name: AGENT_NAME }) });
    expect(enrolled.status).toBe(201);
    hostileKey = ((await enrolled.json()) as { key: string }).key;

    const events = [
      ...PAYLOADS.map((p, i) => hostileDetection(i, `${p} ${i}`)),
      ...BIG_FIELDS.map((field, i) => bigDetection(PAYLOADS.length + i, field)),
    ];
    const accepted = await post(hostileKey, events);
    expect(accepted.status, await accepted.clone().text()).toBe(202);
    expect(((await accepted.json()) as { accepted: number }).accepted).toBe(events.length);
    // An event a day ahead: the Health view lists the hostile agent under clocks ahead.
    const ahead = { ...hostileDetection(97, 'clock ahead'), '@timestamp': new Date(Date.now() + 86_400_000).toISOString() };
    expect((await post(hostileKey, [ahead])).status).toBe(202);
    // A 100 kB token is over the limits: refused for that line, never a 5xx, and the other line kept.
    const tooBig = await post(hostileKey, [bigDetection(99, ['host', 'name']), { ...hostileDetection(98, 'x'), message: 'C'.repeat(100_000) }]);
    expect(tooBig.status, await tooBig.clone().text()).toBe(202);
    expect((await tooBig.json()) as { accepted: number; rejected: unknown[] }).toMatchObject({ accepted: 1, rejected: [{}] });

    // Wait for detection to raise every alert (one per host) before opening the console.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await api('/alerts?limit=100');
      const items = ((await res.json()) as { items: unknown[] }).items;
      if (items.length >= events.length) break;
      if (Date.now() > deadline) throw new Error(`only ${items.length} of ${events.length} alerts raised:\n${vigil.stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    browser = await launchChromium();
    context = await browser.newContext({ viewport: VIEWPORT });
    page = await watchedPage(context, problems);
    page.on('dialog', (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await vigil?.stop();
  });

  it('serves the console under a strict Content-Security-Policy', async () => {
    const response = await page.goto(`${vigil.url}/`);
    const csp = response?.headers()['content-security-policy'] ?? '';
    const directives = new Map(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .filter((parts) => parts[0])
        .map((parts) => [parts[0]!, parts.slice(1)] as const),
    );
    const scriptSrc = directives.get('script-src') ?? directives.get('default-src');
    expect(scriptSrc, csp).toEqual(["'self'"]);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|strict-dynamic|\*/);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('shows hostile alerts in the list as text, within the viewport', async () => {
    await signInThroughForm(page, vigil.url, 'admin', vigil.adminPassword);
    const rows = page.getByRole('table', { name: 'Alerts' }).locator('tr[data-alert-id]');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(PAYLOADS.length + BIG_FIELDS.length);
    const text = await page.getByRole('table', { name: 'Alerts' }).textContent();
    expect(text).toContain('<script>window.__xss=1</script>');
    expect(text).toContain('<img src=x onerror="window.__xss=1">');
    // The override shows as a mark: "invoice[U+202E]gpj.exe", not "invoiceexe.jpg".
    expect(text).toContain('invoice[U+202E]gpj.exe');
    await expectWithinViewport('table[aria-label="Alerts"] tr[data-alert-id]', 'alert list');
    await expectNoSidewaysOverflow('.at-scroll', 'alert list');
    await expectClean('alert list');
    await screenshots(page, 'xss-alerts');
  });

  it('opens each hostile alert: the detail pane neither runs nor overflows', async () => {
    const rows = page.getByRole('table', { name: 'Alerts' }).locator('tr[data-alert-id]');
    const count = await rows.count();
    const detail = page.getByRole('complementary', { name: 'Alert detail' });
    for (let i = 0; i < count; i += 1) {
      await rows.nth(i).click();
      await detail.waitFor({ state: 'visible' });
      // Open every event of the alert to show its raw JSON too.
      const summaries = detail.locator('summary');
      await expect.poll(() => summaries.count(), { timeout: 10_000 }).toBeGreaterThan(0);
      for (const summary of await summaries.all()) await summary.click();
      await expectWithinViewport('aside[aria-label="Alert detail"]', `alert detail ${i}`);
      await expectNoSidewaysOverflow('aside[aria-label="Alert detail"], aside[aria-label="Alert detail"] .detail-body', `alert detail ${i}`);
      await expectWithinViewport('table[aria-label="Alerts"] tr[data-alert-id]', `alert list beside detail ${i}`);
      await expectClean(`alert detail ${i}`);
    }
    // The long token's alert, last opened or not, is screenshotted open.
    await rows.filter({ hasText: 'AAAAAAAAAA' }).first().click();
    await screenshots(page, 'xss-alert-detail');
  });

  it('shows hostile events in the event search as text', async () => {
    await openView(page, 'Events');
    await page.getByRole('search').getByRole('button', { name: 'Search' }).click();
    const rows = page.getByRole('table', { name: 'Events' }).locator('tbody tr[aria-expanded]');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(PAYLOADS.length + BIG_FIELDS.length);
    for (const row of await rows.all()) await row.click();
    await expectNoSidewaysOverflow('.events-pane .table-scroll', 'event search');
    await expectWithinViewport('table[aria-label="Events"] pre.json-view', 'event search raw events');
    await expectClean('event search');
    await screenshots(page, 'xss-events');
  });

  it('shows the health view and the admin screens with hostile unit and agent names as text', async () => {
    await openView(page, 'Health');
    await page.getByRole('region', { name: 'Detection health' }).waitFor({ state: 'visible' });
    const clocks = page.getByRole('table', { name: 'Agents with clocks ahead' });
    await expect.poll(() => clocks.textContent(), { timeout: 20_000 }).toContain('agent [U+202E]fdp.exe');
    await expectWithinViewport('table[aria-label="Agents with clocks ahead"] tr', 'health');
    await expectClean('health');
    await screenshots(page, 'xss-health');

    await openView(page, 'Units');
    const unitRow = page.locator('tr[data-unit-id="xss-unit"]');
    await expect.poll(() => unitRow.textContent(), { timeout: 10_000 }).toContain('<script>window.__xss=1</script>');
    await expectWithinViewport('table[aria-label="Units"] tr', 'units');
    await expectClean('units');
    await screenshots(page, 'xss-units');

    await openView(page, 'Agents');
    const agentRow = page.locator('table[aria-label="Agents"] tr[data-agent-id]').filter({ hasText: 'agent' }).filter({ hasText: '<svg' });
    await expect.poll(() => agentRow.count(), { timeout: 10_000 }).toBe(1);
    await expectWithinViewport('table[aria-label="Agents"] tr', 'agents');
    // Rotating shows the hostile name in the key panel and the curl line.
    await agentRow.getByRole('button', { name: 'Rotate key' }).click();
    await page.getByRole('region', { name: 'Agent key' }).waitFor({ state: 'visible' });
    await expectWithinViewport('section[aria-label="Agent key"]', 'agent key');
    await expectClean('agents');
    await screenshots(page, 'xss-agents');

    await openView(page, 'Users');
    await page.getByRole('table', { name: 'Users' }).waitFor({ state: 'visible' });
    await page.getByRole('button', { name: 'New user' }).click();
    await expectClean('users');

    await openView(page, 'Audit log');
    const audit = page.getByRole('table', { name: 'Audit entries' });
    const entries = audit.locator('tr[data-audit-id]');
    await expect.poll(() => entries.count(), { timeout: 10_000 }).toBeGreaterThan(2);
    for (const entry of await entries.all()) await entry.click();
    await expect.poll(() => audit.textContent()).toContain('<script>window.__xss=1</script>');
    await expectNoSidewaysOverflow('.audit-pane .table-scroll', 'audit log');
    await expectWithinViewport('table[aria-label="Audit entries"] tr', 'audit log');
    await expectClean('audit log');
    await screenshots(page, 'xss-audit');

    expect(problems.filter((p) => /pageerror/i.test(p))).toEqual([]);
  });
});
