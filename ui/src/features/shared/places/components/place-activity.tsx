// The top of a host's or unit's page: its alerts over the page's range stacked by
// severity, and its events under them on the same time axis, so a burst of events and
// the alerts it raised line up. A drag across bars of either chart, or a click on one,
// narrows the page's range to them (`onRange`: into the URL, so Back widens it again);
// so does the button naming the busiest bar, for whoever cannot drag on a canvas. Each
// chart's line of text says what it counts (jsdom draws no canvas; screen readers read it).
import { useMemo } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { themeColor } from '../../../../components/charts/echart.tsx';
import { severityCounts, severitySeries } from '../../../../components/charts/severity-bars.ts';
import { TimeBarChart, type TimeBarChartProps } from '../../../../components/charts/time-bar-chart.tsx';
import { timeBarOption } from '../../../../components/charts/time-bar-option.ts';
import { barCounts, barSpan, bucketText, timeBars, type TimeBars } from '../../../../components/charts/time-bars.ts';
import { ErrorLine } from '../../../../components/ui/error-line.tsx';
import { describeError } from '../../../../lib/api-client.ts';
import { formatCount, formatTimestamp } from '../../../../lib/format-time.ts';
import { getAlertActivity, getEventActivity } from '../api/get-place-activity.ts';
import type { TimelineSource } from './place-timeline.tsx';
import '../places.css';

export interface ActivitySource extends Pick<TimelineSource, 'eventsQ' | 'host' | 'unit' | 'bounds' | 'eventsLink'> {
  /** The Alerts list of this place over the range. */
  alertsLink: string;
}

/** The bar with the most in it (the first of equals), or null when all are empty. */
function busiest(totals: number[]): number | null {
  let best: number | null = null;
  totals.forEach((n, i) => {
    if (n > 0 && (best === null || n > totals[best]!)) best = i;
  });
  return best;
}

export function PlaceActivity({ source, onRange }: { source: ActivitySource; onRange: (from: string, to: string) => void }) {
  const { t } = useTranslation('places');
  const { t: tc } = useTranslation();
  const { bounds } = source;
  const alerts = useQuery({
    queryKey: ['place', 'alert-activity', source.host ?? null, source.unit ?? null, bounds.from, bounds.to],
    queryFn: ({ signal }) => getAlertActivity({ host: source.host, unit: source.unit, ...bounds }, signal),
    placeholderData: (previous) => previous,
  });
  const events = useQuery({
    queryKey: ['place', 'event-activity', source.eventsQ, bounds.from, bounds.to],
    queryFn: ({ signal }) => getEventActivity({ q: source.eventsQ, ...bounds }, signal),
    placeholderData: (previous) => previous,
  });
  const alertData = alerts.data;
  const eventData = events.data;
  const alertBars = useMemo(() => (alertData ? timeBars(alertData.from, alertData.to, alertData.bucketMs) : null), [alertData]);
  const eventBars = useMemo(() => (eventData ? timeBars(eventData.from, eventData.to, eventData.bucketMs) : null), [eventData]);
  const alertCounts = useMemo(() => (alertData && alertBars ? severityCounts(alertBars, alertData.buckets) : null), [alertData, alertBars]);
  const eventCounts = useMemo(() => (eventData && eventBars ? barCounts(eventBars, eventData.buckets, (b) => b.count) : null), [eventData, eventBars]);
  const alertOption = useMemo(
    () => (alertBars && alertCounts ? timeBarOption({ bars: alertBars, legend: true, series: severitySeries(alertCounts, (s) => tc(`severity.${s}`)) }) : null),
    [alertBars, alertCounts, tc],
  );
  // Events in the darker accent: the light one is too close to the low severity's blue above.
  const eventOption = useMemo(
    () =>
      eventBars && eventCounts
        ? timeBarOption({
            bars: eventBars,
            series: [{ type: 'bar', name: t('activity.events'), barCategoryGap: '15%', itemStyle: { color: themeColor('--accent-strong', '#1f8fd1') }, data: eventCounts }],
          })
        : null,
    [eventBars, eventCounts, t],
  );

  // The busiest bar: of the alerts when there are any (what an analyst came for), else of the events.
  const peak = useMemo(() => {
    const pick = (bars: TimeBars | null, totals: number[] | null) => {
      const i = bars && totals ? busiest(totals) : null;
      return bars && i !== null ? barSpan(bars, i, i) : null;
    };
    const alertTotals = alertCounts ? alertCounts.critical.map((_, i) => Object.values(alertCounts).reduce((sum, list) => sum + (list[i] ?? 0), 0)) : null;
    return pick(alertBars, alertTotals) ?? pick(eventBars, eventCounts);
  }, [alertBars, alertCounts, eventBars, eventCounts]);

  const error = alerts.error ?? events.error;
  return (
    <section className="dash-panel dash-panel-wide" aria-label={t('activity.title')} data-testid="place-activity">
      <h2 className="dash-panel-title">
        {t('activity.title')} <Link to={source.alertsLink} className="small">{t('activity.openAlerts')}</Link>{' '}
        <Link to={source.eventsLink} className="small">{t('activity.openEvents')}</Link>
      </h2>
      <ErrorLine message={error ? describeError(error) : null} />
      <ActivityChart
        testId="place-activity-alerts"
        caption={alertData ? t('activity.alertsCaption', { count: alertData.total, n: formatCount(alertData.total), bucket: bucketText(alertData.bucketMs, t, 'activity.bucket') }) : t('loading')}
        chart={{ bars: alertBars, option: alertOption, onRange, label: t('activity.alerts'), className: 'dash-chart place-chart-alerts', title: t('activity.hint') }}
      />
      <ActivityChart
        testId="place-activity-events"
        caption={eventData ? t('activity.eventsCaption', { count: eventData.total, n: formatCount(eventData.total), bucket: bucketText(eventData.bucketMs, t, 'activity.bucket') }) : t('loading')}
        chart={{ bars: eventBars, option: eventOption, onRange, label: t('activity.events'), className: 'dash-chart place-chart-events', title: t('activity.hint') }}
      />
      <p className="muted small">
        {t('activity.range', { from: formatTimestamp(bounds.from), to: formatTimestamp(bounds.to) })} {t('activity.hint')}{' '}
        {peak ? (
          <button type="button" className="btn btn-small" onClick={() => onRange(peak.from, peak.to)}>
            {t('activity.zoomPeak', { from: formatTimestamp(peak.from), to: formatTimestamp(peak.to) })}
          </button>
        ) : null}
      </p>
    </section>
  );
}

/** One of the two charts, under the line of text that says what it counts. */
function ActivityChart({ testId, caption, chart }: { testId: string; caption: string; chart: TimeBarChartProps }) {
  return (
    <>
      <p className="muted small" data-testid={testId}>
        {caption}
      </p>
      <TimeBarChart {...chart} />
    </>
  );
}
