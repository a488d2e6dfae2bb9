// @vitest-environment jsdom
// Issue 10 on the console's shell screens, against a real Vigil on an empty database:
// the language switch (Vietnamese shown, remembered across a reload), a failed event
// search (defect 4: the previous results go, the error says where), Health on an
// empty database (defect 6: no "15 min behind now"; times with their zone; units by
// name; a unit-scoped user reads no SOC-wide counts).
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setLanguage } from '../../../ui/src/i18n/i18n.ts';
import { initialLanguage, LANGUAGE_STORAGE_KEY } from '../../../ui/src/i18n/languages.ts';
import { startConsoleHarness, type ConsoleHarness } from './console-harness.tsx';

describe('shell screens', () => {
  let h: ConsoleHarness;

  beforeAll(async () => {
    h = await startConsoleHarness();
    await h.createUser('analyst', 'analyst', 'all');
    await h.createUser('officer', 'viewer', [h.vigil.unit]);
    await h.call('PATCH', `/api/v1/units/${h.vigil.unit}`, { name: 'Sở Y tế' });
  }, 120_000);
  afterEach(async () => {
    cleanup();
    h.cookies.clear();
    await setLanguage('en');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('switches to Vietnamese from the top bar and keeps it after a reload', async () => {
    await setLanguage('en');
    await h.signInAs('analyst');
    h.mountAt('/health');
    await userEvent.selectOptions(await screen.findByRole('combobox', { name: 'Language' }), 'vi');

    const nav = await screen.findByRole('navigation', { name: 'Màn hình' });
    expect(within(nav).getByRole('link', { name: 'Cảnh báo' })).toBeTruthy();
    expect(within(nav).getByRole('link', { name: 'Sự kiện' })).toBeTruthy();
    expect(await screen.findByRole('heading', { name: 'Tình trạng phát hiện' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Đăng xuất' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('vi');
    expect(localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('vi');

    // A reload starts from what this browser remembered, whatever its own language.
    cleanup();
    expect(initialLanguage()).toBe('vi');
    h.mountAt('/events');
    expect(await screen.findByRole('searchbox', { name: 'Tìm sự kiện' })).toBeTruthy();
    expect(screen.getByRole('combobox', { name: 'Ngôn ngữ' })).toHaveProperty('value', 'vi');
  });

  it('says "No events yet" on an empty database instead of reading the idle watermark as behind', async () => {
    await h.signInAs('officer');
    h.mountAt('/health');
    const detection = await screen.findByLabelText('Detection');
    // The database is empty (this runs before any test posts an event).
    expect(await within(detection).findByText('No events from your units yet')).toBeTruthy();
    expect(detection.textContent).not.toMatch(/behind now/);
    // A unit-scoped user reads no SOC-wide counts, and is told why.
    expect(within(detection).queryByText('Events waiting for detect')).toBeNull();
    expect(within(detection).queryByText('Active correlation groups')).toBeNull();
    expect(screen.getByRole('note').textContent).toMatch(/SOC-wide users only/);
    expect(screen.queryByRole('table', { name: 'Late events per rule' })).toBeNull();
    // Times carry their zone.
    expect(screen.getByText(/^Updated \d\d:\d\d:\d\d (UTC|GMT)/)).toBeTruthy();
  });

  it('shows a SOC analyst the empty database as empty, with the counts they may read', async () => {
    await h.signInAs('analyst');
    h.mountAt('/health');
    const detection = await screen.findByLabelText('Detection');
    expect(await within(detection).findByText('No events yet')).toBeTruthy();
    await waitFor(() => expect(within(detection).getByText('Events waiting for detect')).toBeTruthy());
    expect(detection.textContent).not.toMatch(/behind now/);
    expect(screen.getByRole('table', { name: 'Late events per rule' })).toBeTruthy();
  });

  it('replaces the results of a search with the error of a failed one, pointing at its column', async () => {
    await h.postEvents(
      [{ event: { kind: 'event', category: ['network'], action: 'connection', module: 'firewall' }, host: { id: 'pc-ketoan-01', name: 'PC-KETOAN-01' } }],
      'host.name:PC-KETOAN-01',
    );
    await h.signInAs('analyst');
    h.mountAt('/events?q=host.name%3APC-KETOAN-01');
    const table = await screen.findByRole('table', { name: 'Events' });
    expect(await within(table).findByText('PC-KETOAN-01')).toBeTruthy();
    // The unit by its name, not its id.
    expect(within(table).getByText('Sở Y tế')).toBeTruthy();

    const box = screen.getByRole('searchbox', { name: 'Search events' });
    await userEvent.clear(box);
    await userEvent.type(box, 'host.name: PC{Enter}');

    const error = await screen.findByRole('alert');
    expect(error.textContent).toMatch(/column 11/);
    expect(error.textContent).toContain('host.name: PC');
    expect(screen.queryByRole('table', { name: 'Events' })).toBeNull();
    expect(screen.queryByText('PC-KETOAN-01')).toBeNull();
  });
});

