// The live alert list: a REST snapshot for the current filters, kept current by the
// alert stream. Frames upsert by alert.id (the newer `updated` wins, so REST and stream
// may race freely), alerts that stop matching the filters drop out, and rows touched by
// a frame are flagged fresh for a few seconds. The first snapshot is taken once the
// stream is ready, so nothing raised in between can fall through the gap.
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { AlertStream, type StreamStatus } from '../../../lib/alert-stream.ts';
import { describeError, isAbort } from '../../../lib/api-client.ts';
import { appConfig } from '../../../config/app-config.ts';
import { getAlerts, type AlertPage } from '../api/get-alerts.ts';
import {
  alertSchema,
  compareAlerts,
  isNewerOrSame,
  matchesFilters,
  type Alert,
  type AlertFilters,
} from '../types/alert.ts';

export interface LiveAlertsState {
  alerts: Alert[];
  /** id → highlight token for rows a frame touched recently. */
  fresh: Record<string, number>;
  total: number;
  totalIsExact: boolean;
  next: string | null;
  loading: boolean;
  loadingMore: boolean;
  error: string | null;
  /** Bumped for every batch of frames: lets counters refresh when something happened. */
  activity: number;
  /** When the current snapshot was requested (ms): alerts created later are new. */
  snapshotAt: number;
}

type Action =
  | { type: 'load-start'; append: boolean; at: number }
  | { type: 'load-done'; append: boolean; page: AlertPage; pending: Alert[]; filters: AlertFilters }
  | { type: 'load-failed'; append: boolean; error: string }
  | { type: 'frames'; alerts: Alert[]; filters: AlertFilters; token: number | null }
  | { type: 'unfresh'; ids: string[]; token: number };

const initialState: LiveAlertsState = {
  alerts: [],
  fresh: {},
  total: 0,
  totalIsExact: true,
  next: null,
  loading: true,
  loadingMore: false,
  error: null,
  activity: 0,
  snapshotAt: 0,
};

const noFilters: AlertFilters = { statuses: [], severities: [] };

function finish(list: Alert[]): Alert[] {
  list.sort(compareAlerts);
  return list.length > appConfig.maxLiveAlerts ? list.slice(0, appConfig.maxLiveAlerts) : list;
}

function mergeInto(list: Alert[], incoming: Alert[], filters: AlertFilters, snapshotAt: number) {
  const index = new Map(list.map((a, i) => [a.id, i]));
  let totalDelta = 0;
  const touched: string[] = [];
  const removed = new Set<string>();
  for (const alert of incoming) {
    const at = index.get(alert.id);
    const current = at === undefined ? undefined : list[at];
    if (current && !isNewerOrSame(alert, current)) continue;
    if (!matchesFilters(alert, filters)) {
      if (current && !removed.has(alert.id)) {
        removed.add(alert.id);
        totalDelta -= 1;
      }
      continue;
    }
    touched.push(alert.id);
    if (at !== undefined && current) {
      list[at] = alert;
      if (removed.delete(alert.id)) totalDelta += 1;
    } else {
      index.set(alert.id, list.length);
      list.push(alert);
      // Only alerts raised after the snapshot add to the total; an older alert that was
      // merely beyond the first page was already counted.
      if (Date.parse(alert.created) >= snapshotAt) totalDelta += 1;
    }
  }
  const kept = removed.size > 0 ? list.filter((a) => !removed.has(a.id)) : list;
  return { list: finish(kept), totalDelta, touched };
}

function reducer(state: LiveAlertsState, action: Action): LiveAlertsState {
  switch (action.type) {
    case 'load-start':
      return action.append
        ? { ...state, loadingMore: true, error: null }
        : { ...state, loading: true, error: null, snapshotAt: action.at };
    case 'load-failed':
      return { ...state, loading: false, loadingMore: false, error: action.error };
    case 'load-done': {
      const base = action.append ? [...state.alerts] : [];
      // The server filtered the page; only frames need filtering here.
      const { list } = mergeInto(base, action.page.items, noFilters, Number.POSITIVE_INFINITY);
      // Frames that arrived while the snapshot was in flight are newer than it.
      const merged = action.append ? { list, totalDelta: 0 } : mergeInto(list, action.pending, action.filters, state.snapshotAt);
      return {
        ...state,
        alerts: merged.list,
        fresh: action.append ? state.fresh : {},
        total: action.append ? state.total : Math.max(action.page.total + merged.totalDelta, merged.list.length),
        totalIsExact: action.page.totalIsExact,
        next: action.page.next,
        loading: false,
        loadingMore: false,
        error: null,
      };
    }
    case 'frames': {
      const { list, totalDelta, touched } = mergeInto([...state.alerts], action.alerts, action.filters, state.snapshotAt);
      let fresh = state.fresh;
      if (action.token !== null && touched.length > 0) {
        fresh = { ...state.fresh };
        for (const id of touched) fresh[id] = action.token;
      }
      return {
        ...state,
        alerts: list,
        fresh,
        total: Math.max(state.total + totalDelta, list.length),
        activity: state.activity + 1,
      };
    }
    case 'unfresh': {
      const fresh = { ...state.fresh };
      let changed = false;
      for (const id of action.ids) {
        if (fresh[id] === action.token) {
          delete fresh[id];
          changed = true;
        }
      }
      return changed ? { ...state, fresh } : state;
    }
  }
}

export interface LiveAlerts extends LiveAlertsState {
  connection: StreamStatus;
  loadMore: () => void;
  reload: () => void;
  /** Applies an alert the console itself just changed (PATCH result) without flashing it. */
  applyLocalUpdate: (alert: Alert) => void;
}

