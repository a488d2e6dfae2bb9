// A mean time as people read it: "42 min", "3 h 5 min", "2 d 4 h".
type Translate = (key: string, options?: Record<string, unknown>) => string;

export function durationText(ms: number, t: Translate): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return t('duration.min', { min: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t('duration.h', { h: hours, min: minutes % 60 });
  return t('duration.d', { d: Math.floor(hours / 24), h: hours % 24 });
}
