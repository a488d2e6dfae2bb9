// Alerts over the dashboard's range, one bar per bucket stacked by severity (critical
// on the axis, where it is easiest to see). A click on a bar opens the Alerts list for
// that bucket's time; the caption says the same in words.
import { useMemo } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { currentLocale } from '../../../i18n/i18n.ts';
import { formatCount, formatTimestamp } from '../../../lib/format-time.ts';
import type { Dashboard } from '../api/get-dashboard.ts';
import { alertsLink } from '../lib/drill-links.ts';
import { EChart, themeColor, type ChartOption } from './echart.tsx';

const STACK = ['critical', 'high', 'medium', 'low', 'informational'] as const;
const COLOR_VAR: Record<(typeof STACK)[number], string> = {
  critical: '--sev-critical',
  high: '--sev-high',
  medium: '--sev-medium',
  low: '--sev-low',
  informational: '--sev-info',
};
const MAX_BARS = 400;

function axisLabel(ms: number, bucketMs: number, spansDays: boolean): string {
  const options: Intl.DateTimeFormatOptions =
    bucketMs >= 86_400_000
      ? { day: '2-digit', month: '2-digit' }
      : spansDays
        ? { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
        : { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  return new Intl.DateTimeFormat(currentLocale(), options).format(new Date(ms));
}

export function bucketText(ms: number, t: (key: string, options?: Record<string, unknown>) => string): string {
  if (ms % 86_400_000 === 0) return t('bucket.days', { count: ms / 86_400_000 });
  if (ms % 3_600_000 === 0) return t('bucket.hours', { count: ms / 3_600_000 });
  return t('bucket.minutes', { count: Math.round(ms / 60_000) });
}

export function OverTimePanel({ data, unit }: { data: Dashboard; unit: string | null }) {
  const { t, i18n } = useTranslation('dashboard');
  const { t: tc } = useTranslation();
  const navigate = useNavigate();
  const from = Date.parse(data.from);
  const n = Math.max(1, Math.min(MAX_BARS, Math.ceil((Date.parse(data.to) - from) / data.bucketMs)));
  const starts = useMemo(() => Array.from({ length: n }, (_, i) => from + i * data.bucketMs), [from, n, data.bucketMs]);
  const option = useMemo<ChartOption>(() => {
    const counts = Object.fromEntries(STACK.map((s) => [s, new Array<number>(n).fill(0)])) as Record<(typeof STACK)[number], number[]>;
    for (const bucket of data.overTime) {
      const i = Math.round((Date.parse(bucket.start) - from) / data.bucketMs);
      if (i < 0 || i >= n) continue;
      for (const severity of STACK) counts[severity][i]! += bucket.bySeverity[severity] ?? 0;
    }
    const spansDays = new Date(starts[0] ?? 0).toDateString() !== new Date((starts.at(-1) ?? 0) + data.bucketMs - 1).toDateString();
    const muted = themeColor('--text-muted', '#94a3b8');
    return {
      animation: false,
      grid: { left: 40, right: 12, top: 28, bottom: 22 },
      legend: { top: 0, right: 8, itemWidth: 10, itemHeight: 10, textStyle: { color: muted, fontSize: 11 } },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, renderMode: 'richText' },
      xAxis: { type: 'category', data: starts.map((ms) => axisLabel(ms, data.bucketMs, spansDays)), axisLabel: { color: muted, fontSize: 11, hideOverlap: true } },
      yAxis: { type: 'value', minInterval: 1, splitNumber: 3, axisLabel: { color: muted, fontSize: 11 }, splitLine: { lineStyle: { color: themeColor('--border', '#2a3441') } } },
      series: STACK.map((severity) => ({
        type: 'bar',
        name: tc(`severity.${severity}`),
        stack: 'alerts',
        barCategoryGap: '15%',
        itemStyle: { color: themeColor(COLOR_VAR[severity], '#888') },
        data: counts[severity],
      })),
    };
    // The language changes the axis labels and the legend.
  }, [data, starts, n, from, tc, i18n.language]);

  const bucketLink = (index: number) => {
    const start = starts[index];
    if (start === undefined) return null;
    return alertsLink({ unit: unit ?? undefined }, { from: new Date(start).toISOString(), to: new Date(start + data.bucketMs).toISOString() });
  };

  return (
    <section className="dash-panel dash-panel-wide" aria-label={t('overTime')} data-testid="panel-over-time">
      <h2 className="dash-panel-title">{t('overTime')}</h2>
      <EChart
        label={t('overTime')}
        option={option}
        className="dash-chart-time"
        onPick={(index) => {
          const to = bucketLink(index);
          if (to) void navigate(to);
        }}
      />
      <p className="muted small" data-testid="over-time-caption">
        {t('overTimeCaption', { total: formatCount(data.alerts), bucket: bucketText(data.bucketMs, t) })}{' '}
        {formatTimestamp(data.from)} – {formatTimestamp(data.to)}
      </p>
    </section>
  );
}
