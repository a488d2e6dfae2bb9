// GET /api/v1/health: is detection keeping up (watermark, lag, late events, caps hit),
// which sources went silent, which agents' clocks run ahead, and how the rules loaded.
// Polled every few seconds (TanStack Query) while the Health view is open; a 503 `unavailable` means the detect stage does not report
// its health (not wired yet, or restarting), which the view says in words.
import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { ApiError, apiRequest } from '../../../lib/api-client.ts';

const perRule = z.record(z.string(), z.number().int().nonnegative());

export const healthSchema = z.object({
  detection: z.object({
    correlation: z.object({
      /** Event-time watermark, epoch ms; null until the first event. */
      watermark: z.number().nullable(),
      /** Absent for unit-scoped users: it counts every unit's groups. */
      activeGroups: z.number().int().nonnegative().optional(),
      rules: z.number().int().nonnegative(),
      /** Correlation rule titles by id. */
      titles: z.record(z.string(), z.string()).default({}),
      late: perRule,
      groupsRefused: perRule,
      entriesDropped: perRule,
      /** Newest first; empty for unit-scoped users (the events are of every unit). */
      recentLate: z.array(
        z.object({ correlation: z.string(), eventId: z.string(), time: z.number(), watermark: z.number() }),
      ),
    }),
    /** Absent for unit-scoped users: the backlog counts every unit's events. */
    lag: z
      .object({
        events: z.number().nonnegative(),
        signals: z.number().nonnegative(),
        // Rates of the last minute and the time to catch up (null: not shrinking); older servers send none.
        catchUp: z.object({ drainPerSecond: z.number(), inflowPerSecond: z.number(), seconds: z.number().nullable() }).optional(),
      })
      .optional(),
    silentSources: z.array(
      z.object({ kind: z.enum(['agent', 'unit']), id: z.string(), unit: z.string(), lastSeen: z.string() }),
    ),
    /**
     * Agents whose events were stamped too far in the future (detection clamped them):
     * per unit and agent, how many and when last (ISO). Absent when the detect stage
     * does not report it; unit-scoped users get their units' only.
     */
    futureTimestamps: z
      .array(z.object({ unit: z.string(), agent: z.string(), count: z.number().int().nonnegative(), lastSeen: z.string() }))
      .optional(),
  }),
  rules: z.object({
    loaded: z.number().int().nonnegative(),
    /** The problems' text, for admins and analysts only; errorCount is for everyone. */
    errors: z.array(z.string()),
    errorCount: z.number().int().nonnegative(),
  }),
});
export type Health = z.infer<typeof healthSchema>;

export function getHealth(signal?: AbortSignal): Promise<Health> {
  return apiRequest('/health', { schema: healthSchema, signal });
}

export const HEALTH_POLL_MS = 5_000;

export const healthQueryKey = ['health'] as const;

/** Reads the health now and every HEALTH_POLL_MS while the view is open (not in hidden tabs). */
export function useHealth() {
  return useQuery({
    queryKey: healthQueryKey,
    queryFn: ({ signal }) => getHealth(signal),
    refetchInterval: HEALTH_POLL_MS,
    refetchIntervalInBackground: false,
    staleTime: 0,
    // A 503 (the detect stage does not report right now) is retried by the poll itself.
    retry: false,
  });
}

/** The detect stage does not report its health right now. */
export function isUnavailable(err: unknown): boolean {
  return err instanceof ApiError && err.status === 503;
}
