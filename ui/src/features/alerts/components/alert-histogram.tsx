// The alerts histogram above the workbench list: the current filters' alerts over
// the current time range, stacked by severity (ECharts, canvas). Dragging across the
// bars, or clicking one, narrows the list's time range to what was picked; the range
// goes into the URL like every other filter (the page's setQuery). Kept fresh while
// alerts stream in, at most every REFRESH_MS. A line of text under the chart says
// what it shows, for screen readers and for jsdom, which draws no canvas.
import { useEffect, useMemo, useRef } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { BrushComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { ErrorLine } from '../../../components/ui/error-line.tsx';
import { describeError } from '../../../lib/api-client.ts';
import { formatCount, formatTimestamp } from '../../../lib/format-time.ts';
import { currentLocale } from '../../../i18n/i18n.ts';
import { getAlertHistogram, type AlertHistogram } from '../api/get-alert-histogram.ts';
import { useAlertsLive } from '../hooks/alerts-live.tsx';
import type { Severity } from '../types/alert.ts';
import { listQuerySearch, type AlertListQuery } from '../types/list-query.ts';

echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, BrushComponent, CanvasRenderer]);

/** Live alerts refresh the histogram at most this often. */
const REFRESH_MS = 10_000;
/** Most bars drawn (the server answers about 60). */
const MAX_BARS = 400;
/** Bottom of the stack first: critical sits on the axis, where it is easiest to see. */
const STACK: Severity[] = ['critical', 'high', 'medium', 'low', 'informational'];
const COLOR_VAR: Record<Severity, string> = {
  critical: '--sev-critical',
  high: '--sev-high',
  medium: '--sev-medium',
  low: '--sev-low',
  informational: '--sev-info',
};

export interface HistogramBars {
  /** Each bar's first instant, epoch ms. */
  starts: number[];
  bucketMs: number;
  counts: Record<Severity, number[]>;
}

/** Every bucket of the range, empty ones included, so the x axis is evenly spaced. */
export function histogramBars(answer: AlertHistogram): HistogramBars {
  const from = Date.parse(answer.from);
  const to = Date.parse(answer.to);
  const n = Math.max(1, Math.min(MAX_BARS, Math.ceil((to - from) / answer.bucketMs)));
  const starts = Array.from({ length: n }, (_, i) => from + i * answer.bucketMs);
  const counts = Object.fromEntries(STACK.map((s) => [s, new Array<number>(n).fill(0)])) as Record<Severity, number[]>;
  for (const bucket of answer.buckets) {
    const i = Math.round((Date.parse(bucket.start) - from) / answer.bucketMs);
    if (i < 0 || i >= n) continue;
    for (const severity of STACK) counts[severity][i]! += bucket.bySeverity[severity] ?? 0;
  }
  return { starts, bucketMs: answer.bucketMs, counts };
}

/** Whether this browser draws on a canvas (jsdom does not). Asked once. */
let canDraw: boolean | undefined;
function canvasWorks(): boolean {
  if (canDraw === undefined) {
    try {
      canDraw = typeof navigator !== 'undefined' && !/jsdom/i.test(navigator.userAgent) && document.createElement('canvas').getContext('2d') !== null;
    } catch {
      canDraw = false;
    }
  }
  return canDraw;
}

