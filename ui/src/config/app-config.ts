// The console's settings, parsed once from Vite's env (VITE_* variables) with zod.
// Every problem is reported in one error so a bad build fails with the full list.
import { z } from 'zod';

const envSchema = z.object({
  VITE_API_BASE: z.string().startsWith('/').default('/api/v1'),
  VITE_ALERT_PAGE_SIZE: z.coerce.number().int().min(1).max(500).default(50),
  VITE_MAX_LIVE_ALERTS: z.coerce.number().int().min(50).max(10_000).default(1000),
  VITE_STATS_REFRESH_MS: z.coerce.number().int().min(1000).default(5000),
});

function parseConfig() {
  const parsed = envSchema.safeParse(import.meta.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid console configuration: ${problems}`);
  }
  const env = parsed.data;
  const apiBase = env.VITE_API_BASE.replace(/\/+$/, '');
  return {
    apiBase,
    streamPath: `${apiBase}/stream`,
    alertPageSize: env.VITE_ALERT_PAGE_SIZE,
    /** Most alerts the live list keeps in memory; the oldest by last_seen drop off. */
    maxLiveAlerts: env.VITE_MAX_LIVE_ALERTS,
    /** Shortest gap between two stats refreshes triggered by live alerts. */
    statsRefreshMs: env.VITE_STATS_REFRESH_MS,
    /** How long a new or updated row stays highlighted. */
    freshHighlightMs: 4000,
    reconnect: { initialDelayMs: 250, maxDelayMs: 2_500 },
  } as const;
}

export const appConfig = parseConfig();
