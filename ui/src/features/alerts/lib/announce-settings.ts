// Each analyst's choice of how new critical alerts are announced: a sound, a desktop
// notification, and whether high alerts count too. Kept in localStorage, keyed by
// username, not on the server: both are properties of this computer as much as of
// the person (the browser's notification permission is per browser and site, and a
// wall screen in the SOC room wants no sound where an analyst's laptop does), the
// choice must apply at once with no round trip, and several analysts sharing one PC
// each keep their own. Read through one small store so the switch and the announcer
// always agree.
import { useSyncExternalStore } from 'react';
import { z } from 'zod';

export const announceSettingsSchema = z.object({
  sound: z.boolean().default(false),
  desktop: z.boolean().default(false),
  /** High alerts are announced too, not only critical ones. */
  high: z.boolean().default(false),
});
export type AnnounceSettings = z.infer<typeof announceSettingsSchema>;

const OFF: AnnounceSettings = { sound: false, desktop: false, high: false };
const storageKey = (username: string) => `vigil.announce.v1:${username}`;
const listeners = new Set<() => void>();
const cache = new Map<string, AnnounceSettings>();

export function readAnnounceSettings(username: string): AnnounceSettings {
  const cached = cache.get(username);
  if (cached) return cached;
  let settings = OFF;
  try {
    const raw = window.localStorage.getItem(storageKey(username));
    if (raw !== null) {
      const parsed = announceSettingsSchema.safeParse(JSON.parse(raw));
      if (parsed.success) settings = parsed.data;
    }
  } catch {
    // Storage refused (private mode, quota) or unreadable: announcements stay off.
  }
  cache.set(username, settings);
  return settings;
}

export function writeAnnounceSettings(username: string, change: Partial<AnnounceSettings>): AnnounceSettings {
  const next = { ...readAnnounceSettings(username), ...change };
  cache.set(username, next);
  try {
    window.localStorage.setItem(storageKey(username), JSON.stringify(next));
  } catch {
    // Not remembered, but still applies for this page's life.
  }
  for (const listener of listeners) listener();
  return next;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useAnnounceSettings(username: string): AnnounceSettings {
  return useSyncExternalStore(subscribe, () => readAnnounceSettings(username));
}

/** Tests: forget what was read, as a new page would. */
export function resetAnnounceSettingsCache(): void {
  cache.clear();
}
