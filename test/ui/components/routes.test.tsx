// @vitest-environment jsdom
// Issue 10, "Routes and links": every view has a URL that survives reload and can be
// sent to a colleague. A signed-out visitor of a deep link signs in and lands on it;
// a reload (a fresh mount at the same URL) shows the same view with the same search.
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setLanguage } from '../../../ui/src/i18n/i18n.ts';
import { PASSWORD, startConsoleHarness, type ConsoleHarness } from './console-harness.tsx';

describe('console routes', () => {
  let h: ConsoleHarness;

  beforeAll(async () => {
    await setLanguage('en');
    h = await startConsoleHarness();
    await h.createUser('analyst', 'analyst', 'all');
    await h.postEvents(
      [{ event: { kind: 'event', category: ['network'], action: 'connection', module: 'firewall' }, host: { id: 'pc-deeplink', name: 'PC-DEEPLINK' } }],
      'host.name:PC-DEEPLINK',
    );
  }, 120_000);
  afterEach(() => {
    cleanup();
    h.cookies.clear();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('sends a signed-out deep link to sign-in and back to the same search after signing in', async () => {
    const { router } = h.mountAt('/events?q=host.name%3APC-DEEPLINK');
    await userEvent.type(await screen.findByLabelText('Username'), 'analyst');
    await userEvent.type(screen.getByLabelText('Password'), PASSWORD);
    expect(router.state.location.pathname).toBe('/login');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    const table = await screen.findByRole('table', { name: 'Events' });
    await waitFor(() => expect(`${router.state.location.pathname}${router.state.location.search}`).toBe('/events?q=host.name%3APC-DEEPLINK'));
    expect(await within(table).findByText('PC-DEEPLINK')).toBeTruthy();
    expect(screen.getByRole('searchbox', { name: 'Search events' })).toHaveProperty('value', 'host.name:PC-DEEPLINK');
  });

  it('shows the same view and search after a reload of the URL', async () => {
    await h.signInAs('analyst');
    const url = '/events?q=host.name%3APC-DEEPLINK&from=now-30d';
    h.mountAt(url);
    expect(await within(await screen.findByRole('table', { name: 'Events' })).findByText('PC-DEEPLINK')).toBeTruthy();
    cleanup();

    const { router } = h.mountAt(url);
    const table = await screen.findByRole('table', { name: 'Events' });
    expect(await within(table).findByText('PC-DEEPLINK')).toBeTruthy();
    expect(screen.getByRole('searchbox', { name: 'Search events' })).toHaveProperty('value', 'host.name:PC-DEEPLINK');
    expect(screen.getByRole('combobox', { name: 'Time range' })).toHaveProperty('value', '30d');
    expect(router.state.location.search).toBe('?q=host.name%3APC-DEEPLINK&from=now-30d');
  });

  it('marks the open view in the top bar and opens views by their links', async () => {
    await h.signInAs('analyst');
    const { router } = h.mountAt('/health');
    const nav = await screen.findByRole('navigation', { name: 'Views' });
    await waitFor(() => expect(within(nav).getByRole('link', { name: 'Health' }).getAttribute('aria-current')).toBe('page'));
    await userEvent.click(within(nav).getByRole('link', { name: 'Events' }));
    expect(router.state.location.pathname).toBe('/events');
    expect(await screen.findByRole('searchbox', { name: 'Search events' })).toBeTruthy();
  });

  it('says plainly when a URL has no page, and keeps admin pages from non-admins', async () => {
    await h.signInAs('analyst');
    h.mountAt('/no-such-page');
    expect(await screen.findByText('There is no page at /no-such-page.')).toBeTruthy();
    cleanup();
    h.mountAt('/admin/users');
    expect(await screen.findByText('This page is for administrators; you are analyst.')).toBeTruthy();
  });
});
