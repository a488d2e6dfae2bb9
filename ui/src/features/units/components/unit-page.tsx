// The unit page at /units/:id (?from= for the range): the unit's open alerts, its hosts
// by alerts over the range (each to its host page), its agents with when each was last
// seen, and a timeline of its events and alerts. Reached from the dashboard's top units
// and triage table and from an alert's unit. Its panels are the host page's
// (features/hosts), shown for a whole unit.
import { useMemo } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorLine } from '../../../components/ui/error-line.tsx';
import { describeError } from '../../../lib/api-client.ts';
import { formatCount } from '../../../lib/format-time.ts';
import { useUnitNames } from '../../../lib/unit-names.ts';
import { revealControls } from '../../../lib/visible-text.ts';
import { getAgentsSeen } from '../../hosts/api/get-agents-seen.ts';
import { AgentsTable } from '../../hosts/components/agents-table.tsx';
import { OpenAlerts } from '../../hosts/components/open-alerts.tsx';
import { PlaceRange } from '../../hosts/components/place-range.tsx';
import { PlaceTimeline } from '../../hosts/components/place-timeline.tsx';
import { queryValue, rangeBounds, readRange } from '../../hosts/lib/place-range.ts';
import { getUnitHosts } from '../api/get-unit-hosts.ts';
import '../../dashboard/dashboard.css';

export function UnitPage() {
  const { t } = useTranslation('places');
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const { unitName } = useUnitNames();
  const range = readRange(params);
  const rangeKey = `${range.from}|${range.to ?? ''}`;
  const bounds = useMemo(() => rangeBounds(range), [rangeKey]);
  const hosts = useQuery({ queryKey: ['place', 'unit-hosts', id, bounds.from, bounds.to], queryFn: ({ signal }) => getUnitHosts(id, bounds, signal) });
  const agents = useQuery({ queryKey: ['place', 'agents', id], queryFn: ({ signal }) => getAgentsSeen(id, signal) });
  const eventsQ = `organization.id:${queryValue(id)}`;
  const rangeSearch = new URLSearchParams({ from: range.from, ...(range.to ? { to: range.to } : {}) });

  return (
    <main className="console-main dash">
      <header className="dash-head">
        <h1 className="dash-title">{t('unitTitle', { unit: revealControls(unitName(id)) })}</h1>
        <Link to={`/dashboard?${new URLSearchParams({ unit: id, ...Object.fromEntries(rangeSearch) }).toString()}`} className="small">
          {t('dashboard')}
        </Link>
        <PlaceRange />
      </header>
      <div className="dash-grid">
        <OpenAlerts unit={id} listLink={`/alerts?${new URLSearchParams({ unit: id }).toString()}`} />
        <section className="dash-panel" aria-label={t('hosts')} data-testid="unit-hosts">
          <h2 className="dash-panel-title">{t('hosts')}</h2>
          <ErrorLine message={hosts.error ? describeError(hosts.error) : null} />
          {hosts.isPending ? (
            <p className="muted small">{t('loading')}</p>
          ) : (hosts.data?.groups ?? []).filter((g) => g.key !== null).length === 0 ? (
            <p className="muted small">{t('noHosts')}</p>
          ) : (
            <ol className="dash-list">
              {(hosts.data?.groups ?? [])
                .filter((g): g is { key: string; label: string; count: number } => g.key !== null)
                .slice(0, 20)
                .map((g) => (
                  <li key={g.key}>
                    <Link to={`/hosts/${encodeURIComponent(g.key)}?${new URLSearchParams({ unit: id, ...Object.fromEntries(rangeSearch) }).toString()}`} className="dash-list-label">
                      {revealControls(g.label)}
                    </Link>
                    <span className="dash-list-count">{formatCount(g.count)}</span>
                  </li>
                ))}
            </ol>
          )}
        </section>
        <AgentsTable agents={agents.data?.items ?? []} error={agents.error ? describeError(agents.error) : null} loading={agents.isPending} />
        <PlaceTimeline
          source={{ eventsQ, unit: id, bounds, eventsLink: `/events?${new URLSearchParams({ q: eventsQ, from: bounds.from, to: bounds.to }).toString()}` }}
        />
      </div>
    </main>
  );
}
