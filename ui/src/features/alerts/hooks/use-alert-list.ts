// The alert list: pages from the server (TanStack Query's infinite query, keyset
// cursors, no cap: scrolling or "Load more" reaches the last alert), kept current by
// the live stream without ever moving a row under the analyst's pointer:
// - an alert already in the list is updated in place (its row does not move);
// - one that stops matching the filters is marked and leaves only when the list is free;
// - a new alert waits in `pending` behind the "N new alerts" banner while the list is
//   held (hovered, focused, scrolled, rows selected, or paused) and joins the top when
//   the analyst applies it, or at once when the list is free.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { getAlerts, type AlertPage } from '../api/get-alerts.ts';
import { isNewerOrSame, type Alert } from '../types/alert.ts';
import { listQuerySearch, matchesListQuery, type AlertListQuery } from '../types/list-query.ts';
import { useAlertsLive } from './alerts-live.tsx';

export const ALERT_PAGE_SIZE = 200;

export interface AlertList {
  rows: Alert[];
  /** Ids shown that no longer match the filters (they leave when the list is free). */
  stale: ReadonlySet<string>;
  /** New alerts waiting behind the banner, newest first. */
  pending: Alert[];
  total: number;
  totalIsExact: boolean;
  hasMore: boolean;
  loading: boolean;
  loadingMore: boolean;
  error: unknown;
  loadMore(): void;
  /** Shows what waits: new alerts join the top (or the list reloads in a non-time sort). */
  applyPending(): void;
  /** A change this console made (triage): applied in place at once. */
  applyLocal(alerts: Alert[]): void;
}

export const alertListKey = (query: AlertListQuery) => ['alerts', 'list', listQuerySearch(query)] as const;

