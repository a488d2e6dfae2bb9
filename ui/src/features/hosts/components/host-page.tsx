// The host page at /hosts/:name (?unit= when the name is not enough, ?from=&to= for the
// range): its events and alerts over time (a drag or click narrows the range), its
// open alerts, a timeline of its events and alerts, and the agents that report it with
// when each was last seen. Reached from the dashboard's top hosts and from an alert's
// host. Its panels are shared with the unit page (features/shared/places).
import { Link, useParams, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../../lib/api-client.ts';
import { readField } from '../../../lib/event-fields.ts';
import { useUnitNames } from '../../../lib/unit-names.ts';
import { revealControls } from '../../../lib/visible-text.ts';
import { getAgentsSeen } from '../../shared/places/api/get-agents-seen.ts';
import { AgentsTable } from '../../shared/places/components/agents-table.tsx';
import { OpenAlerts } from '../../shared/places/components/open-alerts.tsx';
import { PlaceActivity } from '../../shared/places/components/place-activity.tsx';
import { PlaceRange } from '../../shared/places/components/place-range.tsx';
import { PlaceTimeline, usePlaceEvents } from '../../shared/places/components/place-timeline.tsx';
import { usePlaceRange } from '../../shared/places/hooks/use-place-range.ts';
import { placeLinks } from '../../shared/places/lib/place-range.ts';
import { queryValue } from '../../../lib/query-value.ts';
import '../../../components/panels/panels.css';

export function HostPage() {
  const { t } = useTranslation('places');
  const { name = '' } = useParams();
  const [params] = useSearchParams();
  const unit = params.get('unit')?.trim() || undefined;
  const { unitName } = useUnitNames();
  const { bounds, narrow } = usePlaceRange();
  const eventsQ = `host.name:${queryValue(name)}${unit ? ` organization.id:${queryValue(unit)}` : ''}`;
  const source = { eventsQ, host: name, unit, bounds, ...placeLinks({ eventsQ, host: name, unit }, bounds) };
  const events = usePlaceEvents(source);
  const agentUnit = unit ?? (events.data?.items[0] ? readField(events.data.items[0], 'organization.id') : undefined) ?? null;
  const agents = useQuery({
    queryKey: ['place', 'agents', agentUnit],
    queryFn: ({ signal }) => getAgentsSeen(agentUnit, signal),
    enabled: agentUnit !== null,
  });
  const senders = new Set((events.data?.items ?? []).map((e) => readField(e, 'agent.id')).filter(Boolean));
  const hostAgents = (agents.data?.items ?? []).filter((a) => senders.has(a.id) || a.name.toLowerCase() === name.toLowerCase());
  const listLink = `/alerts?${new URLSearchParams({ host: name, ...(unit ? { unit } : {}) }).toString()}`;

  return (
    <main className="console-main dash">
      <header className="dash-head">
        <h1 className="dash-title">{t('hostTitle', { host: revealControls(name) })}</h1>
        {unit ? (
          <Link to={`/units/${encodeURIComponent(unit)}`} className="small">
            {t('inUnit', { unit: revealControls(unitName(unit)) })}
          </Link>
        ) : null}
        <PlaceRange />
      </header>
      <div className="dash-grid">
        <PlaceActivity source={source} onRange={narrow} />
        <OpenAlerts host={name} unit={unit} listLink={listLink} />
        <AgentsTable
          agents={hostAgents}
          hint={t('agentsHint')}
          error={agents.error ? describeError(agents.error) : null}
          loading={events.isPending || (agentUnit !== null && agents.isPending)}
        />
        <PlaceTimeline source={source} />
      </div>
    </main>
  );
}
