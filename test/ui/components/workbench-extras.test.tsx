// @vitest-environment jsdom
// Issue 10's smaller console items against a real Vigil (console-harness): the audit
// log's filters live in the URL (they survive a reload and a Filter puts them there),
// the agent-key reveal box and the role names read Vietnamese, and the alerts
// histogram says what it counts (jsdom draws no canvas; the chart itself is checked in
// real Chromium by test/ui/alerts-announce.browser.test.ts).
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setLanguage } from '../../../ui/src/i18n/i18n.ts';
import { startConsoleHarness, type ConsoleHarness } from './console-harness.tsx';

describe('audit filters, admin translations and the alerts histogram', () => {
  let h: ConsoleHarness;

  beforeAll(async () => {
    await setLanguage('en');
    h = await startConsoleHarness();
    await h.createUser('lan', 'analyst', 'all');
    await h.createUser('minh', 'viewer', 'all');
    await h.postEvents(
      Array.from({ length: 3 }, (_, i) => ({
        event: { kind: 'alert', category: ['malware'], action: 'quarantined', outcome: 'success', module: 'antivirus' },
        host: { id: `pc-x${i}`, name: `PC-X${i}` },
        rule: { name: 'Ransom:Win32/WannaCrypt.A!rsm' },
      })),
      'host.name:PC-X*',
    );
  }, 180_000);
  afterEach(async () => {
    cleanup();
    h.cookies.clear();
    await setLanguage('en');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('reads the audit filters from the URL, puts a new filter there, and keeps it across a reload', async () => {
    await h.signInAs('admin');
    const { router } = h.mountAt('/audit?actor=admin&action=user.create');
    const form = await screen.findByRole('search', { name: 'Filter audit log' });
    expect(within(form).getByLabelText('Actor')).toHaveProperty('value', 'admin');
    expect(within(form).getByLabelText('Action')).toHaveProperty('value', 'user.create');
    const table = screen.getByRole('table', { name: 'Audit entries' });
    // The users admin created; nothing else is listed.
    await waitFor(() => expect(within(table).getAllByRole('row').filter((r) => r.hasAttribute('data-audit-id')).length).toBeGreaterThanOrEqual(2));
    for (const row of within(table).getAllByRole('row').filter((r) => r.hasAttribute('data-audit-id'))) expect(row.textContent).toContain('user.create');

    const action = within(form).getByLabelText('Action');
    await userEvent.clear(action);
    await userEvent.type(action, 'alert.update');
    await userEvent.click(within(form).getByRole('button', { name: 'Filter' }));
    await waitFor(() => expect(router.state.location.search).toBe('?actor=admin&action=alert.update'));
    await waitFor(() => expect(within(table).getByText('No entries match these filters')).toBeTruthy());

    // A reload (or a colleague opening the link) shows the same filtered log.
    const link = `${router.state.location.pathname}${router.state.location.search}`;
    cleanup();
    h.mountAt(link);
    const again = await screen.findByRole('search', { name: 'Filter audit log' });
    expect(within(again).getByLabelText('Action')).toHaveProperty('value', 'alert.update');
    expect(within(again).getByLabelText('Actor')).toHaveProperty('value', 'admin');
  });

  it('shows the agent-key reveal box and the role names in Vietnamese', async () => {
    await setLanguage('vi');
    await h.signInAs('admin');
    h.mountAt('/admin/agents');
    const enrol = await screen.findByRole('form', { name: 'Đăng ký tác tử' });
    await userEvent.type(within(enrol).getByRole('textbox'), 'PC-KETOAN-09');
    await userEvent.click(within(enrol).getByRole('button'));
    const reveal = await screen.findByRole('region', { name: 'Khóa của agent' });
    expect(reveal.textContent).toContain('Đã đăng ký agent:');
    expect(reveal.textContent).toContain('Khóa này chỉ hiện một lần');
    expect(within(reveal).getByRole('button', { name: 'Tôi đã lưu khóa' })).toBeTruthy();
    expect(reveal.textContent).not.toMatch(/shown once|I have stored/);

    cleanup();
    h.mountAt('/admin/users');
    const table = await screen.findByRole('table', { name: 'Người dùng' });
    await waitFor(() => expect(table.textContent).toContain('phân tích viên'));
    expect(table.textContent).toContain('người xem');
  });

  it('says what the alerts histogram counts, for the current filters', async () => {
    await h.signInAs('lan');
    h.mountAt('/alerts?q=PC-X');
    const histogram = await screen.findByRole('region', { name: 'Alerts over time' });
    await waitFor(() => expect(within(histogram).getByTestId('alert-histogram-caption').textContent).toMatch(/^3 alerts from .+ one bar per \d+ (s|min|h|d)\./));
  });
});
