// @vitest-environment jsdom
// Issue 10, "Host page and unit page: timeline of events and alerts", in jsdom against a
// real all-in-one Vigil (console-harness): the chart at the top of each page counts the
// place's alerts (GET /api/v1/alerts/histogram by host and unit) and events (GET
// /api/v1/events/histogram of its search) over the page's range, as its lines of text
// say (jsdom draws no canvas: the bars themselves are clicked in
// test/ui/places.browser.test.ts); narrowing to the busiest bar puts that bar's range in
// the URL, the counts follow, and Back widens it again.
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setLanguage } from '../../../ui/src/i18n/i18n.ts';
import { startConsoleHarness, type ConsoleHarness } from './console-harness.tsx';

const host = (name: string) => ({ id: name.toLowerCase(), name });
const av = (name: string, signature: string, action: string) => ({
  event: { kind: 'alert', category: ['malware'], action, outcome: action.endsWith('failed') ? 'failure' : 'success', module: 'antivirus' },
  rule: { name: signature },
  host: host(name),
});
const logon = (name: string) => ({ event: { kind: 'event', category: ['authentication'], action: 'logon', outcome: 'success' }, host: host(name), user: { name: 'lan' } });

interface AlertPage {
  items: { last_seen: string }[];
}

describe('host and unit pages: events and alerts over time', () => {
  let h: ConsoleHarness;

  beforeAll(async () => {
    await setLanguage('en');
    h = await startConsoleHarness();
    await h.createUser('minh', 'analyst', 'all');
    // PA-PC1: ransomware and a coin miner it failed to remove (two alerts) and two logons; PA-PC2: one logon.
    await h.postEvents(
      [
        av('PA-PC1', 'Ransom:Win32/WannaCrypt.A!rsm', 'quarantined'),
        av('PA-PC1', 'Trojan:Win32/CoinMiner!ml', 'quarantine_failed'),
        logon('PA-PC1'),
        logon('PA-PC1'),
        logon('PA-PC2'),
      ],
      'host.name:PA-PC*',
    );
    const until = Date.now() + 60_000;
    while ((((await h.call('GET', '/api/v1/alerts?limit=1&host=PA-PC1')).body as { total: number }).total ?? 0) < 2) {
      if (Date.now() > until) throw new Error('the detections never became alerts');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }, 180_000);
  afterEach(() => {
    cleanup();
    h.cookies.clear();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('counts a host’s alerts and events over the range, and links to both lists over it', async () => {
    await h.signInAs('minh');
    h.mountAt(`/hosts/PA-PC1?unit=${h.vigil.unit}&from=now-1h`);
    const activity = await screen.findByTestId('place-activity');
    await waitFor(() => expect(within(activity).getByTestId('place-activity-alerts').textContent).toMatch(/^2 alerts, one bar per 1 min, by severity$/));
    await waitFor(() => expect(within(activity).getByTestId('place-activity-events').textContent).toMatch(/^4 events, one bar per 1 min$/));
    const alertsLink = new URL(within(activity).getByRole('link', { name: 'These alerts in the list' }).getAttribute('href')!, 'http://x');
    expect(alertsLink.pathname).toBe('/alerts');
    expect(Object.fromEntries([...alertsLink.searchParams].filter(([k]) => k !== 'from' && k !== 'to'))).toEqual({ status: 'all', host: 'PA-PC1', unit: h.vigil.unit });
    expect(Date.parse(alertsLink.searchParams.get('to')!) - Date.parse(alertsLink.searchParams.get('from')!)).toBe(3_600_000);
    const eventsLink = new URL(within(activity).getByRole('link', { name: 'These events in the search' }).getAttribute('href')!, 'http://x');
    expect(eventsLink.searchParams.get('q')).toBe(`host.name:PA-PC1 organization.id:${h.vigil.unit}`);
  });

  it('narrows the page to the busiest bar (the range goes into the URL, the counts follow) and Back widens it again', async () => {
    await h.signInAs('minh');
    const { router } = h.mountAt(`/hosts/PA-PC1?unit=${h.vigil.unit}&from=now-1h`);
    const activity = await screen.findByTestId('place-activity');
    await waitFor(() => expect(within(activity).getByTestId('place-activity-alerts').textContent).toMatch(/^2 alerts/));
    await userEvent.click(within(activity).getByRole('button', { name: /^Zoom to the busiest bar/ }));

    const params = new URLSearchParams(router.state.location.search);
    const from = Date.parse(params.get('from')!);
    const to = Date.parse(params.get('to')!);
    expect(params.get('unit')).toBe(h.vigil.unit);
    expect(to - from).toBe(60_000);
    // The bar held the host's alerts seen in that minute: the page now counts exactly those.
    const alerts = (await h.call('GET', `/api/v1/alerts?host=PA-PC1&unit=${h.vigil.unit}`)).body as AlertPage;
    const inBar = alerts.items.filter((a) => Date.parse(a.last_seen) >= from && Date.parse(a.last_seen) < to).length;
    expect(inBar).toBeGreaterThan(0);
    await waitFor(() => expect(within(activity).getByTestId('place-activity-alerts').textContent).toMatch(new RegExp(`^${inBar} alerts?, one bar per \\d+ s, by severity$`)));
    expect(within(screen.getByTestId('place-timeline')).getAllByRole('link').some((a) => a.getAttribute('href')?.startsWith('/alerts/'))).toBe(true);

    await router.navigate(-1);
    await waitFor(() => expect(router.state.location.search).toBe(`?unit=${h.vigil.unit}&from=now-1h`));
    await waitFor(() => expect(within(activity).getByTestId('place-activity-alerts').textContent).toMatch(/^2 alerts, one bar per 1 min/));
  });

  it('counts a whole unit’s events and alerts, in Vietnamese too', async () => {
    await h.signInAs('minh');
    h.mountAt(`/units/${h.vigil.unit}?from=now-1h`);
    const activity = await screen.findByTestId('place-activity');
    await waitFor(() => expect(within(activity).getByTestId('place-activity-events').textContent).toMatch(/^5 events, one bar per 1 min$/));
    await waitFor(() => expect(within(activity).getByTestId('place-activity-alerts').textContent).toMatch(/^2 alerts/));
    const eventsLink = new URL(within(activity).getByRole('link', { name: 'These events in the search' }).getAttribute('href')!, 'http://x');
    expect(eventsLink.searchParams.get('q')).toBe(`organization.id:${h.vigil.unit}`);
    await setLanguage('vi');
    try {
      await waitFor(() => expect(within(activity).getByTestId('place-activity-alerts').textContent).toBe('2 cảnh báo, mỗi cột 1 phút, theo mức độ'));
      expect(within(activity).getByRole('heading', { name: /^Sự kiện và cảnh báo theo thời gian/ })).toBeTruthy();
      expect(within(activity).getByRole('button', { name: /^Phóng to cột nhiều nhất/ })).toBeTruthy();
    } finally {
      await setLanguage('en');
    }
  });
});
