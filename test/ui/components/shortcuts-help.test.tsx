// @vitest-environment jsdom
// The keyboard shortcuts registry and its `?` help overlay: a page's shortcuts run on
// their key (not while typing in a field), and `?` lists them by group, in the chosen
// language; Escape closes the help.
import { act, cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { useState } from 'react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, expect, it } from 'vitest';
import { ShortcutsHelp } from '../../../ui/src/components/shortcuts-help.tsx';
import { i18n, setLanguage } from '../../../ui/src/i18n/i18n.ts';
import { useShortcutDispatcher, useShortcuts } from '../../../ui/src/lib/shortcuts.ts';

afterEach(cleanup);

function Page() {
  useShortcutDispatcher();
  const [acked, setAcked] = useState(0);
  useShortcuts([{ key: 'a', group: 'Alerts', description: 'Acknowledge the open alert', run: () => setAcked((n) => n + 1) }]);
  return (
    <>
      <input aria-label="note" />
      <output aria-label="acked">{acked}</output>
      <ShortcutsHelp />
    </>
  );
}

function mount() {
  render(
    <I18nextProvider i18n={i18n}>
      <Page />
    </I18nextProvider>,
  );
}

it('runs a registered shortcut, but not while typing in a field', async () => {
  await setLanguage('en');
  mount();
  await userEvent.keyboard('a');
  expect(screen.getByLabelText('acked').textContent).toBe('1');
  await userEvent.type(screen.getByLabelText('note'), 'a');
  expect(screen.getByLabelText('acked').textContent).toBe('1');
});

it('lists every registered shortcut on ?, in Vietnamese too, and closes on Escape', async () => {
  await setLanguage('vi');
  mount();
  await userEvent.keyboard('?');
  const help = screen.getByRole('dialog', { name: 'Phím tắt' });
  expect(within(help).getByText('Acknowledge the open alert')).toBeTruthy();
  expect(within(help).getByText('Hiện bảng trợ giúp này')).toBeTruthy();
  expect(within(help).getAllByText('a', { selector: 'kbd' })).toHaveLength(1);
  await userEvent.keyboard('{Escape}');
  expect(screen.queryByRole('dialog')).toBeNull();
  await act(() => setLanguage('en'));
});
