// The alerts workbench at /alerts and /alerts/:id: open-alert counters, the toolbar
// (search, filters, grouping, pause; all in the URL), the histogram of the filtered
// alerts over time (drag or click to narrow the range), the group counts, the live table
// with multi-select and bulk triage, the "N new alerts" banner, and the open alert's
// detail beside the list. The list is "held" (new alerts wait behind the banner)
// while the pointer is over it, focus is in it, it is scrolled down, rows are
// selected, or the analyst paused it. Triage shortcuts are registered with the
// console's shortcut registry (lib/shortcuts.ts) and listed in its `?` help.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorLine } from '../../../components/ui/error-line.tsx';
import { describeError } from '../../../lib/api-client.ts';
import { formatCount } from '../../../lib/format-time.ts';
import { useShortcuts } from '../../../lib/shortcuts.ts';
import { useNow } from '../../../lib/use-now.ts';
import { useUser } from '../../../app/session.tsx';
import { triageAlerts } from '../api/triage-alerts.ts';
import { updateAlert } from '../api/update-alert.ts';
import { useAlertsLive } from '../hooks/alerts-live.tsx';
import { openCountsKey } from '../hooks/use-open-counts.ts';
import { useAlertList } from '../hooks/use-alert-list.ts';
import type { Alert, AlertStatus, Severity } from '../types/alert.ts';
import { listQuerySearch, openStatuses, parseListQuery, type AlertListQuery, type SortField } from '../types/list-query.ts';
import { AlertCounters } from './alert-counters.tsx';
import { AlertDetailPane } from './alert-detail-pane.tsx';
import { AlertGroupsPanel } from './alert-groups.tsx';
import { AlertHistogramPanel } from './alert-histogram.tsx';
import { AlertTable } from './alert-table.tsx';
import { AlertToolbar } from './alert-toolbar.tsx';
import { BulkTriageBar } from './bulk-triage-bar.tsx';
import { NewAlertsBanner } from './new-alerts-banner.tsx';
import '../alerts.css';

