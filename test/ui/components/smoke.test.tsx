// @vitest-environment jsdom
// The component-test setup works: a real console component renders in jsdom through
// the app's i18n, and a user's click changes what is on screen.
import { cleanup, render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import { afterEach, expect, it } from 'vitest';
import { LanguageSwitch } from '../../../ui/src/components/language-switch.tsx';
import { i18n, setLanguage } from '../../../ui/src/i18n/i18n.ts';

afterEach(cleanup);

it('renders the language switch and switches the console to Vietnamese', async () => {
  await setLanguage('en');
  render(
    <I18nextProvider i18n={i18n}>
      <LanguageSwitch />
    </I18nextProvider>,
  );
  const select = screen.getByRole('combobox', { name: 'Language' });
  await userEvent.selectOptions(select, 'vi');
  expect(await screen.findByRole('combobox', { name: 'Ngôn ngữ' })).toHaveProperty('value', 'vi');
  expect(document.documentElement.lang).toBe('vi');
});