export function useAlertList(query: AlertListQuery, me: string, held: boolean): AlertList {
  const live = useAlertsLive();
  const queryClient = useQueryClient();
  const key = alertListKey(query);
  const list = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam, signal }) => getAlerts(query, { limit: ALERT_PAGE_SIZE, cursor: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last: AlertPage) => last.next,
    // Kept current by the stream while shown, so never stale then; but while the analyst
    // is on another view nobody listens for this list, so coming back reloads it (the
    // cached rows stay on screen until the answer replaces them).
    staleTime: Infinity,
    refetchOnMount: 'always',
    refetchOnWindowFocus: false,
  });

  // Live state on top of the loaded pages, reset whenever the list is loaded afresh.
  const [overrides, setOverrides] = useState<ReadonlyMap<string, Alert>>(new Map());
  const [prepended, setPrepended] = useState<Alert[]>([]);
  const [stale, setStale] = useState<ReadonlySet<string>>(new Set());
  const [removed, setRemoved] = useState<ReadonlySet<string>>(new Set());
  const [pending, setPending] = useState<Alert[]>([]);
  const resetLive = useCallback(() => {
    setOverrides(new Map());
    setPrepended([]);
    setStale(new Set());
    setRemoved(new Set());
    setPending([]);
  }, []);
  const searchKey = key[2];
  useEffect(resetLive, [searchKey, resetLive]);

  // The server says alerts may have been missed (first ready, refused resume): reload.
  const epoch = useRef(live.reloadEpoch);
  useEffect(() => {
    if (epoch.current === live.reloadEpoch) return;
    epoch.current = live.reloadEpoch;
    // Refetched in the background: the rows stay on screen until the answer replaces them.
    void queryClient.invalidateQueries({ queryKey: ['alerts', 'list'] });
  }, [live.reloadEpoch, queryClient]);

  const loaded = useMemo(() => {
    const pageItems = list.data?.pages.flatMap((p) => p.items) ?? [];
    const pageIds = new Set(pageItems.map((a) => a.id));
    // Alerts shown from the stream keep their place on top until a reload lists them.
    const head = prepended.filter((a) => !pageIds.has(a.id));
    const out: Alert[] = [];
    const seen = new Set<string>();
    for (const alert of [...head, ...pageItems]) {
      if (seen.has(alert.id) || removed.has(alert.id)) continue;
      seen.add(alert.id);
      const live = overrides.get(alert.id);
      out.push(live !== undefined && isNewerOrSame(live, alert) ? live : alert);
    }
    return out;
  }, [prepended, list.data, overrides, removed]);

  const { noteKnown } = live;
  useEffect(() => {
    noteKnown(loaded.map((a) => a.id));
  }, [loaded, noteKnown]);

  const state = useRef({ loaded, pending, query, me, stale });
  state.current = { loaded, pending, query, me, stale };

  useEffect(
    () =>
      live.subscribe((alerts) => {
        const { loaded: rows, pending: waiting, query: q, me: user } = state.current;
        const shown = new Map(rows.map((a) => [a.id, a]));
        const nextOverrides = new Map<string, Alert>();
        const nowStale: string[] = [];
        const nowFresh: string[] = [];
        const waitingById = new Map(waiting.map((a) => [a.id, a]));
        let pendingChanged = false;
        for (const alert of alerts) {
          const current = shown.get(alert.id) ?? nextOverrides.get(alert.id);
          const matches = matchesListQuery(alert, q, user);
          if (current !== undefined) {
            if (!isNewerOrSame(alert, current)) continue;
            nextOverrides.set(alert.id, alert);
            (matches ? nowFresh : nowStale).push(alert.id);
          } else if (matches) {
            waitingById.set(alert.id, alert);
            pendingChanged = true;
          } else if (waitingById.delete(alert.id)) {
            pendingChanged = true;
          }
        }
        if (nextOverrides.size > 0) setOverrides((m) => new Map([...m, ...nextOverrides]));
        if (nowStale.length > 0 || nowFresh.length > 0) {
          setStale((s) => {
            const next = new Set(s);
            for (const id of nowStale) next.add(id);
            for (const id of nowFresh) next.delete(id);
            return next;
          });
        }
        if (pendingChanged) {
          setPending([...waitingById.values()].sort((a, b) => Date.parse(b.last_seen) - Date.parse(a.last_seen) || (a.id < b.id ? 1 : -1)));
        }
      }),
    [live],
  );

  const timeDesc = query.sort.field === 'time' && query.sort.direction === 'desc';
  const applyPending = useCallback(() => {
    const { pending: waiting, stale: marked } = state.current;
    if (!timeDesc && waiting.length > 0) {
      // In another order a new alert's place is the server's to say: load again.
      setPending([]);
      void queryClient.invalidateQueries({ queryKey: key });
      return;
    }
    if (waiting.length > 0) {
      setPrepended((p) => [...waiting, ...p]);
      setPending([]);
    }
    if (marked.size > 0) {
      setRemoved((r) => new Set([...r, ...marked]));
      setStale(new Set());
    }
  }, [timeDesc, queryClient, searchKey]);

  // A free list takes what waits at once.
  useEffect(() => {
    if (!held && (pending.length > 0 || stale.size > 0)) applyPending();
  }, [held, pending, stale, applyPending]);


  const applyLocal = useCallback((alerts: Alert[]) => {
    setOverrides((m) => new Map([...m, ...alerts.map((a) => [a.id, a] as const)]));
    const { query: q, me: user } = state.current;
    setStale((s) => {
      const next = new Set(s);
      for (const a of alerts) {
        if (matchesListQuery(a, q, user)) next.delete(a.id);
        else next.add(a.id);
      }
      return next;
    });
  }, []);

  // What a refetch brought in no longer waits behind the banner.
  const waiting = useMemo(() => {
    const ids = new Set(loaded.map((a) => a.id));
    return pending.filter((a) => !ids.has(a.id));
  }, [loaded, pending]);
  const first = list.data?.pages[0];
  const total = first === undefined ? 0 : Math.max(loaded.length, first.total + prepended.length - removed.size);
  return {
    rows: loaded,
    stale,
    pending: waiting,
    total,
    totalIsExact: first?.totalIsExact ?? true,
    hasMore: list.hasNextPage,
    loading: list.isPending,
    loadingMore: list.isFetchingNextPage,
    error: list.error,
    loadMore: () => {
      if (list.hasNextPage && !list.isFetchingNextPage) void list.fetchNextPage();
    },
    applyPending,
    applyLocal,
  };
}