function axisLabel(ms: number, bucketMs: number, spansDays: boolean): string {
  const options: Intl.DateTimeFormatOptions =
    bucketMs >= 86_400_000
      ? { day: '2-digit', month: '2-digit' }
      : spansDays
        ? { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
        : { hour: '2-digit', minute: '2-digit', ...(bucketMs < 60_000 ? { second: '2-digit' } : {}), hourCycle: 'h23' };
  return new Intl.DateTimeFormat(currentLocale(), options).format(new Date(ms));
}

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

  const bars = useMemo(() => (histogram.data ? histogramBars(histogram.data) : null), [histogram.data]);
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const pick = useRef<(first: number, last: number) => void>(() => undefined);
  pick.current = (first, last) => {
    if (!bars) return;
    const a = Math.max(0, Math.min(first, last));
    const b = Math.min(bars.starts.length - 1, Math.max(first, last));
    const from = bars.starts[a];
    const end = bars.starts[b];
    if (from === undefined || end === undefined) return;
    onRange(new Date(from).toISOString(), new Date(end + bars.bucketMs).toISOString());
  };

  // One chart for the panel's life; resized with its box.
  useEffect(() => {
    const element = box.current;
    if (!element || !canvasWorks()) return;
    const instance = echarts.init(element, undefined, { renderer: 'canvas' });
    chart.current = instance;
    // A drag across the bars selects a range of them; a click (no drag) picks one.
    instance.on('brushEnd', (params) => {
      const area = (params as { areas?: { coordRange?: [number, number] }[] }).areas?.[0];
      instance.dispatchAction({ type: 'brush', areas: [] });
      if (area?.coordRange) pick.current(Math.round(area.coordRange[0]), Math.round(area.coordRange[1]));
    });
    // A click is a press and release in one place (the brush takes the pointer, so
    // ECharts' own click does not fire): read from the box's pointer events.
    let down: { x: number; y: number } | null = null;
    const press = (ev: PointerEvent) => {
      down = { x: ev.clientX, y: ev.clientY };
    };
    const release = (ev: PointerEvent) => {
      const start = down;
      down = null;
      if (start === null || Math.abs(ev.clientX - start.x) > 4 || Math.abs(ev.clientY - start.y) > 4) return;
      const rect = element.getBoundingClientRect();
      const point = [ev.clientX - rect.left, ev.clientY - rect.top];
      if (!instance.containPixel('grid', point)) return;
      // On the grid: [category index, count] of the pixel.
      const value: unknown = instance.convertFromPixel({ gridIndex: 0 }, point);
      const index = Array.isArray(value) ? Number(value[0]) : Number(value);
      if (Number.isFinite(index)) pick.current(Math.round(index), Math.round(index));
    };
    element.addEventListener('pointerdown', press, true);
    element.addEventListener('pointerup', release, true);
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      element.removeEventListener('pointerdown', press, true);
      element.removeEventListener('pointerup', release, true);
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const instance = chart.current;
    if (!instance || !bars) return;
    const style = getComputedStyle(document.documentElement);
    const color = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
    const spansDays = new Date(bars.starts[0] ?? 0).toDateString() !== new Date((bars.starts.at(-1) ?? 0) + bars.bucketMs - 1).toDateString();
    const labels = bars.starts.map((ms) => axisLabel(ms, bars.bucketMs, spansDays));
    const muted = color('--text-muted', '#94a3b8');
    instance.setOption(
      {
        animation: false,
        grid: { left: 40, right: 12, top: 24, bottom: 22 },
        legend: { top: 0, right: 8, itemWidth: 10, itemHeight: 10, textStyle: { color: muted, fontSize: 11 } },
        tooltip: {
          trigger: 'axis',
          axisPointer: { type: 'shadow' },
          // Text only: the console's Content-Security-Policy refuses the inline styles of ECharts' markers.
          formatter: (items: unknown) => {
            const list = items as { dataIndex: number; seriesName: string; value: number }[];
            const first = list[0];
            if (!first) return '';
            const start = bars.starts[first.dataIndex] ?? 0;
            const head = `${formatTimestamp(new Date(start).toISOString())} – ${formatTimestamp(new Date(start + bars.bucketMs).toISOString())}`;
            const lines = list.filter((item) => item.value > 0).map((item) => `${escapeHtml(item.seriesName)}: ${formatCount(item.value)}`);
            return [escapeHtml(head), ...lines].join('<br/>');
          },
        },
        brush: { xAxisIndex: 0, brushType: 'lineX', brushMode: 'single', throttleType: 'debounce', transformable: false, brushStyle: { color: 'rgba(76,194,255,0.15)', borderColor: 'rgba(76,194,255,0.6)' } },
        xAxis: { type: 'category', data: labels, axisLabel: { color: muted, fontSize: 11, hideOverlap: true }, axisTick: { alignWithLabel: true } },
        yAxis: { type: 'value', minInterval: 1, splitNumber: 3, axisLabel: { color: muted, fontSize: 11 }, splitLine: { lineStyle: { color: color('--border', '#2a3441') } } },
        series: STACK.map((severity) => ({
          type: 'bar',
          name: tc(`severity.${severity}`),
          stack: 'alerts',
          barCategoryGap: '15%',
          itemStyle: { color: color(COLOR_VAR[severity], '#888') },
          data: bars.counts[severity],
        })),
      },
      { notMerge: true },
    );
    // Dragging draws a range straight away, without a toolbox button to press first.
    instance.dispatchAction({ type: 'takeGlobalCursor', key: 'brush', brushOption: { brushType: 'lineX', brushMode: 'single' } });
  }, [bars, tc]);

  const data = histogram.data;
  return (
    <section className="alert-histogram" aria-label={t('histogram.label')}>
      <ErrorLine message={histogram.error ? describeError(histogram.error) : null} />
      <div ref={box} className="alert-histogram-chart" title={t('histogram.hint')} />
      <p className="muted small alert-histogram-caption" data-testid="alert-histogram-caption">
        {data
          ? t('histogram.caption', {
              total: formatCount(data.total),
              from: formatTimestamp(data.from),
              to: formatTimestamp(data.to),
              bucket: bucketText(data.bucketMs, t),
            })
          : t('list.loading')}
      </p>
    </section>
  );
}

/** The tooltip is HTML: names and times are made text. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function bucketText(ms: number, t: (key: string, options?: Record<string, unknown>) => string): string {
  if (ms % 86_400_000 === 0) return t('histogram.days', { count: ms / 86_400_000 });
  if (ms % 3_600_000 === 0) return t('histogram.hours', { count: ms / 3_600_000 });
  if (ms % 60_000 === 0) return t('histogram.minutes', { count: ms / 60_000 });
  return t('histogram.seconds', { count: Math.round(ms / 1000) });
}
