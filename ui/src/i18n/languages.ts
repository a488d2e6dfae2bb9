// The console's languages and how the first one is chosen. Our users are Vietnamese
// provincial SOC analysts, so Vietnamese is the default; a browser whose preferred
// languages put English before Vietnamese gets English (that person said so in their
// browser settings). An explicit choice in the console wins over both and is kept in
// localStorage.
export const languages = ['vi', 'en'] as const;
export type Language = (typeof languages)[number];

export const LANGUAGE_STORAGE_KEY = 'vigil.language';

/** BCP 47 tags for Intl: dates and numbers in the chosen language's conventions. */
export const intlLocale: Record<Language, string> = { vi: 'vi-VN', en: 'en-GB' };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

function storedLanguage(): Language | null {
  try {
    const value = globalThis.localStorage?.getItem(LANGUAGE_STORAGE_KEY);
    return isLanguage(value) ? value : null;
  } catch {
    return null; // storage disabled (privacy mode): fall through to the browser's choice
  }
}

/** The first of the browser's preferred languages we have, else Vietnamese. */
function browserLanguage(): Language {
  const preferred = globalThis.navigator?.languages ?? [globalThis.navigator?.language ?? ''];
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'vi';
}

export function initialLanguage(): Language {
  return storedLanguage() ?? browserLanguage();
}

export function rememberLanguage(language: Language): void {
  try {
    globalThis.localStorage?.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // Not remembered, but the switch still applies to this page.
  }
}
