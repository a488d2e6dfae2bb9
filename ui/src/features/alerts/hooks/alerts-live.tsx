// The live alert stream for the whole signed-in console: one AlertStream (kept while
// the analyst is on Events, so its cursor survives), alerts handed to whoever listens
// (the list, the counters, an open detail) in batches, and the count of new alerts the
// analyst has not seen yet, shown in the tab title ("(3) Vigil") for analysts working
// in another tab. "Not seen": a new alert (first heard of in this session, status new)
// that arrived while the tab was hidden or that still waits behind the list's "N new
// alerts" banner; the list calls markSeen() when it shows them in a visible tab.
// Alerts raised while the console is open (first heard of here, status new, created
// just now) are handed to the announcer (use-announcer.ts): a sound and/or a desktop
// notification, as the analyst chose.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { AlertStream } from '../../../lib/alert-stream.ts';
import { appConfig } from '../../../config/app-config.ts';
import { useUser } from '../../../app/session.tsx';
import { alertSchema, type Alert } from '../types/alert.ts';
import { isFreshlyRaised, useAnnouncer } from './use-announcer.ts';

type Listener = (alerts: Alert[]) => void;

export interface AlertsLive {
  /** Calls `listener` with each batch of alerts from the stream; returns the unsubscribe. */
  subscribe(listener: Listener): () => void;
  /** Bumped when the server says alerts may have been missed: lists reload. */
  reloadEpoch: number;
  /** New alerts not seen yet. */
  unseen: number;
  /** Ids the list loaded over REST: not new when a frame updates them later. */
  noteKnown(ids: Iterable<string>): void;
  markSeen(): void;
}

const AlertsLiveContext = createContext<AlertsLive | null>(null);

/** The browser's handling of frames: at most one batch per this many ms reaches the lists. */
const DELIVER_MS = 50;

/** Whether lib/alert-stream.ts reads the server's batched `alerts` frames. */
const BATCHED_FRAMES = true;

/** The stream URL asking the server for batched frames (api/stream-hub.ts). */
function batchedStreamUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${window.location.host}${appConfig.streamPath}?batch=1`;
}

export function AlertsLiveProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation('alerts');
  const listeners = useRef(new Set<Listener>());
  const known = useRef(new Set<string>());
  const unseenIds = useRef(new Set<string>());
  const [unseen, setUnseen] = useState(0);
  const [reloadEpoch, setReloadEpoch] = useState(0);
  const announcer = useAnnouncer(useUser().username);
  const announce = useRef(announcer);
  announce.current = announcer;

  useEffect(() => {
    let queued: Alert[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    const deliver = () => {
      timer = null;
      const batch = queued;
      queued = [];
      let added = false;
      const fresh: Alert[] = [];
      for (const alert of batch) {
        if (known.current.has(alert.id)) continue;
        known.current.add(alert.id);
        if (alert.status === 'new') {
          unseenIds.current.add(alert.id);
          added = true;
        }
        if (isFreshlyRaised(alert)) fresh.push(alert);
      }
      if (added) setUnseen(unseenIds.current.size);
      if (fresh.length > 0) announce.current(fresh);
      for (const listener of listeners.current) listener(batch);
    };
    const stream = new AlertStream({
      ...(BATCHED_FRAMES ? { url: batchedStreamUrl() } : {}),
      onAlert: (raw) => {
        const parsed = alertSchema.safeParse(raw);
        if (!parsed.success) {
          console.warn('vigil stream: ignoring an alert frame with an unexpected shape', parsed.error.issues[0]);
          return;
        }
        queued.push(parsed.data);
        timer ??= setTimeout(deliver, DELIVER_MS);
      },
      // The first `ready` marks "now": lists load their snapshot then. A refused resume
      // or a reload frame means alerts may have been missed: lists load again.
      onReady: ({ resumed }) => {
        if (!resumed) setReloadEpoch((n) => n + 1);
      },
      onServerError: () => setReloadEpoch((n) => n + 1),
    });
    stream.start();
    return () => {
      stream.stop();
      if (timer !== null) clearTimeout(timer);
    };
  }, []);

  useEffect(() => {
    document.title = unseen > 0 ? t('tabTitle', { count: unseen }) : 'Vigil';
  }, [unseen, t]);
  useEffect(
    () => () => {
      document.title = 'Vigil';
    },
    [],
  );

  const subscribe = useCallback((listener: Listener) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);
  const noteKnown = useCallback((ids: Iterable<string>) => {
    for (const id of ids) known.current.add(id);
  }, []);
  const markSeen = useCallback(() => {
    if (unseenIds.current.size === 0) return;
    unseenIds.current.clear();
    setUnseen(0);
  }, []);

  const value = useMemo<AlertsLive>(
    () => ({ subscribe, reloadEpoch, unseen, noteKnown, markSeen }),
    [subscribe, reloadEpoch, unseen, noteKnown, markSeen],
  );
  return <AlertsLiveContext.Provider value={value}>{children}</AlertsLiveContext.Provider>;
}

export function useAlertsLive(): AlertsLive {
  const live = useContext(AlertsLiveContext);
  if (!live) throw new Error('useAlertsLive outside AlertsLiveProvider');
  return live;
}

/** For tests and stories: a provider fed by hand instead of a WebSocket. */
export { AlertsLiveContext };
