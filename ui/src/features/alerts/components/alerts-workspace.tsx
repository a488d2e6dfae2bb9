// The alerts screen: filters, the live table and, beside it, the open alert's detail.
// Esc closes the detail and returns focus to its row.
import { useEffect, useState } from 'react';
import { ErrorLine } from '../../../components/ui/error-line.tsx';
import { formatCount } from '../../../lib/format-time.ts';
import type { LiveAlerts } from '../hooks/use-live-alerts.ts';
import type { AlertFilters } from '../types/alert.ts';
import { AlertDetailPanel } from './alert-detail.tsx';
import { AlertFiltersBar } from './alert-filters.tsx';
import { AlertList } from './alert-list.tsx';

export interface AlertsWorkspaceProps {
  live: LiveAlerts;
  filters: AlertFilters;
  onFiltersChange: (filters: AlertFilters) => void;
  username: string;
  canEdit: boolean;
}

export function AlertsWorkspace({ live, filters, onFiltersChange, username, canEdit }: AlertsWorkspaceProps) {
  const [selectedId, setSelectedId] = useState<string | null>(null);

  useEffect(() => {
    if (selectedId === null) return;
    const onKey = (ev: KeyboardEvent) => {
      if (ev.key !== 'Escape' || ev.defaultPrevented) return;
      const id = selectedId;
      setSelectedId(null);
      requestAnimationFrame(() => {
        document.querySelector<HTMLElement>(`tr[data-alert-id="${CSS.escape(id)}"]`)?.focus();
      });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selectedId]);

  const filtered = filters.statuses.length > 0 || filters.severities.length > 0;
  const shown = live.alerts.length;
  const totalText = live.totalIsExact ? formatCount(live.total) : `${formatCount(live.total)}+`;

  return (
    <div className={`workspace${selectedId ? ' has-detail' : ''}`}>
      <section className="list-pane" aria-label="Alert list">
        <div className="list-toolbar">
          <AlertFiltersBar filters={filters} onChange={onFiltersChange} />
          <span className="muted list-count" aria-live="polite">
            {live.loading && shown === 0 ? 'Loading…' : `${formatCount(shown)} of ${totalText}`}
          </span>
        </div>
        <ErrorLine message={live.error} />
        <div className="table-scroll">
          <AlertList
            alerts={live.alerts}
            fresh={live.fresh}
            selectedId={selectedId}
            onSelect={setSelectedId}
            loading={live.loading}
            filtered={filtered}
          />
          {live.next ? (
            <div className="load-more">
              <button type="button" className="btn" disabled={live.loadingMore} onClick={live.loadMore}>
                {live.loadingMore ? 'Loading…' : 'Load older alerts'}
              </button>
            </div>
          ) : null}
        </div>
      </section>
      {selectedId ? (
        <AlertDetailPanel
          alertId={selectedId}
          live={live.alerts.find((a) => a.id === selectedId)}
          username={username}
          canEdit={canEdit}
          onClose={() => setSelectedId(null)}
          onUpdated={live.applyLocalUpdate}
        />
      ) : null}
    </div>
  );
}
