// The Dashboard at /dashboard: every panel over the range in the URL (?from=now-24h or
// ?from=&to=, and ?unit= for one unit), for what the user may see (the server scopes
// it). Each figure is a link (and each bar a click) into the Alerts or Events list
// filtered to the items behind it.
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorLine } from '../../../components/ui/error-line.tsx';
import { describeError } from '../../../lib/api-client.ts';
import { formatCount } from '../../../lib/format-time.ts';
import { useUnitNames } from '../../../lib/unit-names.ts';
import { revealControls } from '../../../lib/visible-text.ts';
import { getDashboard, type Dashboard } from '../api/get-dashboard.ts';
import { placeBounds, placeSearch, readPlace, type DashboardPlace } from '../lib/dashboard-range.ts';
import { alertsLink, eventsLink, hostPage, unitPage, type Bounds } from '../lib/drill-links.ts';
import { queryValue } from '../../../lib/query-value.ts';
import { AgentsPanel } from './agents-panel.tsx';
import { OverTimePanel } from './over-time-panel.tsx';
import { RangeBar } from './range-bar.tsx';
import { TopPanel, type TopItem } from './top-panel.tsx';
import { TriageTable } from './triage-table.tsx';
import '../../../components/panels/panels.css';
import '../dashboard.css';

/** A relative range is re-resolved this often, so "last hour" moves with the clock. */
const REFRESH_MS = 60_000;

export function DashboardPage() {
  const { t } = useTranslation('dashboard');
  const [params, setParams] = useSearchParams();
  const place = readPlace(params);
  const placeKey = placeSearch(place);
  const query = useQuery({
    queryKey: ['dashboard', placeKey],
    queryFn: ({ signal }) => getDashboard({ ...placeBounds(place), unit: place.unit }, signal),
    placeholderData: (previous) => previous,
    refetchInterval: REFRESH_MS,
  });
  const change = (next: DashboardPlace) => setParams(new URLSearchParams(placeSearch(next)));
  const data = query.data;
  const bounds = data ? { from: data.from, to: data.to } : placeBounds(place);

  return (
    <main className="console-main dash">
      <header className="dash-head">
        <h1 className="dash-title">{place.unit !== null && data?.unit ? t('unitTitle', { unit: revealControls(data.unit.name) }) : t('title')}</h1>
        {place.unit !== null ? (
          <>
            <Link to={unitPage(place.unit)} className="small">
              {t('unitPageLink')}
            </Link>
            <Link to={`/dashboard${placeSearch({ ...place, unit: null })}`} className="small">
              {t('wholeDashboard')}
            </Link>
          </>
        ) : null}
        <RangeBar place={place} bounds={bounds} onChange={change} />
        {query.isFetching && data ? <span className="muted small">{t('refreshing')}</span> : null}
      </header>
      <ErrorLine message={query.error ? describeError(query.error) : null} />
      {data ? <Panels data={data} place={place} bounds={bounds} /> : !query.error ? <p className="muted">{t('loading')}</p> : null}
    </main>
  );
}

function Panels({ data, place, bounds }: { data: Dashboard; place: DashboardPlace; bounds: Bounds }) {
  const { t } = useTranslation('dashboard');
  const { unitName } = useUnitNames();
  const relative = place.to === null ? place.from : null;
  const unit = place.unit;
  const urgent = (data.alertsBySeverity['critical'] ?? 0) + (data.alertsBySeverity['high'] ?? 0);

  const rules = useMemo<TopItem[]>(
    () => data.topRules.map((r) => ({ label: r.title, count: r.count, to: alertsLink({ rule: r.rule, unit: unit ?? undefined }, bounds, relative) })),
    [data, bounds, relative, unit],
  );
  const hosts = useMemo<TopItem[]>(
    () =>
      data.topHosts.map((h) => ({
        label: h.host,
        count: h.count,
        to: alertsLink({ host: h.host, unit: h.unit === '*' ? undefined : h.unit }, bounds, relative),
        note: h.unit === '*' ? t('across') : unitName(h.unit),
        extra: { to: hostPage(h.host, h.unit === '*' ? null : h.unit), text: t('hostPage') },
      })),
    [data, bounds, relative, unitName, t],
  );
  const units = useMemo<TopItem[]>(
    () =>
      data.topUnits.map((u) => ({
        label: u.unit === '*' ? t('across') : u.name,
        count: u.count,
        to: alertsLink({ unit: u.unit === '*' ? undefined : u.unit }, bounds, relative),
        ...(u.unit === '*' ? {} : { extra: { to: unitPage(u.unit), text: t('unitPageLink') } }),
      })),
    [data, bounds, relative, t],
  );
  const threats = useMemo<TopItem[]>(
    () =>
      data.topThreats.map((th) => ({
        label: th.name,
        count: th.count,
        to: eventsLink(`rule.name:${queryValue(th.name)}`, bounds, unit),
        note: t('threatHosts', { count: th.hosts }),
      })),
    [data, bounds, unit, t],
  );
  const infections = useMemo<TopItem[]>(
    () =>
      data.infections
        .filter((i) => i.count > 0)
        .map((i) => ({
          label: t(`outcomes.${i.outcome}`, { defaultValue: i.outcome }),
          count: i.count,
          to: eventsLink(`event.category:malware${i.action ? ` event.action:${queryValue(i.action)}` : ''}`, bounds, unit),
        })),
    [data, bounds, unit, t],
  );

  return (
    <>
      <section className="dash-kpis" aria-label={t('title')}>
        <Kpi label={t('kpi.alerts')} value={data.alerts} to={alertsLink({ unit: unit ?? undefined }, bounds, relative)} testId="kpi-alerts" />
        <Kpi label={t('kpi.urgent')} value={urgent} to={alertsLink({ unit: unit ?? undefined, severity: 'critical,high' }, bounds, relative)} testId="kpi-urgent" tone="dash-tone-critical" />
        <Kpi label={t('kpi.events')} value={data.events} to={eventsLink('', bounds, unit)} testId="kpi-events" />
        <Kpi label={t('kpi.online')} value={data.agents.online} testId="kpi-online" />
        <Kpi label={t('kpi.silent')} value={data.agents.silent} testId="kpi-silent" tone={data.agents.silent > 0 ? 'dash-tone-high' : ''} />
      </section>
      <div className="dash-grid">
        <OverTimePanel data={data} unit={unit} />
        <TopPanel title={t('topHosts')} items={hosts} testId="panel-top-hosts" />
        <TopPanel title={t('topRules')} items={rules} testId="panel-top-rules" />
        {unit === null ? <TopPanel title={t('topUnits')} items={units} testId="panel-top-units" /> : null}
        <TopPanel title={t('topThreats')} items={threats} testId="panel-top-threats" color="--sev-medium" />
        <TopPanel title={t('infections')} items={infections} testId="panel-infections" color="--sev-low" />
        <AgentsPanel agents={data.agents} />
        <TriageTable rows={data.triage} bounds={bounds} relativeFrom={relative} />
      </div>
    </>
  );
}

function Kpi({ label, value, to, testId, tone = '' }: { label: string; value: number; to?: string; testId: string; tone?: string }) {
  const body = (
    <>
      <span className="dash-kpi-value">{formatCount(value)}</span>
      <span className="dash-kpi-label">{label}</span>
    </>
  );
  return to ? (
    <Link to={to} className={`dash-kpi ${tone}`} data-testid={testId}>
      {body}
    </Link>
  ) : (
    <div className={`dash-kpi ${tone}`} data-testid={testId}>
      {body}
    </div>
  );
}
