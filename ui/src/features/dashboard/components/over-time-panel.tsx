// Alerts over the dashboard's range, one bar per bucket stacked by severity (critical
// on the axis, where it is easiest to see). A click on a bar opens the Alerts list for
// that bucket's time; the caption says the same in words.
import { useMemo } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { TimeBarChart } from '../../../components/charts/time-bar-chart.tsx';
import { timeBarOption } from '../../../components/charts/time-bar-option.ts';
import { bucketText, timeBars } from '../../../components/charts/time-bars.ts';
import { severityCounts, severitySeries } from '../../../components/charts/severity-bars.ts';
import { formatCount, formatTimestamp } from '../../../lib/format-time.ts';
import type { Dashboard } from '../api/get-dashboard.ts';
import { alertsLink } from '../lib/drill-links.ts';

export function OverTimePanel({ data, unit }: { data: Dashboard; unit: string | null }) {
  const { t, i18n } = useTranslation('dashboard');
  const { t: tc } = useTranslation();
  const navigate = useNavigate();
  const bars = useMemo(() => timeBars(data.from, data.to, data.bucketMs), [data.from, data.to, data.bucketMs]);
  const option = useMemo(
    () => timeBarOption({ bars, legend: true, grid: { top: 28 }, series: severitySeries(severityCounts(bars, data.overTime), (s) => tc(`severity.${s}`)) }),
    // The language changes the axis labels and the legend.
    [data, bars, tc, i18n.language],
  );

  return (
    <section className="dash-panel dash-panel-wide" aria-label={t('overTime')} data-testid="panel-over-time">
      <h2 className="dash-panel-title">{t('overTime')}</h2>
      <TimeBarChart
        label={t('overTime')}
        bars={bars}
        option={option}
        brush={false}
        className="dash-chart dash-chart-time"
        onRange={(from, to) => void navigate(alertsLink({ unit: unit ?? undefined }, { from, to }))}
      />
      <p className="muted small" data-testid="over-time-caption">
        {t('overTimeCaption', { total: formatCount(data.alerts), bucket: bucketText(data.bucketMs, t, 'bucket', 'minutes') })}{' '}
        {formatTimestamp(data.from)} – {formatTimestamp(data.to)}
      </p>
    </section>
  );
}
