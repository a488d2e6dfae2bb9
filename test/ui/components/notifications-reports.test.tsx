// @vitest-environment jsdom
// Issue 12's console screens against a real `vigil start` with a notify.yml whose webhooks
// are real local HTTP receivers: the Notifications screen (the file's location, channels
// with nothing secret shown, a test send delivered and one refused, dead letters with
// their reason, "Retry all"), a unit admin's narrower view of it, an alert's notifications
// on its detail, and the Reports screen for a unit officer (their unit only; another
// unit's report refused) and for a SOC-wide user (the whole SOC).
import fs from 'node:fs';
import path from 'node:path';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setLanguage } from '../../../ui/src/i18n/i18n.ts';
import { startHttpReceiver, type HttpReceiver } from '../../notify/receivers.ts';
import { eventually, makeTempDir } from '../../support/start-vigil.ts';
import { startConsoleHarness, type ConsoleHarness } from './console-harness.tsx';

const SECRET = 'webhook-secret-never-shown';

describe('notifications and reports screens', () => {
  let h: ConsoleHarness;
  let soc: HttpReceiver;
  let broken: HttpReceiver;
  let alertId = '';

  beforeAll(async () => {
    await setLanguage('en');
    soc = await startHttpReceiver();
    broken = await startHttpReceiver();
    broken.mode = 'fail';
    const dataDir = makeTempDir();
    const rules = path.join(dataDir, 'notify.yml');
    fs.writeFileSync(
      rules,
      [
        'channels:',
        `  soc-hook: { type: webhook, url: '${soc.url}/private/path', secret: ${SECRET} }`,
        `  officer-broken: { type: webhook, url: '${broken.url}/x', secret: ${SECRET}, unit: so-y-te, language: en }`,
        `  other-unit: { type: telegram, token: "123:TOKEN-SECRET", chat_id: -100777, unit: so-tai-chinh }`,
        'rules:',
        '  - { name: everything to the SOC, channels: [soc-hook] }',
        '  - { name: unit officers, unit_channels: true }',
      ].join('\n'),
    );
    h = await startConsoleHarness({ dataDir, env: { VIGIL_NOTIFY_RULES_FILE: rules, VIGIL_NOTIFY_MAX_ATTEMPTS: '1' } });
    await h.call('POST', '/api/v1/units', { id: 'so-tai-chinh', name: 'Sở Tài chính' });
    await h.call('PATCH', `/api/v1/units/${h.vigil.unit}`, { name: 'Sở Y tế' });
    await h.createUser('unit-admin', 'admin', [h.vigil.unit]);
    await h.createUser('officer', 'viewer', [h.vigil.unit]);
    await h.createUser('soc-analyst', 'analyst', 'all');
    // An EICAR file the antivirus let through: an alert, notified to both hooks.
    await h.postEvents(
      [{ event: { kind: 'alert', category: ['malware'], action: 'allowed', module: 'antivirus' }, host: { id: 'pc-07', name: 'PC-KETOAN-07' }, rule: { name: 'EICAR-Test-File' } }],
      'host.name:PC-KETOAN-07',
    );
    const dead = await eventually(async () => {
      const res = await h.call('GET', '/api/v1/notifications/dead-letters');
      return (res.body as { items: Array<{ alertId: string; channel: string }> }).items.find((d) => d.channel === 'officer-broken');
    }, 60_000);
    alertId = dead.alertId;
  }, 180_000);
  afterEach(() => {
    cleanup();
    h.cookies.clear();
  });
  afterAll(async () => {
    await h?.close();
    await soc?.close();
    await broken?.close();
  });

  it('shows an admin where notify.yml lives, the channels without secrets, and the dead letters with their reason', async () => {
    await h.signInAs('admin');
    h.mountAt('/admin/notifications');
    const channels = await screen.findByRole('table', { name: 'Notification channels' });
    expect(screen.getByRole('note').textContent).toContain(path.join(h.vigil.dataDir, 'notify.yml'));
    expect(screen.getByRole('note').textContent).toMatch(/read-only/);
    const rows = within(channels).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.getAttribute('data-channel'))).toEqual(['officer-broken', 'other-unit', 'soc-hook']);
    expect(rows[1]!.textContent).toContain('chat -100777');
    expect(rows[2]!.textContent).toContain(`${soc.url}/…`);
    expect(document.body.textContent).not.toMatch(/webhook-secret-never-shown|TOKEN-SECRET|private\/path/);
    expect(within(screen.getByRole('table', { name: 'Routing rules' })).getByText('the alert’s unit’s own channels')).toBeTruthy();

    const letters = screen.getByRole('table', { name: 'Dead letters' });
    const dead = await within(letters).findAllByText('officer-broken');
    for (const cell of dead) {
      expect(cell.closest('tr')!.textContent).toMatch(/HTTP 500/);
      expect(cell.closest('tr')!.textContent).toContain('Sở Y tế');
    }
    // The channel's count of dead letters is the list's.
    expect(rows[0]!.querySelector('td.num')!.textContent).toBe(String(dead.length));
  });

  it('sends a test and shows that it was delivered, or why not', async () => {
    await h.signInAs('admin');
    h.mountAt('/admin/notifications');
    await userEvent.click(await screen.findByRole('button', { name: 'Send a test to soc-hook' }));
    const hookRow = screen.getByRole('table', { name: 'Notification channels' }).querySelector('tr[data-channel="soc-hook"]') as HTMLElement;
    expect((await within(hookRow).findByRole('status')).textContent).toMatch(/^Delivered at /);
    expect(JSON.parse(soc.received.at(-1)!.body)).toMatchObject({ type: 'test', channel: 'soc-hook' });

    await userEvent.click(screen.getByRole('button', { name: 'Send a test to officer-broken' }));
    const brokenRow = screen.getByRole('table', { name: 'Notification channels' }).querySelector('tr[data-channel="officer-broken"]') as HTMLElement;
    expect((await within(brokenRow).findByRole('status')).textContent).toMatch(/^Not delivered: .*HTTP 500/);
  });

  it("shows a unit admin only their unit's channel and dead letters", async () => {
    await h.signInAs('unit-admin');
    h.mountAt('/admin/notifications');
    const channels = await screen.findByRole('table', { name: 'Notification channels' });
    await waitFor(() => expect(within(channels).getAllByRole('row').slice(1).map((r) => r.getAttribute('data-channel'))).toEqual(['officer-broken']));
    expect(document.body.textContent).not.toMatch(/other-unit|soc-hook|-100777/);
    expect(within(screen.getByRole('table', { name: 'Routing rules' })).queryByText('everything to the SOC')).toBeNull();
  });

  it('retries every dead letter with "Retry all" once the receiver is back', async () => {
    broken.mode = 'ok';
    const before = broken.received.length;
    await h.signInAs('admin');
    h.mountAt('/admin/notifications');
    const letters = await screen.findByRole('table', { name: 'Dead letters' });
    await within(letters).findAllByText('officer-broken');
    await userEvent.click(screen.getByRole('button', { name: 'Retry all' }));
    await userEvent.click(screen.getAllByRole('button', { name: 'Retry all' }).at(-1)!);
    expect((await screen.findByText(/notifications? queued again$/)).textContent).toMatch(/^\d+ notifications? queued again$/);
    await within(letters).findByText('No dead letters.');
    // Every dead letter goes out again, in no promised order: the alert's is among them.
    const retriedAlertIds = () => broken.received.slice(before).map((request) => (JSON.parse(request.body) as { alert?: { id: string } }).alert?.id);
    await eventually(async () => (retriedAlertIds().includes(alertId) ? true : undefined), 20_000).catch(() => undefined);
    expect(retriedAlertIds()).toContain(alertId);
  });

  it("lists the alert's notifications on its detail; a unit officer sees their unit's channel only", async () => {
    await h.signInAs('admin');
    h.mountAt(`/alerts/${alertId}`);
    const table = await screen.findByRole('table', { name: 'Notifications of this alert' });
    await waitFor(() => expect(within(table).getAllByRole('row').slice(1).map((r) => r.querySelector('td')!.textContent).sort()).toEqual(['officer-broken', 'soc-hook']));
    expect(within(table).getAllByText('Sent').length).toBeGreaterThanOrEqual(1);
    cleanup();

    h.cookies.clear();
    await h.signInAs('officer');
    h.mountAt(`/alerts/${alertId}`);
    const theirs = await screen.findByRole('table', { name: 'Notifications of this alert' });
    expect(within(theirs).getAllByRole('row').slice(1).map((r) => r.querySelector('td')!.textContent)).toEqual(['officer-broken']);
  });

  it("gives a unit officer their own unit's report and refuses another unit's", async () => {
    await h.signInAs('officer');
    h.mountAt('/reports');
    const form = await screen.findByRole('form', { name: 'Choose a report' });
    await waitFor(() => expect(within(form).getAllByRole('option', { hidden: true }).map((o) => o.textContent)).toContain('Sở Y tế'));
    expect(within(form).queryByRole('option', { name: 'Whole SOC' })).toBeNull();
    expect(within(form).queryByRole('option', { name: 'Sở Tài chính' })).toBeNull();
    await userEvent.selectOptions(within(form).getByLabelText('Period'), 'this');
    await userEvent.click(within(form).getByRole('button', { name: 'Show report' }));
    expect(await screen.findByRole('heading', { name: 'Report: Sở Y tế' }, { timeout: 30_000 })).toBeTruthy();
    const figures = screen.getAllByLabelText('Key figures').find((el) => el.tagName === 'DL')!;
    expect(figures.querySelector('[data-figure="events"] dd')!.textContent).toBe('1');
    expect(within(screen.getByRole('table', { name: 'Top threats' })).getByText('EICAR-Test-File')).toBeTruthy();
    expect(within(form).getByRole('link', { name: 'Download PDF' }).getAttribute('href')).toMatch(/^\/api\/v1\/reports\?unit=so-y-te&from=.*&format=pdf$/);
    cleanup();

    h.mountAt('/reports?unit=so-tai-chinh&period=last&lang=en');
    expect(await screen.findByText('There is no such unit among those you may see.')).toBeTruthy();
    expect(screen.queryByRole('heading', { name: /^Report:/ })).toBeNull();
  });

  it('offers a SOC-wide user the whole SOC, and says when a custom range is backwards', async () => {
    await h.signInAs('soc-analyst');
    h.mountAt('/reports?unit=*&period=this&lang=vi');
    expect(await screen.findByRole('heading', { name: 'Report: Whole SOC' }, { timeout: 30_000 })).toBeTruthy();
    const form = screen.getByRole('form', { name: 'Choose a report' });
    await userEvent.selectOptions(within(form).getByLabelText('Period'), 'custom');
    const from = within(form).getByLabelText('From (day)');
    const to = within(form).getByLabelText('To (day, included)');
    await userEvent.clear(from);
    await userEvent.type(from, '2026-11-30');
    await userEvent.clear(to);
    await userEvent.type(to, '2026-11-01');
    await userEvent.click(within(form).getByRole('button', { name: 'Show report' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Choose a first and a last day, the last not before the first.');
  });
});
