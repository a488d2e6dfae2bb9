// The unit page at /units/:id (?from=&to= for the range): the unit's events and alerts
// over time (a drag or click narrows the range), its open alerts, its hosts by alerts
// over the range (each to its host page), its agents with when each was last seen, and
// a timeline of its events and alerts. Reached from the dashboard's top units and
// triage table and from an alert's unit. Its panels are shared with the host page
// (features/shared/places), shown for a whole unit.
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorLine } from '../../../components/ui/error-line.tsx';
import { describeError } from '../../../lib/api-client.ts';
import { formatCount } from '../../../lib/format-time.ts';
import { useUnitNames } from '../../../lib/unit-names.ts';
import { revealControls } from '../../../lib/visible-text.ts';
import { getAgentsSeen } from '../../shared/places/api/get-agents-seen.ts';
import { AgentsTable } from '../../shared/places/components/agents-table.tsx';
import { OpenAlerts } from '../../shared/places/components/open-alerts.tsx';
import { PlaceActivity } from '../../shared/places/components/place-activity.tsx';
import { PlaceRange } from '../../shared/places/components/place-range.tsx';
import { PlaceTimeline } from '../../shared/places/components/place-timeline.tsx';
import { usePlaceRange } from '../../shared/places/hooks/use-place-range.ts';
import { placeLinks } from '../../shared/places/lib/place-range.ts';
import { queryValue } from '../../../lib/query-value.ts';
import { getUnitHosts } from '../api/get-unit-hosts.ts';
import '../../../components/panels/panels.css';

export function UnitPage() {
  const { t } = useTranslation('places');
  const { id = '' } = useParams();
  const { unitName } = useUnitNames();
  const { range, bounds, narrow } = usePlaceRange();
  const hosts = useQuery({ queryKey: ['place', 'unit-hosts', id, bounds.from, bounds.to], queryFn: ({ signal }) => getUnitHosts(id, bounds, signal) });
  const agents = useQuery({ queryKey: ['place', 'agents', id], queryFn: ({ signal }) => getAgentsSeen(id, signal) });
  const eventsQ = `organization.id:${queryValue(id)}`;
  const source = { eventsQ, unit: id, bounds, ...placeLinks({ eventsQ, unit: id }, bounds) };
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
        <PlaceActivity source={source} onRange={narrow} />
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
        <PlaceTimeline source={source} />
      </div>
    </main>
  );
}