const FIRST_SNAPSHOT_WAIT_MS = 1500;
const FRAME_BATCH_MS = 50;

export function useLiveAlerts(filters: AlertFilters): LiveAlerts {
  const [state, dispatch] = useReducer(reducer, initialState);
  const [connection, setConnection] = useState<StreamStatus>('connecting');

  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  const stateRef = useRef(state);
  stateRef.current = state;

  const loadAbort = useRef<AbortController | null>(null);
  const appendAbort = useRef<AbortController | null>(null);
  const pendingFrames = useRef<Alert[] | null>(null);
  const queuedFrames = useRef<Alert[]>([]);
  const flushTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const unfreshTimers = useRef(new Set<ReturnType<typeof setTimeout>>());
  const tokenRef = useRef(0);
  const streamReady = useRef(false);
  const firstLoadTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const load = useCallback(async (append: boolean) => {
    const cursor = append ? stateRef.current.next : null;
    if (append) {
      // Older pages extend the current snapshot; never race a snapshot being replaced.
      if (!cursor || loadAbort.current || appendAbort.current) return;
    } else {
      loadAbort.current?.abort();
      appendAbort.current?.abort();
      appendAbort.current = null;
    }
    const controller = new AbortController();
    if (append) appendAbort.current = controller;
    else loadAbort.current = controller;
    const requestFilters = filtersRef.current;
    if (!append) pendingFrames.current = [];
    dispatch({ type: 'load-start', append, at: Date.now() });
    try {
      const page = await getAlerts({ ...requestFilters, limit: appConfig.alertPageSize, cursor }, controller.signal);
      if (controller.signal.aborted) return;
      const pending = append ? [] : (pendingFrames.current ?? []);
      if (!append) pendingFrames.current = null;
      dispatch({ type: 'load-done', append, page, pending, filters: requestFilters });
    } catch (err) {
      if (isAbort(err) || controller.signal.aborted) return;
      if (!append) pendingFrames.current = null;
      dispatch({ type: 'load-failed', append, error: describeError(err) });
    } finally {
      if (loadAbort.current === controller) loadAbort.current = null;
      if (appendAbort.current === controller) appendAbort.current = null;
    }
  }, []);

  const flushFrames = useCallback(() => {
    flushTimer.current = null;
    const alerts = queuedFrames.current;
    if (alerts.length === 0) return;
    queuedFrames.current = [];
    const token = ++tokenRef.current;
    dispatch({ type: 'frames', alerts, filters: filtersRef.current, token });
    const ids = alerts.map((a) => a.id);
    const timer = setTimeout(() => {
      unfreshTimers.current.delete(timer);
      dispatch({ type: 'unfresh', ids, token });
    }, appConfig.freshHighlightMs);
    unfreshTimers.current.add(timer);
  }, []);

  // The stream lives as long as the console is mounted; filters only change the list.
  useEffect(() => {
    const timers = unfreshTimers.current;
    const stream = new AlertStream({
      onStatus: setConnection,
      onAlert: (raw) => {
        const parsed = alertSchema.safeParse(raw);
        if (!parsed.success) {
          console.warn('vigil stream: ignoring an alert frame with an unexpected shape', parsed.error.issues[0]);
          return;
        }
        pendingFrames.current?.push(parsed.data);
        queuedFrames.current.push(parsed.data);
        flushTimer.current ??= setTimeout(flushFrames, FRAME_BATCH_MS);
      },
      onReady: ({ resumed }) => {
        if (resumed || streamReady.current) return;
        streamReady.current = true;
        if (firstLoadTimer.current !== null) clearTimeout(firstLoadTimer.current);
        firstLoadTimer.current = null;
        // Either the first snapshot, or (if we gave up waiting) a reload that closes
        // the gap between that early snapshot and the stream's starting cursor.
        void load(false);
      },
      onServerError: () => void load(false),
      onDisconnect: (failed) => {
        // A socket that keeps failing may mean the session is gone: a cheap REST call
        // answers 401 in that case, which sends the app back to sign-in.
        if (failed >= 2) void getAlerts({ statuses: [], severities: [], limit: 1 }).catch(() => undefined);
      },
    });
    stream.start();
    return () => {
      stream.stop();
      loadAbort.current?.abort();
      appendAbort.current?.abort();
      if (flushTimer.current !== null) clearTimeout(flushTimer.current);
      flushTimer.current = null;
      if (firstLoadTimer.current !== null) clearTimeout(firstLoadTimer.current);
      firstLoadTimer.current = null;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      streamReady.current = false;
    };
  }, [flushFrames, load]);

  const filtersKey = `${filters.statuses.join(',')}|${filters.severities.join(',')}`;
  useEffect(() => {
    if (streamReady.current) {
      void load(false);
      return;
    }
    // Don't hold the list hostage to a stream that cannot connect.
    firstLoadTimer.current = setTimeout(() => {
      firstLoadTimer.current = null;
      void load(false);
    }, FIRST_SNAPSHOT_WAIT_MS);
    return () => {
      if (firstLoadTimer.current !== null) clearTimeout(firstLoadTimer.current);
      firstLoadTimer.current = null;
    };
  }, [filtersKey, load]);

  const loadMore = useCallback(() => void load(true), [load]);
  const reload = useCallback(() => void load(false), [load]);
  const applyLocalUpdate = useCallback((alert: Alert) => {
    dispatch({ type: 'frames', alerts: [alert], filters: filtersRef.current, token: null });
  }, []);

  return { ...state, connection, loadMore, reload, applyLocalUpdate };
}
