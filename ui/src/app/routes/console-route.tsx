// The signed-in console. The live alert stream lives here, not in a view, so it keeps
// its cursor (and the list stays current) while the analyst searches events.
import { useEffect, useState } from 'react';
import { AccountView } from '../../features/auth/components/account-view.tsx';
import { describeScope, type User } from '../../features/auth/types/user.ts';
import { openStatuses } from '../../features/alerts/components/alert-filters.tsx';
import { AlertsWorkspace } from '../../features/alerts/components/alerts-workspace.tsx';
import { useLiveAlerts } from '../../features/alerts/hooks/use-live-alerts.ts';
import type { AlertFilters } from '../../features/alerts/types/alert.ts';
import { AgentsScreen } from '../../features/admin/components/agents-screen.tsx';
import { UnitsScreen } from '../../features/admin/components/units-screen.tsx';
import { UsersScreen } from '../../features/admin/components/users-screen.tsx';
import { AuditView } from '../../features/audit/components/audit-view.tsx';
import { EventsSearch } from '../../features/events/components/events-search.tsx';
import { HealthView } from '../../features/health/components/health-view.tsx';
import { StatsBar } from '../../features/stats/components/stats-bar.tsx';
import { TopBar, type ConsoleView } from '../components/top-bar.tsx';

export function ConsoleRoute({ user, onSignOut }: { user: User; onSignOut: () => void }) {
  const [view, setView] = useState<ConsoleView>('alerts');
  const [filters, setFilters] = useState<AlertFilters>({ statuses: openStatuses, severities: [] });
  const live = useLiveAlerts(filters);

  // The tab title says how many new alerts wait, for analysts working in another tab.
  const newCount = live.alerts.filter((a) => a.status === 'new').length;
  useEffect(() => {
    document.title = newCount > 0 ? `(${newCount}) Vigil` : 'Vigil';
  }, [newCount]);

  return (
    <div className="console">
      <TopBar
        username={user.username}
        role={user.role}
        scope={describeScope(user)}
        connection={live.connection}
        view={view}
        onView={setView}
        onSignOut={onSignOut}
      />
      {view === 'alerts' ? (
        <main className="console-main">
          <StatsBar activity={live.activity} />
          <AlertsWorkspace
            live={live}
            filters={filters}
            onFiltersChange={setFilters}
            username={user.username}
            canEdit={user.role !== 'viewer'}
          />
        </main>
      ) : view === 'events' ? (
        <main className="console-main">
          <EventsSearch />
        </main>
      ) : view === 'health' ? (
        <main className="console-main">
          <HealthView unitScoped={user.units !== 'all'} />
        </main>
      ) : view === 'account' ? (
        <main className="console-main">
          <AccountView user={user} />
        </main>
      ) : user.role !== 'admin' ? null : view === 'units' ? (
        <main className="console-main">
          <UnitsScreen socWide={user.units === 'all'} />
        </main>
      ) : view === 'agents' ? (
        <main className="console-main">
          <AgentsScreen />
        </main>
      ) : view === 'users' ? (
        <main className="console-main">
          <UsersScreen me={user.username} socWide={user.units === 'all'} />
        </main>
      ) : (
        <main className="console-main">
          <AuditView />
        </main>
      )}
    </div>
  );
}
