// The console's i18next instance (i18next: plurals, interpolation and namespaces done
// right; react-i18next re-renders every translated component on a language switch).
// Resources are bundled (no loading flash, no backend): initialised synchronously.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { featureMessages } from './registry.ts';
import { initialLanguage, intlLocale, isLanguage, languages, rememberLanguage, type Language } from './languages.ts';
import type { MessageTree } from './define.ts';

function resourcesFor(language: Language): Record<string, MessageTree> {
  const bundle: Record<string, MessageTree> = {};
  for (const [namespace, messages] of Object.entries(featureMessages)) bundle[namespace] = messages[language] as MessageTree;
  return bundle;
}

export const i18n = i18next.createInstance();

void i18n.use(initReactI18next).init({
  resources: Object.fromEntries(languages.map((language) => [language, resourcesFor(language)])),
  lng: initialLanguage(),
  supportedLngs: [...languages],
  fallbackLng: 'en',
  ns: Object.keys(featureMessages),
  defaultNS: 'common',
  // React escapes what it renders; escaping here too would show &amp; to analysts.
  interpolation: { escapeValue: false },
  initAsync: false,
  returnNull: false,
});

export function currentLanguage(): Language {
  const language = i18n.resolvedLanguage ?? i18n.language;
  return isLanguage(language) ? language : 'vi';
}

/** The Intl locale of the current language, for dates and numbers. */
export function currentLocale(): string {
  return intlLocale[currentLanguage()];
}

/** Switches the console's language, remembers it, and sets <html lang>. */
export async function setLanguage(language: Language): Promise<void> {
  rememberLanguage(language);
  await i18n.changeLanguage(language);
}

function reflectLanguage(): void {
  if (typeof document !== 'undefined') document.documentElement.lang = currentLanguage();
}
i18n.on('languageChanged', reflectLanguage);
reflectLanguage();
