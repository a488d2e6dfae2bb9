// INTERIM, until the alerts feature ships its own routes (features/alerts/routes.tsx):
// the existing alerts workspace mounted under /alerts. The live stream lives in
// AlertsLiveProvider, a console-wide provider, so it keeps its cursor (and the list
// stays current) while the analyst is on another page.
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { RouteObject } from 'react-router';
import { openStatuses } from '../../features/alerts/components/alert-filters.tsx';
import { AlertsWorkspace } from '../../features/alerts/components/alerts-workspace.tsx';
import { useLiveAlerts, type LiveAlerts } from '../../features/alerts/hooks/use-live-alerts.ts';
import type { AlertFilters } from '../../features/alerts/types/alert.ts';
import { StatsBar } from '../../features/stats/components/stats-bar.tsx';
import { useUser } from '../session.tsx';

interface AlertsLive {
  live: LiveAlerts;
  filters: AlertFilters;
  setFilters: (filters: AlertFilters) => void;
}

const AlertsLiveContext = createContext<AlertsLive | null>(null);

export function AlertsLiveProvider({ children }: { children: ReactNode }) {
  const [filters, setFilters] = useState<AlertFilters>({ statuses: openStatuses, severities: [] });
  const live = useLiveAlerts(filters);

  // The tab title says how many new alerts wait, for analysts working in another tab.
  const newCount = live.alerts.filter((a) => a.status === 'new').length;
  useEffect(() => {
    document.title = newCount > 0 ? `(${newCount}) Vigil` : 'Vigil';
    return () => {
      document.title = 'Vigil';
    };
  }, [newCount]);

  return <AlertsLiveContext.Provider value={{ live, filters, setFilters }}>{children}</AlertsLiveContext.Provider>;
}

function AlertsPage() {
  const user = useUser();
  const context = useContext(AlertsLiveContext);
  if (!context) throw new Error('AlertsPage outside AlertsLiveProvider');
  const { live, filters, setFilters } = context;
  return (
    <main className="console-main">
      <StatsBar activity={live.activity} />
      <AlertsWorkspace live={live} filters={filters} onFiltersChange={setFilters} username={user.username} canEdit={user.role !== 'viewer'} />
    </main>
  );
}

export const alertsRoutes: RouteObject[] = [
  { path: 'alerts', element: <AlertsPage /> },
  { path: 'alerts/:id', element: <AlertsPage /> },
];
