// Tiếng Việt / English. The choice applies at once and is remembered in this browser.
import { useTranslation } from 'react-i18next';
import { currentLanguage, setLanguage } from '../i18n/i18n.ts';
import { isLanguage, languages, type Language } from '../i18n/languages.ts';

/** Each language named in itself, so anyone can find theirs. */
const names: Record<Language, string> = { vi: 'Tiếng Việt', en: 'English' };

export function LanguageSwitch() {
  const { t } = useTranslation();
  return (
    <select
      className="lang-switch"
      aria-label={t('topbar.language')}
      title={t('topbar.language')}
      value={currentLanguage()}
      onChange={(ev) => {
        if (isLanguage(ev.target.value)) void setLanguage(ev.target.value);
      }}
    >
      {languages.map((language) => (
        <option key={language} value={language} lang={language}>
          {names[language]}
        </option>
      ))}
    </select>
  );
}
