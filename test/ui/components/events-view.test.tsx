// @vitest-environment jsdom
// Issue 10, "Events": the query language (OR, NOT, ranges) from the URL, the histogram's
// caption, the field sidebar whose values add a filter, the export links carrying the
// search, and a failed search that replaces everything with its error and column
// (defect 4) — against a real all-in-one Vigil.
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setLanguage } from '../../../ui/src/i18n/i18n.ts';
import { startConsoleHarness, type ConsoleHarness } from './console-harness.tsx';

describe('Events view', () => {
  let h: ConsoleHarness;

  beforeAll(async () => {
    await setLanguage('en');
    h = await startConsoleHarness();
    await h.createUser('analyst', 'analyst', 'all');
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
    const conn = (host: string, port: number, m: number) => ({
      '@timestamp': minutesAgo(m),
      event: { kind: 'event', category: ['network'], action: 'connection', module: 'firewall' },
      host: { id: host.toLowerCase(), name: host },
      destination: { ip: '10.1.2.3', port },
    });
    await h.postEvents([conn('PC-LOW', 443, 5), conn('PC-HIGH-A', 8443, 4), conn('PC-HIGH-B', 50000, 3), conn('PC-HIGH-B', 3389, 2)], 'event.module:firewall');
  }, 120_000);
  afterEach(() => {
    cleanup();
    h.cookies.clear();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('searches a range from the URL, draws its histogram caption, and filters by a sidebar value', async () => {
    await h.signInAs('analyst');
    const { router } = h.mountAt(`/events?q=${encodeURIComponent('destination.port >= 1024')}&from=now-1h`);
    const table = await screen.findByRole('table', { name: 'Events' });
    await within(table).findAllByText('PC-HIGH-B');
    expect(within(table).getByText('PC-HIGH-A')).toBeTruthy();
    expect(within(table).queryByText('PC-LOW')).toBeNull();
    await waitFor(() => expect(screen.getByTestId('event-histogram-caption').textContent).toMatch(/^3 matches from .* one bar per minute/));

    const sidebar = screen.getByRole('complementary', { name: 'Fields' });
    expect(within(sidebar).getByText(/newest 3 matches \(a sample of at most 500\)/)).toBeTruthy();
    const hostField = await within(sidebar).findByRole('region', { name: 'host.name' });
    await userEvent.click(within(hostField).getByRole('button', { name: /PC-HIGH-B/ }));
    await waitFor(() => expect(new URLSearchParams(router.state.location.search).get('q')).toBe('destination.port >= 1024 host.name:"PC-HIGH-B"'));
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Events' })).queryByText('PC-HIGH-A')).toBeNull());
    expect(within(screen.getByRole('table', { name: 'Events' })).getAllByText('PC-HIGH-B')).toHaveLength(2);
    expect(screen.getByRole('searchbox', { name: 'Search events' })).toHaveProperty('value', 'destination.port >= 1024 host.name:"PC-HIGH-B"');

    const csv = screen.getByRole('link', { name: 'CSV' });
    const href = new URL(csv.getAttribute('href') ?? '', 'http://console');
    expect(href.pathname).toBe('/api/v1/events/export');
    expect(href.searchParams.get('format')).toBe('csv');
    expect(href.searchParams.get('q')).toBe('destination.port >= 1024 host.name:"PC-HIGH-B"');
    expect(href.searchParams.get('from')).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(screen.getByRole('link', { name: 'NDJSON' }).getAttribute('href')).toContain('format=ndjson');
    expect(screen.getByText('Export (up to 100,000 events):')).toBeTruthy();
  });

  it('ORs and NOTs as typed', async () => {
    await h.signInAs('analyst');
    h.mountAt(`/events?q=${encodeURIComponent('(host.name:PC-LOW OR host.name:PC-HIGH-A) NOT destination.port:443')}`);
    const table = await screen.findByRole('table', { name: 'Events' });
    expect(await within(table).findByText('PC-HIGH-A')).toBeTruthy();
    expect(within(table).queryByText('PC-LOW')).toBeNull();
    expect(within(table).queryByText('PC-HIGH-B')).toBeNull();
  });

  it('replaces the results, histogram and sidebar with the error and a caret at its column', async () => {
    await h.signInAs('analyst');
    h.mountAt('/events?q=event.module:firewall');
    await within(await screen.findByRole('table', { name: 'Events' })).findByText('PC-LOW');
    const box = screen.getByRole('searchbox', { name: 'Search events' });
    await userEvent.clear(box);
    await userEvent.type(box, 'host.name:PC-LOW OR{Enter}');
    // The first error on screen is the search's: the sidebar and histogram leave a
    // refused query to the search box instead of saying it first.
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Invalid query at column 18, at “OR”: OR needs a term after it');
    expect(screen.getAllByRole('alert')).toHaveLength(1);
    expect(screen.queryByRole('table', { name: 'Events' })).toBeNull();
    expect(screen.queryByRole('complementary', { name: 'Fields' })).toBeNull();
    expect(screen.queryByTestId('event-histogram-caption')).toBeNull();
  });
});
