// An alert's age as an analyst reads it at a glance: "42 s", "7 min", "3 h", "2 d".
import type { TFunction } from 'i18next';

export function formatAge(sinceIso: string, now: number, t: TFunction<'alerts'>): string {
  const ms = Math.max(0, now - Date.parse(sinceIso));
  if (Number.isNaN(ms)) return '–';
  const s = Math.floor(ms / 1000);
  if (s < 60) return t('age.seconds', { count: s });
  const m = Math.floor(s / 60);
  if (m < 60) return t('age.minutes', { count: m });
  const h = Math.floor(m / 60);
  if (h < 48) return t('age.hours', { count: h });
  return t('age.days', { count: Math.floor(h / 24) });
}
