// Shared setup of the real-browser console tests: the loud skip outside CI when Debian's
// chromium is missing (a failure under CI=true), building ui/dist when stale, a ready
// Vigil all-in-one process, Chromium via playwright-core, signing in through the form,
// and optional screenshots (VIGIL_SCREENS_DIR) for a person to look at.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { repoRoot, startVigil, type StartOptions, type VigilProcess } from '../support/start-vigil.ts';

export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Whether Chromium is here; says so loudly when not, and throws under CI. */
export function chromiumAvailable(testName: string): boolean {
  if (fs.existsSync(CHROMIUM)) return true;
  const why = `${CHROMIUM} is missing: run scripts/install-chromium.sh`;
  if (process.env.CI === 'true') throw new Error(`${testName} cannot run in CI: ${why}`);
  console.warn(`\n!!!!!!!!\n!!! SKIPPING ${testName}: ${why}\n!!!!!!!!\n`);
  return false;
}

/** Builds ui/dist when its sources are newer (NODE_ENV=production: vitest's 'test' would bundle React's dev build). */
export function buildConsole(): void {
  const built = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts', 'build-ui-if-stale.ts')], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (built.status !== 0) throw new Error(`building the console failed:\n${built.stderr}${built.stdout}`);
}

/**
 * A private copy of ui/dist for one Vigil process: other engineers' test runs rebuild
 * ui/dist in the shared tree (vite empties it first), which would pull the assets out
 * from under a running browser test. A copy whose index.html names a missing asset
 * (caught mid-rebuild) is taken again.
 */
export function privateConsoleCopy(): string {
  const dist = path.join(repoRoot, 'ui', 'dist');
  for (let attempt = 0; ; attempt += 1) {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-ui-'));
    try {
      fs.cpSync(dist, copy, { recursive: true });
      const index = fs.readFileSync(path.join(copy, 'index.html'), 'utf8');
      const assets = [...index.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]!);
      if (assets.length > 0 && assets.every((asset) => fs.existsSync(path.join(copy, asset)))) return copy;
    } catch (err) {
      if (attempt >= 5) throw err;
    }
    fs.rmSync(copy, { recursive: true, force: true });
    if (attempt >= 5) throw new Error('ui/dist kept changing while it was copied');
    buildConsole();
  }
}

/** A ready all-in-one Vigil serving a private copy of the built console. */
export async function startReadyVigil(options: StartOptions = {}): Promise<VigilProcess> {
  const vigil = await startVigil({ ...options, env: { VIGIL_UI_DIR: privateConsoleCopy(), ...options.env } });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ready = await fetch(`${vigil.url}/readyz`).then(
      (r) => r.status,
      () => 0,
    );
    if (ready === 200) return vigil;
    if (Date.now() > deadline) {
      await vigil.stop();
      throw new Error(`Vigil never became ready:\n${vigil.stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
}

/** A page that records console errors and uncaught errors into `problems`. */
export async function watchedPage(context: BrowserContext, problems: string[]): Promise<Page> {
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  return page;
}

/** Signs in through the form and waits for the console's alert list. */
export async function signInThroughForm(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(`${url}/`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('table', { name: 'Alerts' }).waitFor({ state: 'visible', timeout: 15_000 });
}

/**
 * Opens a view from the top bar by its tab's text (the tabs are links: every view has a
 * URL); an administration view is first looked for behind the Administration menu.
 */
export async function openView(page: Page, name: string): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Views' });
  const link = nav.getByRole('link', { name, exact: true });
  if (!(await link.isVisible())) await nav.locator('details.view-menu > summary').click();
  await link.click();
}

/** Screenshots at 1280 and 1920 px wide into VIGIL_SCREENS_DIR, when set; the viewport is restored. */
export async function screenshots(page: Page, name: string): Promise<void> {
  const dir = process.env.VIGIL_SCREENS_DIR;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  const before = page.viewportSize();
  for (const width of [1280, 1920]) {
    await page.setViewportSize({ width, height: width === 1280 ? 800 : 1080 });
    await page.screenshot({ path: path.join(dir, `${name}-${width}.png`) });
  }
  if (before) await page.setViewportSize(before);
}