export function AlertsPage() {
  const { t } = useTranslation('alerts');
  const user = useUser();
  const canEdit = user.role !== 'viewer';
  const navigate = useNavigate();
  const { id: openId = null } = useParams();
  const [params] = useSearchParams();
  const query = useMemo(() => parseListQuery(params), [params]);
  const queryClient = useQueryClient();
  const live = useAlertsLive();

  const setQuery = useCallback(
    (next: AlertListQuery) => {
      void navigate({ pathname: openId ? `/alerts/${encodeURIComponent(openId)}` : '/alerts', search: listQuerySearch(next) });
    },
    [navigate, openId],
  );
  const openAlert = useCallback(
    (id: string | null) => void navigate({ pathname: id ? `/alerts/${encodeURIComponent(id)}` : '/alerts', search: listQuerySearch(query) }),
    [navigate, query],
  );

  // What holds the list still.
  const [hovering, setHovering] = useState(false);
  const [focusInside, setFocusInside] = useState(false);
  const [scrolledAway, setScrolledAway] = useState(false);
  const [paused, setPaused] = useState(false);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const held = hovering || focusInside || scrolledAway || paused || selected.size > 0;

  const list = useAlertList(query, user.username, held);
  const now = useNow(15_000);
  const [focusIndex, setFocusIndex] = useState(-1);
  const lastToggled = useRef<string | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  // A new filter starts a new selection.
  const search = listQuerySearch(query);
  useEffect(() => {
    setSelected(new Set());
    setFocusIndex(-1);
  }, [search]);

  // New alerts on screen in a visible tab have been seen.
  useEffect(() => {
    const check = () => {
      if (list.pending.length === 0 && document.visibilityState === 'visible') live.markSeen();
    };
    check();
    document.addEventListener('visibilitychange', check);
    return () => document.removeEventListener('visibilitychange', check);
  }, [list.pending.length, list.rows, live]);

  const afterTriage = useCallback(
    (alerts: Alert[]) => {
      list.applyLocal(alerts);
      void queryClient.invalidateQueries({ queryKey: openCountsKey });
    },
    [list, queryClient],
  );

  const toggle = useCallback(
    (id: string, range: boolean) => {
      setSelected((current) => {
        const next = new Set(current);
        const anchor = lastToggled.current;
        if (range && anchor !== null) {
          const ids = list.rows.map((a) => a.id);
          const [a, b] = [ids.indexOf(anchor), ids.indexOf(id)].sort((x, y) => x - y);
          if (a !== undefined && b !== undefined && a >= 0) for (const rowId of ids.slice(a, b + 1)) next.add(rowId);
        } else if (next.has(id)) next.delete(id);
        else next.add(id);
        lastToggled.current = id;
        return next;
      });
    },
    [list.rows],
  );
  const toggleAll = useCallback(() => {
    setSelected((current) => (list.rows.length > 0 && list.rows.every((a) => current.has(a.id)) ? new Set() : new Set(list.rows.map((a) => a.id))));
  }, [list.rows]);

  const onSort = useCallback(
    (field: SortField) => {
      const same = query.sort.field === field;
      // A first click sorts the way an analyst usually wants: newest, most severe, largest first.
      const direction = same ? (query.sort.direction === 'desc' ? 'asc' : 'desc') : field === 'rule' || field === 'host' || field === 'unit' || field === 'assignee' ? 'asc' : 'desc';
      setQuery({ ...query, sort: { field, direction } });
    },
    [query, setQuery],
  );

  // Triage from the keyboard: the selected alerts, else the open one, else the focused row.
  const [shortcutError, setShortcutError] = useState<string | null>(null);
  const targets = (): string[] => {
    if (selected.size > 0) return [...selected];
    if (openId) return [openId];
    const focused = list.rows[focusIndex];
    return focused ? [focused.id] : [];
  };
  const triageKeys = async (change: { status?: AlertStatus; assignee?: string }) => {
    const ids = targets();
    if (!canEdit || ids.length === 0) return;
    setShortcutError(null);
    try {
      if (ids.length === 1) {
        const updated = await updateAlert(ids[0]!, change);
        afterTriage([updated]);
        queryClient.setQueryData(['alerts', 'detail', updated.id], (old: { alert: Alert } | undefined) => (old ? { ...old, alert: updated } : old));
      } else {
        const answer = await triageAlerts(ids, change);
        afterTriage(answer.updated);
      }
    } catch (error) {
      setShortcutError(describeError(error));
    }
  };
  const move = (delta: number) => {
    const next = Math.max(0, Math.min(list.rows.length - 1, focusIndex + delta));
    setFocusIndex(next);
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-alert-id="${CSS.escape(list.rows[next]?.id ?? '')}"]`)?.focus());
  };
  const group = t('shortcuts.group');
  useShortcuts([
    { key: 'j', group, description: t('shortcuts.next'), run: () => move(1) },
    { key: 'k', group, description: t('shortcuts.previous'), run: () => move(-1) },
    {
      key: 'o',
      group,
      description: t('shortcuts.open'),
      run: () => {
        const focused = list.rows[focusIndex];
        if (focused) openAlert(focused.id);
      },
    },
    {
      key: 'x',
      group,
      description: t('shortcuts.select'),
      run: () => {
        const focused = list.rows[focusIndex];
        if (focused) toggle(focused.id, false);
      },
    },
    { key: 'a', group, description: t('shortcuts.acknowledge'), run: () => void triageKeys({ status: 'acknowledged' }) },
    { key: 'r', group, description: t('shortcuts.resolve'), run: () => void triageKeys({ status: 'resolved' }) },
    { key: 'f', group, description: t('shortcuts.falsePositive'), run: () => void triageKeys({ status: 'false_positive' }) },
    { key: 'm', group, description: t('shortcuts.assignMe'), run: () => void triageKeys({ assignee: user.username }) },
    { key: '/', group, description: t('shortcuts.search'), run: () => searchRef.current?.focus() },
    { key: 'p', group, description: t('shortcuts.pause'), run: () => setPaused((p) => !p) },
    { key: 'n', group, description: t('shortcuts.showNew'), run: () => list.applyPending() },
    { key: 'Escape', group, description: t('shortcuts.close'), run: () => openId && openAlert(null) },
  ]);

  const showSeverity = (severity: Severity | null) => setQuery({ ...query, status: openStatuses, severity: severity ? [severity] : [] });
  const filtered = search !== '';
  const totalText = list.totalIsExact ? formatCount(list.total) : `${formatCount(list.total)}+`;

  return (
    <main className="console-main alerts-page">
      <AlertCounters onShow={showSeverity} />
      <AlertToolbar ref={searchRef} query={query} onChange={setQuery} paused={paused} onPause={setPaused} />
      <BulkTriageBar ids={[...selected]} canEdit={canEdit} onDone={afterTriage} onClear={() => setSelected(new Set())} />
      <ErrorLine message={shortcutError} />
      <AlertHistogramPanel query={query} onRange={(from, to) => setQuery({ ...query, range: null, from, to })} />
      <div className={`alerts-workbench${openId ? ' aw-has-detail' : ''}${query.group ? ' aw-has-groups' : ''}`}>
        {query.group ? (
          <AlertGroupsPanel
            query={query}
            by={query.group}
            onPick={(key) => {
              if (key !== null && query.group !== 'threat') setQuery({ ...query, [query.group!]: key, group: null });
            }}
          />
        ) : null}
        <section
          className="alerts-list-pane"
          aria-label={t('list.label')}
          onPointerEnter={() => setHovering(true)}
          onPointerLeave={() => setHovering(false)}
          onFocus={() => setFocusInside(true)}
          onBlur={(ev) => {
            if (!ev.currentTarget.contains(ev.relatedTarget as Node | null)) setFocusInside(false);
          }}
        >
          <NewAlertsBanner count={list.pending.length} paused={paused} onShow={list.applyPending} />
          <ErrorLine message={list.error ? describeError(list.error) : null} />
          <AlertTable
            rows={list.rows}
            stale={list.stale}
            query={query}
            selected={selected}
            openId={openId}
            focusIndex={focusIndex}
            now={now}
            compact={openId !== null}
            emptyText={list.loading ? t('list.loading') : filtered ? t('list.empty') : t('list.emptyAll')}
            onSort={onSort}
            onOpen={openAlert}
            onToggle={toggle}
            onToggleAll={toggleAll}
            onFocusIndex={setFocusIndex}
            onNearEnd={list.loadMore}
            onScrolledAway={setScrolledAway}
          />
          <footer className="list-footer">
            <span className="muted list-count" aria-live="polite">
              {list.loading ? '' : t(list.totalIsExact ? 'list.count' : 'list.countMore', { shown: formatCount(list.rows.length), total: totalText })}
            </span>
            {list.hasMore ? (
              <button type="button" className="btn" disabled={list.loadingMore} onClick={list.loadMore}>
                {list.loadingMore ? t('list.loadingMore') : t('list.loadMore')}
              </button>
            ) : !list.loading && list.rows.length > 0 ? (
              <span className="muted">{t('list.end', { total: formatCount(list.rows.length) })}</span>
            ) : null}
          </footer>
        </section>
        {openId ? (
          <AlertDetailPane
            id={openId}
            me={user.username}
            canEdit={canEdit}
            onClose={() => openAlert(null)}
            onUpdated={(alert) => afterTriage([alert])}
            onFilter={(name, value) => setQuery({ ...query, [name]: value })}
          />
        ) : null}
      </div>
    </main>
  );
}
