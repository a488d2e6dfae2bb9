// The console's settings, parsed once from Vite's env (VITE_* variables) with zod.
// Every problem is reported in one error so a bad build fails with the full list.
import { z } from 'zod';

const envSchema = z.object({
  VITE_API_BASE: z.string().startsWith('/').default('/api/v1'),
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
    reconnect: { initialDelayMs: 250, maxDelayMs: 2_500 },
  } as const;
}

export const appConfig = parseConfig();
