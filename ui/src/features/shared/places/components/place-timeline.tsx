// A place's timeline over the range: its newest events and alerts interleaved, newest
// first, so what happened before an alert sits right under it. Events are read as
// text only (lib/event-fields.ts); each alert opens its detail.
import { useMemo } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorLine } from '../../../../components/ui/error-line.tsx';
import { describeError } from '../../../../lib/api-client.ts';
import { eventHeadline, eventSubject, readField } from '../../../../lib/event-fields.ts';
import { formatTimestamp } from '../../../../lib/format-time.ts';
import { revealControls } from '../../../../lib/visible-text.ts';
import { getPlaceAlerts, type PlaceAlert } from '../api/get-place-alerts.ts';
import { getPlaceEvents } from '../api/get-place-events.ts';

export const TIMELINE_LIMIT = 100;

type Entry = { kind: 'alert'; at: string; alert: PlaceAlert } | { kind: 'event'; at: string; event: unknown; key: string };

export interface TimelineSource {
  /** The event search for this place (`host.name:pc-01 organization.id:so-y-te`). */
  eventsQ: string;
  host?: string;
  unit?: string;
  bounds: { from: string; to: string };
  /** The Events view with this search, for more than the timeline shows. */
  eventsLink: string;
}

/** The timeline's events (one request, shared by whoever asks: the host page reads their agents). */
export function usePlaceEvents(source: Pick<TimelineSource, 'eventsQ' | 'bounds'>) {
  const { bounds } = source;
  return useQuery({
    queryKey: ['place', 'events', source.eventsQ, bounds.from, bounds.to],
    queryFn: ({ signal }) => getPlaceEvents({ q: source.eventsQ, ...bounds, limit: TIMELINE_LIMIT }, signal),
  });
}

export function PlaceTimeline({ source }: { source: TimelineSource }) {
  const { t } = useTranslation('places');
  const { t: tc } = useTranslation();
  const { bounds } = source;
  const events = usePlaceEvents(source);
  const alerts = useQuery({
    queryKey: ['place', 'alerts', source.host ?? null, source.unit ?? null, bounds.from, bounds.to],
    queryFn: ({ signal }) => getPlaceAlerts({ host: source.host, unit: source.unit, status: [], ...bounds, limit: TIMELINE_LIMIT }, signal),
  });
  const entries = useMemo<Entry[]>(() => {
    const list: Entry[] = [];
    for (const alert of alerts.data?.items ?? []) list.push({ kind: 'alert', at: alert.last_seen, alert });
    (events.data?.items ?? []).forEach((event, i) => {
      list.push({ kind: 'event', at: readField(event, '@timestamp') ?? '', event, key: `${readField(event, 'event.id') ?? ''}-${i}` });
    });
    return list.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  }, [alerts.data, events.data]);

  const loading = events.isPending || alerts.isPending;
  const error = events.error ?? alerts.error;
  return (
    <section className="dash-panel dash-panel-wide" aria-label={t('timeline')} data-testid="place-timeline">
      <h2 className="dash-panel-title">
        {t('timeline')} <Link to={source.eventsLink} className="small">{t('searchEvents')}</Link>
      </h2>
      <p className="muted small">{t('timelineHint', { limit: TIMELINE_LIMIT })}</p>
      <ErrorLine message={error ? describeError(error) : null} />
      {loading ? (
        <p className="muted small">{t('loading')}</p>
      ) : entries.length === 0 ? (
        <p className="muted small">{t('noTimeline')}</p>
      ) : (
        <table className="dash-table">
          <thead>
            <tr>
              <th scope="col">{t('time')}</th>
              <th scope="col">{tc('words.alert')} / {tc('words.event')}</th>
              <th scope="col">{t('what')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) =>
              entry.kind === 'alert' ? (
                <tr key={`a-${entry.alert.id}`} className="timeline-alert">
                  <td>{formatTimestamp(entry.at)}</td>
                  <td>
                    <span className={`badge sev sev-${entry.alert.severity}`}>{tc(`severity.${entry.alert.severity}`)}</span>
                  </td>
                  <td className="wrap">
                    <Link to={`/alerts/${encodeURIComponent(entry.alert.id)}`}>{revealControls(entry.alert.rule.title)}</Link>
                    <span className="muted"> · {tc(`status.${entry.alert.status}`, { defaultValue: entry.alert.status })}</span>
                  </td>
                </tr>
              ) : (
                <tr key={`e-${entry.key}`}>
                  <td>{entry.at ? formatTimestamp(entry.at) : tc('none')}</td>
                  <td className="muted">{t('kind.event')}</td>
                  <td className="wrap">
                    {eventHeadline(entry.event)}
                    {eventSubject(entry.event) ? <span className="muted"> · {eventSubject(entry.event)}</span> : null}
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      )}
    </section>
  );
}
