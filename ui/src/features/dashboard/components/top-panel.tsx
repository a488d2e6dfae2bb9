// A "top N" panel: horizontal bars, largest on top, each bar (and each line of the list
// under it) leading to the filtered list behind its count. The list is the same figures
// as text: for screen readers, for copying, and for jsdom, which draws no canvas.
import { useMemo } from 'react';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { formatCount } from '../../../lib/format-time.ts';
import { revealControls } from '../../../lib/visible-text.ts';
import { EChart, themeColor, type ChartOption } from '../../../components/charts/echart.tsx';

export interface TopItem {
  /** What the bar is labelled with (agent-supplied text shows its control characters). */
  label: string;
  count: number;
  /** Where a click leads. */
  to: string;
  /** Shown after the count ("3 hosts"). */
  note?: string;
  /** A second link on the line (the host or unit page). */
  extra?: { to: string; text: string };
}

const LABEL_CHARS = 28;

function shorten(text: string): string {
  return text.length > LABEL_CHARS ? `${text.slice(0, LABEL_CHARS - 1)}…` : text;
}

export function TopPanel({ title, items, testId, color = '--accent' }: { title: string; items: TopItem[]; testId: string; color?: string }) {
  const { t } = useTranslation('dashboard');
  const navigate = useNavigate();
  const option = useMemo<ChartOption>(() => {
    const muted = themeColor('--text-muted', '#94a3b8');
    return {
      animation: false,
      grid: { left: 8, right: 40, top: 4, bottom: 4, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, renderMode: 'richText' },
      xAxis: { type: 'value', show: false, minInterval: 1 },
      yAxis: {
        type: 'category',
        inverse: true,
        data: items.map((item) => shorten(revealControls(item.label))),
        axisLabel: { color: muted, fontSize: 11 },
        axisTick: { show: false },
      },
      series: [
        {
          type: 'bar',
          data: items.map((item) => item.count),
          barMaxWidth: 16,
          itemStyle: { color: themeColor(color, '#4cc2ff') },
          label: { show: true, position: 'right', color: muted, fontSize: 11, formatter: (p: { value: number }) => formatCount(p.value) },
        },
      ],
    };
  }, [items, color]);
  return (
    <section className="dash-panel" aria-label={title} data-testid={testId}>
      <h2 className="dash-panel-title">{title}</h2>
      {items.length === 0 ? (
        <p className="muted small">{t('empty')}</p>
      ) : (
        <>
          <EChart
            label={title}
            axis="y"
            option={option}
            className="dash-chart dash-chart-top"
            style={{ height: `${Math.max(80, items.length * 24 + 8)}px` }}
            onPick={(index) => {
              const item = items[index];
              if (item) void navigate(item.to);
            }}
          />
          <ol className="dash-list">
            {items.map((item, i) => (
              <li key={`${item.label}-${i}`}>
                <Link to={item.to} title={revealControls(item.label)} className="dash-list-label">
                  {revealControls(item.label)}
                </Link>
                <span className="dash-list-count">{formatCount(item.count)}</span>
                {item.note ? <span className="muted small">{item.note}</span> : null}
                {item.extra ? (
                  <Link to={item.extra.to} className="dash-list-extra small">
                    {item.extra.text}
                  </Link>
                ) : null}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
