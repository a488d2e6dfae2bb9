// The alerts histogram above the workbench list: the current filters' alerts over
// the current time range, stacked by severity (ECharts, canvas). Dragging across the
// bars, or clicking one, narrows the list's time range to what was picked; the range
// goes into the URL like every other filter (the page's setQuery). Kept fresh while
// alerts stream in, at most every REFRESH_MS. A line of text under the chart says
// what it shows, for screen readers and for jsdom, which draws no canvas.
import { useEffect, useMemo } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { TimeBarChart } from '../../../components/charts/time-bar-chart.tsx';
import { timeBarOption } from '../../../components/charts/time-bar-option.ts';
import { bucketText, timeBars } from '../../../components/charts/time-bars.ts';
import { severityCounts, severitySeries } from '../../../components/charts/severity-bars.ts';
import { ErrorLine } from '../../../components/ui/error-line.tsx';
import { describeError } from '../../../lib/api-client.ts';
import { formatCount, formatTimestamp } from '../../../lib/format-time.ts';
import { getAlertHistogram } from '../api/get-alert-histogram.ts';
import { useAlertsLive } from '../hooks/alerts-live.tsx';
import { listQuerySearch, type AlertListQuery } from '../types/list-query.ts';

/** Live alerts refresh the histogram at most this often. */
const REFRESH_MS = 10_000;

export function AlertHistogramPanel({ query, onRange }: { query: AlertListQuery; onRange: (from: string, to: string) => void }) {
  const { t } = useTranslation('alerts');
  const { t: tc } = useTranslation();
  const queryClient = useQueryClient();
  const live = useAlertsLive();
  const key = useMemo(() => ['alerts', 'histogram', listQuerySearch({ ...query, sort: { field: 'time', direction: 'desc' }, group: null })], [query]);
  const histogram = useQuery({ queryKey: key, queryFn: ({ signal }) => getAlertHistogram(query, signal), placeholderData: (previous) => previous });

  // New alerts move the bars: refetch, at most every REFRESH_MS.
  useEffect(() => {
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const refresh = () => {
      timer = null;
      last = Date.now();
      void queryClient.invalidateQueries({ queryKey: key });
    };
    const unsubscribe = live.subscribe(() => {
      if (timer !== null) return;
      timer = setTimeout(refresh, Math.max(0, last + REFRESH_MS - Date.now()));
    });
    return () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    };
  }, [live, queryClient, key]);

  const data = histogram.data;
  const bars = useMemo(() => (data ? timeBars(data.from, data.to, data.bucketMs) : null), [data]);
  const option = useMemo(
    () => (data && bars ? timeBarOption({ bars, legend: true, series: severitySeries(severityCounts(bars, data.buckets), (s) => tc(`severity.${s}`)) }) : null),
    [data, bars, tc],
  );

  return (
    <section className="alert-histogram" aria-label={t('histogram.label')}>
      <ErrorLine message={histogram.error ? describeError(histogram.error) : null} />
      <TimeBarChart bars={bars} option={option} onRange={onRange} label={t('histogram.label')} className="alert-histogram-chart" title={t('histogram.hint')} />
      <p className="muted small alert-histogram-caption" data-testid="alert-histogram-caption">
        {data
          ? t('histogram.caption', {
              total: formatCount(data.total),
              from: formatTimestamp(data.from),
              to: formatTimestamp(data.to),
              bucket: bucketText(data.bucketMs, t, 'histogram'),
            })
          : t('list.loading')}
      </p>
    </section>
  );
}
