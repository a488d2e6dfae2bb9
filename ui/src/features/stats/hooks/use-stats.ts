// Stats, refreshed when live activity happens (at most every statsRefreshMs, trailing)
// and once a minute regardless, so the counters track the stream without hammering
// the server during an outbreak.
import { useEffect, useRef, useState } from 'react';
import { appConfig } from '../../../config/app-config.ts';
import { describeError, isAbort } from '../../../lib/api-client.ts';
import { getStats, type Stats } from '../api/get-stats.ts';

const IDLE_REFRESH_MS = 60_000;

export function useStats(activity: number): { stats: Stats | null; error: string | null } {
  const [stats, setStats] = useState<Stats | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const lastFetch = useRef(0);
  const inFlight = useRef(false);
  const unmount = useRef<AbortController | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    unmount.current = controller;
    const interval = setInterval(() => setTick((t) => t + 1), IDLE_REFRESH_MS);
    return () => {
      clearInterval(interval);
      controller.abort();
    };
  }, []);

  useEffect(() => {
    const wait = Math.max(0, lastFetch.current + appConfig.statsRefreshMs - Date.now());
    const timer = setTimeout(() => {
      const signal = unmount.current?.signal;
      if (inFlight.current || signal?.aborted) return;
      inFlight.current = true;
      lastFetch.current = Date.now();
      getStats(signal)
        .then((s) => {
          setStats(s);
          setError(null);
        })
        .catch((err: unknown) => {
          if (!isAbort(err)) setError(describeError(err));
        })
        .finally(() => {
          inFlight.current = false;
        });
    }, wait);
    return () => clearTimeout(timer);
  }, [activity, tick]);

  return { stats, error };
}
