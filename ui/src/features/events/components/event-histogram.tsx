// The Events view's histogram: the current search's matches over the time range, one
// bar per bucket (ECharts, canvas). Dragging across bars, or clicking one, narrows the
// search's time range to them (the range goes into the URL through `onRange`). A line
// of text under the chart says what it shows, for screen readers and for jsdom, which
// draws no canvas.
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { TimeBarChart } from '../../../components/charts/time-bar-chart.tsx';
import { timeBarOption } from '../../../components/charts/time-bar-option.ts';
import { barCounts, bucketText, timeBars } from '../../../components/charts/time-bars.ts';
import { themeColor } from '../../../components/charts/echart.tsx';
import { ErrorLine } from '../../../components/ui/error-line.tsx';
import { panelErrorMessage } from './panel-error.ts';
import { formatCount, formatTimestamp } from '../../../lib/format-time.ts';
import { getEventHistogram } from '../api/get-event-histogram.ts';

export interface HistogramSearch {
  q: string;
  from?: string;
  to?: string;
}

export function EventHistogramPanel({ search, onRange }: { search: HistogramSearch; onRange: (from: string, to: string) => void }) {
  const { t } = useTranslation('events');
  const histogram = useQuery({
    queryKey: ['events', 'histogram', search.q, search.from ?? null, search.to ?? null],
    queryFn: ({ signal }) => getEventHistogram(search, signal),
    placeholderData: (previous) => previous,
    staleTime: 0,
  });
  const data = histogram.data;
  const bars = useMemo(() => (data ? timeBars(data.from, data.to, data.bucketMs) : null), [data]);
  const option = useMemo(
    () =>
      data && bars
        ? timeBarOption({
            bars,
            grid: { left: 44 },
            series: [{ type: 'bar', name: t('histogram.label'), barCategoryGap: '15%', itemStyle: { color: themeColor('--accent', '#4cc2ff') }, data: barCounts(bars, data.buckets, (b) => b.count) }],
            tooltipLines: ([first]) => (first ? [t('histogram.events', { count: first.value, n: formatCount(first.value) })] : []),
          })
        : null,
    [data, bars, t],
  );

  return (
    <section className="event-histogram" aria-label={t('histogram.label')}>
      <ErrorLine message={panelErrorMessage(histogram.error)} />
      <TimeBarChart bars={bars} option={option} onRange={onRange} label={t('histogram.label')} className="event-histogram-chart" title={t('histogram.hint')} />
      <p className="muted small event-histogram-caption" data-testid="event-histogram-caption">
        {data
          ? t('histogram.caption', { count: data.total, total: formatCount(data.total), from: formatTimestamp(data.from), to: formatTimestamp(data.to), bucket: bucketText(data.bucketMs, t, 'histogram') })
          : t('searching')}
      </p>
    </section>
  );
}
