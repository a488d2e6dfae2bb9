// The ECharts option of a chart of bars over time (the alerts and events histograms,
// the dashboard's alerts over time, a host's or unit's activity): the theme's muted
// axes, a category axis of the bars' times, and a tooltip naming the bar's time range
// and its figures. The tooltip is text only: the console's Content-Security-Policy
// refuses the inline styles of ECharts' colour markers.
import { formatCount, formatTimestamp } from '../../lib/format-time.ts';
import { themeColor, type ChartOption } from './echart.tsx';
import { axisLabels, type TimeBars } from './time-bars.ts';

/** One point of the tooltip: a series' value in the bar hovered. */
export interface TooltipItem {
  dataIndex: number;
  seriesName: string;
  value: number;
}

export interface TimeBarOptionInput {
  bars: TimeBars;
  /** ECharts series over the bars (bar or line), one value per bar. */
  series: Record<string, unknown>[];
  /** Room around the plot; the top leaves space for a legend when there is one. */
  grid?: { left?: number; right?: number; top?: number; bottom?: number };
  legend?: boolean;
  /** The tooltip's lines under the time range; by default "series: count" for each non-zero series. */
  tooltipLines?: (items: TooltipItem[]) => string[];
  /** A second value axis on the right (for a series on another scale). */
  secondAxis?: boolean;
}

/** Tooltip HTML is built from text: names and times are escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function countLines(items: TooltipItem[]): string[] {
  return items.filter((item) => item.value > 0).map((item) => `${item.seriesName}: ${formatCount(item.value)}`);
}

export function timeBarOption({ bars, series, grid, legend = false, tooltipLines = countLines, secondAxis = false }: TimeBarOptionInput): ChartOption {
  const muted = themeColor('--text-muted', '#94a3b8');
  const valueAxis = { type: 'value', minInterval: 1, splitNumber: 3, axisLabel: { color: muted, fontSize: 11 } };
  return {
    animation: false,
    grid: { left: 40, right: secondAxis ? 44 : 12, top: legend ? 24 : 10, bottom: 22, ...grid },
    ...(legend ? { legend: { top: 0, right: 8, itemWidth: 10, itemHeight: 10, textStyle: { color: muted, fontSize: 11 } } } : {}),
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (items: unknown) => {
        const list = items as TooltipItem[];
        const first = list[0];
        if (!first) return '';
        const start = bars.starts[first.dataIndex] ?? 0;
        const head = `${formatTimestamp(new Date(start).toISOString())} – ${formatTimestamp(new Date(start + bars.bucketMs).toISOString())}`;
        return [head, ...tooltipLines(list)].map(escapeHtml).join('<br/>');
      },
    },
    xAxis: { type: 'category', data: axisLabels(bars), axisLabel: { color: muted, fontSize: 11, hideOverlap: true }, axisTick: { alignWithLabel: true } },
    yAxis: [
      { ...valueAxis, splitLine: { lineStyle: { color: themeColor('--border', '#2a3441') } } },
      ...(secondAxis ? [{ ...valueAxis, position: 'right', splitLine: { show: false } }] : []),
    ],
    series,
  };
}
