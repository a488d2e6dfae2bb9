// @vitest-environment jsdom
// Issue 10, the Rules page, against a real Vigil with the shipped rule library: a
// SOC-wide analyst finds a rule, opens it (its YAML), switches it off (the list and the
// audit log say so) and on again, and tests it on pasted events (which lines matched,
// which line is not JSON); a rule's hits count its matches, not its alerts, in both
// languages; a viewer gets no Rules link and no rules.
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setLanguage } from '../../../ui/src/i18n/i18n.ts';
import { startConsoleHarness, type ConsoleHarness } from './console-harness.tsx';

const EICAR_RULE = 'df894cb3-e9cb-4e48-8354-f7b0139de490';
const EICAR_TITLE = 'EICAR Antivirus Test File Detected';
const MINER_RULE = '95889bb4-87cd-4386-bceb-a8446cc3c8d5';
const MINER_TITLE = 'Coin Miner Detected';

describe('Rules page', () => {
  let h: ConsoleHarness;

  beforeAll(async () => {
    h = await startConsoleHarness();
    await h.createUser('analyst', 'analyst', 'all');
    await h.createUser('officer', 'viewer', [h.vigil.unit]);
    await setLanguage('en');
  }, 120_000);
  afterEach(() => {
    cleanup();
    h.cookies.clear();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('finds a rule, shows its YAML, switches it off and on (audited), and tests it on pasted events', async () => {
    await h.signInAs('analyst');
    const { router } = h.mountAt('/rules');
    const table = await screen.findByRole('table', { name: 'Rules' });
    await within(table).findByText(EICAR_TITLE, {}, { timeout: 30_000 });
    const correlations = within(table).getAllByRole('row').length;

    await userEvent.type(screen.getByRole('searchbox', { name: 'Search rules' }), 'eicar');
    await waitFor(() => expect(within(table).getAllByRole('row').length).toBeLessThan(correlations));
    const row = within(table).getByText(EICAR_TITLE).closest('tr')!;
    expect(within(row).getByText('On')).toBeTruthy();
    expect(row.textContent).toContain('antivirus/eicar-test-file.yml:1');

    await userEvent.click(within(row).getByText(EICAR_TITLE));
    expect(router.state.location.pathname).toBe(`/rules/${EICAR_RULE}`);
    const detail = await screen.findByRole('complementary', { name: `Rule ${EICAR_TITLE}` });
    expect((await within(detail).findByLabelText('YAML')).textContent).toContain(`id: ${EICAR_RULE}`);
    expect(within(detail).getByText('On: detection applies it.')).toBeTruthy();

    await userEvent.click(within(detail).getByRole('button', { name: 'Switch off' }));
    expect(await within(detail).findByText('Switched off: it raises no new alerts and feeds no correlation rule.')).toBeTruthy();
    expect(within(detail).getByText(/Switched off by analyst, \d{4}-\d\d-\d\d/)).toBeTruthy();
    await waitFor(() => expect(within(within(table).getByText(EICAR_TITLE).closest('tr')!).getByText('Off')).toBeTruthy());
    const audit = await h.call('GET', '/api/v1/audit?action=rule.switch');
    expect((audit.body as { items: { actor: string; target: string; after: unknown }[] }).items[0]).toMatchObject({
      actor: 'analyst',
      target: EICAR_RULE,
      after: { enabled: false },
    });
    await userEvent.click(within(detail).getByRole('button', { name: 'Switch on' }));
    expect(await within(detail).findByText('On: detection applies it.')).toBeTruthy();

    const box = within(detail).getByRole('region', { name: 'Test this rule' });
    const input = within(box).getByLabelText('Events to test: one JSON object per line, or a JSON array');
    // Let through (not quarantined): the EICAR rule alerts only on what the antivirus did not handle.
    const eicar = JSON.stringify({ event: { category: ['malware'], action: 'allowed' }, rule: { name: 'EICAR-Test-File' } });
    const other = JSON.stringify({ event: { category: ['malware'], action: 'allowed' }, rule: { name: 'Trojan.Generic' } });
    await userEvent.click(input);
    await userEvent.paste(`${eicar}\n${other}\n{"event": oops}`);
    await userEvent.click(within(box).getByRole('button', { name: 'Run test' }));
    const results = await within(box).findByRole('region', { name: 'Test results' });
    expect(within(results).getByText('1 of 2 events matched')).toBeTruthy();
    const verdicts = within(results).getAllByRole('listitem').map((li) => li.textContent);
    expect(verdicts).toEqual([
      'Line 1 matched',
      'Line 2 no match: the detection is false for this event',
      "line 3, column 11: not JSON: Unexpected token 'o'",
    ]);
  });

  it('counts a rule’s matches, not its alerts, and says so in Vietnamese and English', async () => {
    // Three detections the antivirus let be, on one PC: one alert that groups three matches.
    const miner = { event: { kind: 'alert', category: ['malware'], action: 'allowed', module: 'antivirus' }, rule: { name: 'Trojan:Win32/CoinMiner!ml' }, host: { id: 'pc-hits-01', name: 'PC-HITS-01' } };
    await h.postEvents([miner, miner, miner], 'host.name:PC-HITS-01');
    await waitFor(
      async () => {
        const alerts = (await h.call('GET', `/api/v1/alerts?rule=${MINER_RULE}`)).body as { items: { count: number }[] };
        expect(alerts.items.map((alert) => alert.count)).toEqual([3]);
      },
      { timeout: 60_000, interval: 200 },
    );

    await setLanguage('vi');
    try {
      await h.signInAs('analyst');
      h.mountAt('/rules');
      const table = await screen.findByRole('table', { name: 'Danh sách luật' });
      const header = within(table).getByRole('columnheader', { name: /Lần khớp, 30 ngày/ });
      expect(header.querySelector('[title]')?.getAttribute('title')).toMatch(/^Số lần luật này khớp trong 30 ngày qua/);
      const row = (await within(table).findByText(MINER_TITLE, {}, { timeout: 30_000 })).closest('tr')!;
      const cell = within(row).getByTitle('Số lần khớp: 3 · số cảnh báo: 1');
      expect(cell.textContent).toBe('3');

      await setLanguage('en');
      await within(table).findByRole('columnheader', { name: /Matches, 30 d/ });
      expect(within(row).getByTitle('Matches: 3 · alerts: 1').textContent).toBe('3');
    } finally {
      await setLanguage('en');
    }
  });

  it('is not offered to a viewer, and a typed URL shows no rules', async () => {
    await h.signInAs('officer');
    h.mountAt('/rules');
    const nav = await screen.findByRole('navigation', { name: 'Views' });
    expect(within(nav).queryByRole('link', { name: 'Rules' })).toBeNull();
    expect(await screen.findByRole('alert')).toBeTruthy();
    expect(screen.queryByRole('table', { name: 'Rules' })).toBeNull();
  });
});
