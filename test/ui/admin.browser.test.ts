// Administration in a real browser (Debian's chromium via playwright-core) against a real
// Vigil: a SOC-wide admin creates and renames a unit, enrols an agent whose shown key
// really posts events, rotates it (the old key is refused), revokes it (the new one is
// refused), creates a unit-scoped admin who, signed in from a second browser, sees only
// their unit; the audit log lists all of it, with times carrying their zone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { VigilProcess } from '../support/start-vigil.ts';
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

const haveChromium = chromiumAvailable('the administration browser test');

const UNIT = 'so-tai-chinh';
const OFFICER = 'officer-tc';
const OFFICER_PASSWORD = 'officer-password-1';

function eicar(hostId: string, hostName: string) {
  return {
    '@timestamp': new Date().toISOString(),
    event: { kind: 'alert', category: ['malware'], action: 'quarantined', outcome: 'success', module: 'antivirus' },
    host: { id: hostId, name: hostName },
    file: { path: 'C:\\Users\\a\\Downloads\\eicar.com', hash: { sha256: '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f' } },
    rule: { name: 'EICAR-Test-File' },
  };
}

describe.skipIf(!haveChromium)('administration screens in a real browser', () => {
  let vigil: VigilProcess;
  let browser: Browser;
  let adminContext: BrowserContext;
  let officerContext: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  let enrolledId = '';

  const postWithKey = async (key: string, body: unknown) =>
    fetch(`${vigil.url}/api/v1/events`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  const shownKey = async (p: Page): Promise<string> => {
    const reveal = p.getByRole('region', { name: 'Agent key' });
    await reveal.waitFor({ state: 'visible', timeout: 10_000 });
    return reveal.locator('#agent-key-value').inputValue();
  };
  const agentRow = (p: Page, name: string): Locator => p.getByRole('table', { name: 'Agents' }).locator('tr[data-agent-id]').filter({ hasText: name });

  beforeAll(async () => {
    buildConsole();
    vigil = await startReadyVigil({ unit: 'so-y-te' });
    browser = await launchChromium();
    adminContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await adminContext.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: vigil.url });
    page = await watchedPage(adminContext, problems);
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await vigil?.stop();
  }, 120_000);

  it('creates and renames a unit', async () => {
    await signInThroughForm(page, vigil.url, 'admin', vigil.adminPassword);
    await openView(page, 'Units');
    const form = page.getByRole('form', { name: 'Create unit' });
    await form.getByLabel('Unit id').fill(UNIT);
    await form.getByLabel('Name').fill('Sở Tài chính');
    await form.getByRole('button', { name: 'Create unit' }).click();
    const row = page.locator(`tr[data-unit-id="${UNIT}"]`);
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('Sở Tài chính');

    // A second unit with the same id is refused, and the refusal is shown where it happened.
    await form.getByLabel('Unit id').fill(UNIT);
    await form.getByLabel('Name').fill('Duplicate');
    await form.getByRole('button', { name: 'Create unit' }).click();
    await expect.poll(() => form.getByRole('alert').textContent(), { timeout: 10_000 }).toMatch(/Could not create the unit/);

    await row.getByRole('button', { name: 'Rename' }).click();
    await row.getByLabel('New name').fill('Sở Tài chính tỉnh');
    await row.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('Sở Tài chính tỉnh');
    await screenshots(page, 'admin-units');
  }, 120_000);

  it('enrols an agent whose shown key posts events, rotates it and revokes it', async () => {
    await openView(page, 'Agents');
    const form = page.getByRole('form', { name: 'Enrol agent' });
    await form.getByLabel('Unit').selectOption(UNIT);
    await form.getByLabel('Agent name').fill('PC-TC-01');
    await form.getByRole('button', { name: 'Enrol agent' }).click();
    const key = await shownKey(page);
    expect(key.length).toBeGreaterThanOrEqual(16);
    const curl = await page.locator('#agent-key-curl').inputValue();
    expect(curl).toContain(`${vigil.url}/api/v1/events`);
    expect(curl).toContain(`Bearer ${key}`);
    await page.getByRole('button', { name: 'Copy key' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    await screenshots(page, 'admin-agents-key');

    expect((await postWithKey(key, eicar('pc-tc-01', 'PC-TC-01'))).status).toBe(202);
    await page.getByRole('button', { name: 'I have stored the key' }).click();
    expect(await page.getByRole('region', { name: 'Agent key' }).count()).toBe(0);

    // Last seen follows the accepted post (reopening the view reloads the list).
    const row = agentRow(page, 'PC-TC-01');
    await expect
      .poll(
        async () => {
          await openView(page, 'Units');
          await openView(page, 'Agents');
          await row.waitFor({ state: 'visible' });
          return row.locator('td').nth(4).textContent();
        },
        { timeout: 30_000, interval: 500 },
      )
      .not.toBe('Never');
    enrolledId = (await row.getAttribute('data-agent-id')) ?? '';

    await row.getByRole('button', { name: 'Rotate key' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Agent key' }).textContent(), { timeout: 10_000 }).toContain('New key for');
    const rotated = await shownKey(page);
    expect(rotated).not.toBe(key);
    expect((await postWithKey(key, eicar('pc-tc-01', 'PC-TC-01'))).status).toBe(401);
    expect((await postWithKey(rotated, eicar('pc-tc-01', 'PC-TC-01'))).status).toBe(202);
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('Active (rotated)');
    await page.getByRole('button', { name: 'I have stored the key' }).click();

    await row.getByRole('button', { name: 'Revoke' }).click();
    await screenshots(page, 'admin-agents-confirm');
    await row.getByRole('button', { name: 'Revoke agent' }).click();
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(0);
    expect((await postWithKey(rotated, eicar('pc-tc-01', 'PC-TC-01'))).status).toBe(401);
    await page.getByLabel(/Show revoked/).check();
    await expect.poll(() => row.textContent()).toContain('Revoked');
    expect(await row.getByRole('button', { name: 'Rotate key' }).count()).toBe(0);
    await screenshots(page, 'admin-agents');
  }, 120_000);

  it('creates a unit-scoped admin who sees only their unit from a second browser', async () => {
    await openView(page, 'Users');
    await page.getByRole('button', { name: 'New user' }).click();
    const form = page.getByRole('form', { name: 'Create user' });
    await form.getByLabel('Username').fill(OFFICER);
    await form.getByLabel('Initial password').fill(OFFICER_PASSWORD);
    await form.getByLabel('Role').selectOption('admin');
    await form.getByRole('checkbox', { name: 'Sở Tài chính tỉnh' }).check();
    await screenshots(page, 'admin-users-create');
    await form.getByRole('button', { name: 'Create user' }).click();
    const officerRow = page.locator(`tr[data-username="${OFFICER}"]`);
    await expect.poll(() => officerRow.textContent(), { timeout: 10_000 }).toContain('Sở Tài chính tỉnh');

    // Creating the same name again never replaces the person.
    await page.getByRole('button', { name: 'New user' }).click();
    await form.getByLabel('Username').fill(OFFICER);
    await form.getByLabel('Initial password').fill('another-password-2');
    await form.getByRole('checkbox', { name: 'Sở Tài chính tỉnh' }).check();
    await form.getByRole('button', { name: 'Create user' }).click();
    await expect.poll(() => form.getByRole('alert').textContent(), { timeout: 10_000 }).toMatch(/Could not create the user/);
    await form.getByRole('button', { name: 'Cancel' }).click();

    await officerRow.getByRole('button', { name: 'Manage' }).click();
    const editor = page.getByRole('complementary', { name: `Manage ${OFFICER}` });
    await editor.waitFor({ state: 'visible' });
    await screenshots(page, 'admin-users');

    officerContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const officer = await watchedPage(officerContext, problems);
    await signInThroughForm(officer, vigil.url, OFFICER, OFFICER_PASSWORD);
    await openView(officer, 'Units');
    const units = officer.getByRole('table', { name: 'Units' });
    await expect.poll(() => units.locator('tr[data-unit-id]').count(), { timeout: 10_000 }).toBe(1);
    expect(await units.textContent()).toContain('Sở Tài chính tỉnh');
    expect(await units.textContent()).not.toContain('so-y-te');
    expect(await officer.getByRole('form', { name: 'Create unit' }).count()).toBe(0);

    // The officer enrols an agent for their own unit: it is the only unit offered.
    await openView(officer, 'Agents');
    const enrol = officer.getByRole('form', { name: 'Enrol agent' });
    await expect.poll(() => enrol.getByLabel('Unit').locator('option').allTextContents(), { timeout: 10_000 }).toEqual([
      `Sở Tài chính tỉnh (${UNIT})`,
    ]);
    await enrol.getByLabel('Agent name').fill('PC-TC-02');
    await enrol.getByRole('button', { name: 'Enrol agent' }).click();
    const officerKey = await shownKey(officer);
    await officer.getByRole('button', { name: 'I have stored the key' }).click();
    await officer.getByLabel(/Show revoked/).check();
    const agents = officer.getByRole('table', { name: 'Agents' });
    await expect.poll(() => agents.locator('tr[data-agent-id]').count(), { timeout: 10_000 }).toBe(2);
    expect(await agents.locator(`tr[data-agent-id="${enrolledId}"]`).count()).toBe(1);

    // Their alert list holds their unit's detection and not the other unit's.
    expect((await postWithKey(vigil.agentKey, eicar('pc-yt-01', 'PC-YTE-01'))).status).toBe(202);
    expect((await postWithKey(officerKey, eicar('pc-tc-02', 'PC-TC-02'))).status).toBe(202);
    await openView(officer, 'Alerts');
    const alerts = officer.getByRole('table', { name: 'Alerts' });
    await alerts.locator('tr[data-alert-id]').filter({ hasText: 'PC-TC-02' }).first().waitFor({ state: 'visible', timeout: 20_000 });
    await openView(page, 'Alerts');
    // The list may hold a new alert behind its "N new alerts" banner (it never moves under
    // an analyst who is working in it): show them, as the analyst would.
    const socRow = page.getByRole('table', { name: 'Alerts' }).locator('tr[data-alert-id]').filter({ hasText: 'PC-YTE-01' }).first();
    const showNew = page.locator('button.new-alerts-button');
    await socRow.or(showNew).first().waitFor({ timeout: 20_000 });
    if (await showNew.isVisible()) await showNew.click();
    await socRow.waitFor({ timeout: 20_000 });
    expect(await alerts.locator('tr[data-alert-id]').filter({ hasText: 'PC-YTE-01' }).count()).toBe(0);

    // The officer's audit log holds their unit's entries only: not the SOC admin's sign-in.
    await openView(officer, 'Audit log');
    const officerAudit = officer.getByRole('table', { name: 'Audit entries' });
    await expect.poll(() => officerAudit.textContent(), { timeout: 10_000 }).toContain('agent.enrol');
    const actions = await officerAudit.locator('tr[data-audit-id] td:nth-child(4)').allTextContents();
    const targets = await officerAudit.locator('tr[data-audit-id] td:nth-child(5)').allTextContents();
    expect(actions.filter((a, i) => a === 'auth.login' && targets[i] === 'admin')).toEqual([]);

    // The officer changes their own password from the top bar; this browser stays signed in.
    await officer.locator('header a.who').click();
    const change = officer.getByRole('form', { name: 'Change password' });
    await change.getByLabel('Current password').fill('not-my-password');
    await change.getByLabel('New password', { exact: true }).fill('officer-password-2');
    await change.getByLabel('New password again').fill('officer-password-2');
    await change.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => change.getByRole('alert').textContent(), { timeout: 10_000 }).toContain('current password is wrong');
    await change.getByLabel('Current password').fill(OFFICER_PASSWORD);
    await change.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => change.getByRole('status').textContent(), { timeout: 10_000 }).toContain('Password changed');
    await screenshots(officer, 'account');
    await openView(officer, 'Units');
    await expect.poll(() => units.locator('tr[data-unit-id]').count(), { timeout: 10_000 }).toBe(1);
    const login = (password: string) =>
      fetch(`${vigil.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: OFFICER, password }),
      }).then((r) => r.status);
    expect(await login('officer-password-2')).toBe(200);
    expect(await login(OFFICER_PASSWORD)).toBe(401);
    await officerContext.close();
  }, 120_000);

  it('resets a password, disables, enables, changes the units of and deletes a user', async () => {
    const login = (password: string) =>
      fetch(`${vigil.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'viewer-tc', password }),
      }).then((r) => r.status);
    await openView(page, 'Users');
    await page.getByRole('button', { name: 'New user' }).click();
    const form = page.getByRole('form', { name: 'Create user' });
    await form.getByLabel('Username').fill('viewer-tc');
    await form.getByLabel('Initial password').fill('viewer-password-1');
    await form.getByLabel('Role').selectOption('viewer');
    await form.getByRole('checkbox', { name: 'Sở Tài chính tỉnh' }).check();
    await form.getByRole('button', { name: 'Create user' }).click();
    const row = page.locator('tr[data-username="viewer-tc"]');
    await row.waitFor({ state: 'visible', timeout: 10_000 });
    await row.getByRole('button', { name: 'Manage' }).click();
    const editor = page.getByRole('complementary', { name: 'Manage viewer-tc' });

    const reset = editor.getByRole('form', { name: 'Reset password' });
    await reset.getByLabel('New password').fill('viewer-password-2');
    await reset.getByRole('button', { name: 'Reset password' }).click();
    await expect.poll(() => editor.getByRole('status').textContent(), { timeout: 10_000 }).toContain('Password reset');
    expect(await login('viewer-password-2')).toBe(200);

    await editor.getByRole('button', { name: 'Disable' }).click();
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('Disabled');
    expect(await login('viewer-password-2')).toBe(401);
    await editor.getByRole('button', { name: 'Enable' }).click();
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('Active');
    expect(await login('viewer-password-2')).toBe(200);

    const roleForm = editor.getByRole('form', { name: 'Role and units' });
    await roleForm.getByLabel('Role').selectOption('analyst');
    await roleForm.getByRole('checkbox', { name: 'so-y-te' }).check();
    await roleForm.getByRole('button', { name: 'Save role and units' }).click();
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toMatch(/analyst.*Sở Tài chính tỉnh, so-y-te/);

    await editor.getByRole('button', { name: 'Delete user' }).click();
    await editor.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(0);
    expect(await login('viewer-password-2')).toBe(401);
  }, 120_000);

  it('lists these changes in the audit log, filterable by action', async () => {
    await openView(page, 'Audit log');
    const table = page.getByRole('table', { name: 'Audit entries' });
    await expect.poll(() => table.locator('tr[data-audit-id]').count(), { timeout: 10_000 }).toBeGreaterThan(5);
    const actions = await table.locator('tr[data-audit-id] td:nth-child(4)').allTextContents();
    for (const action of [
      'unit.create',
      'unit.rename',
      'agent.enrol',
      'agent.rotate',
      'agent.revoke',
      'user.create',
      'user.update',
      'user.password_reset',
      'user.delete',
      'auth.login',
      'auth.login_failed',
    ]) {
      expect(actions, action).toContain(action);
    }
    // Times carry their zone; the source address is the browser's.
    const first = table.locator('tr[data-audit-id]').first();
    expect(await first.locator('td').nth(0).textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC[+-]\d\d:\d\d$/);
    expect(await first.locator('td').nth(2).textContent()).toMatch(/127\.0\.0\.1/);

    const rename = table.locator('tr[data-audit-id]').filter({ hasText: 'unit.rename' });
    await rename.click();
    const detail = table.locator('tr.json-row');
    await expect.poll(() => detail.textContent()).toContain('Sở Tài chính tỉnh');
    expect(await detail.getByLabel('Before').textContent()).toContain('"name": "Sở Tài chính"');
    await screenshots(page, 'admin-audit');

    const filters = page.getByRole('search', { name: 'Filter audit log' });
    await filters.getByLabel('Action').fill('agent.rotate');
    await filters.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => table.locator('tr[data-audit-id]').count(), { timeout: 10_000 }).toBe(1);
    expect(await table.locator('tr[data-audit-id]').textContent()).toContain(enrolledId);

    expect(problems.filter((p) => /Content Security Policy|Refused to|pageerror/i.test(p))).toEqual([]);
  }, 120_000);
});

