// GET /api/v1/health: is detection keeping up (watermark, lag, late events, caps hit),
// which sources went silent, which agents' clocks run ahead, and how the rules loaded. Polled every few seconds while
// the Health view is open; a 503 `unavailable` means the detect stage does not report
// its health (not wired yet, or restarting), which the view says in words.
import { useEffect, useState } from 'react';
import { z } from 'zod';
import { ApiError, apiRequest, describeError, isAbort } from '../../../lib/api-client.ts';

const perRule = z.record(z.string(), z.number().int().nonnegative());

export const healthSchema = z.object({
  detection: z.object({
    correlation: z.object({
      /** Event-time watermark, epoch ms; null until the first event. */
      watermark: z.number().nullable(),
      activeGroups: z.number().int().nonnegative(),
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
    lag: z.object({ events: z.number().nonnegative(), signals: z.number().nonnegative() }),
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

export interface HealthState {
  /** The last health read, kept while a later poll fails so the page does not go blank. */
  health: Health | null;
  /** When `health` was read (browser clock, epoch ms). */
  fetchedAt: number | null;
  /** The detect stage does not report its health right now (503 unavailable). */
  unavailable: boolean;
  /** Any other failure of the last poll. */
  error: string | null;
}

/** Reads the health now and every HEALTH_POLL_MS while mounted (skipping hidden tabs). */
export function useHealth(): HealthState {
  const [state, setState] = useState<HealthState>({ health: null, fetchedAt: null, unavailable: false, error: null });

  useEffect(() => {
    const controller = new AbortController();
    let inFlight = false;
    const poll = () => {
      if (inFlight || controller.signal.aborted || document.visibilityState === 'hidden') return;
      inFlight = true;
      getHealth(controller.signal)
        .then((health) => setState({ health, fetchedAt: Date.now(), unavailable: false, error: null }))
        .catch((err: unknown) => {
          if (isAbort(err)) return;
          const unavailable = err instanceof ApiError && err.status === 503;
          setState((s) => ({ ...s, unavailable, error: unavailable ? null : describeError(err) }));
        })
        .finally(() => {
          inFlight = false;
        });
    };
    poll();
    const interval = setInterval(poll, HEALTH_POLL_MS);
    document.addEventListener('visibilitychange', poll);
    return () => {
      clearInterval(interval);
      document.removeEventListener('visibilitychange', poll);
      controller.abort();
    };
  }, []);

  return state;
}
