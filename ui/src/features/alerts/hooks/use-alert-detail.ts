// The open alert's detail: fetched once per alert, refetched when the live copy shows
// more events, and always showing the newest alert state (live frame or PATCH result).
import { useCallback, useEffect, useState } from 'react';
import { describeError, isAbort } from '../../../lib/api-client.ts';
import { getAlert, type AlertDetail } from '../api/get-alert.ts';
import { isNewerOrSame, type Alert } from '../types/alert.ts';

export interface AlertDetailState {
  alert: Alert | null;
  events: AlertDetail['events'];
  loading: boolean;
  error: string | null;
  /** Records an alert this console just changed. */
  applyUpdate: (alert: Alert) => void;
}

export function useAlertDetail(id: string, live: Alert | undefined): AlertDetailState {
  const [detail, setDetail] = useState<AlertDetail | null>(null);
  const [local, setLocal] = useState<Alert | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const liveCount = live?.count;

  useEffect(() => {
    setLocal(null);
    setDetail(null);
  }, [id]);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    getAlert(id, controller.signal)
      .then((d) => {
        setDetail(d);
        setLoading(false);
      })
      .catch((err: unknown) => {
        if (isAbort(err)) return;
        setError(describeError(err));
        setLoading(false);
      });
    return () => controller.abort();
  }, [id, liveCount]);

  const applyUpdate = useCallback((alert: Alert) => setLocal(alert), []);

  const candidates = [detail?.alert, live, local].filter((a): a is Alert => a !== undefined && a !== null && a.id === id);
  const newest = candidates.reduce<Alert | null>((best, a) => (best === null || isNewerOrSame(a, best) ? a : best), null);

  return { alert: newest, events: detail?.events ?? [], loading, error, applyUpdate };
}
