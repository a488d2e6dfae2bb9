// The Events view's histogram: the current search's matches over the time range, one
// bar per bucket (ECharts, canvas). Dragging across bars, or clicking one, narrows the
// search's time range to them (the range goes into the URL through `onRange`). A line
// of text under the chart says what it shows, for screen readers and for jsdom, which
// draws no canvas.
import { useEffect, useMemo, useRef } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { BrushComponent, GridComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { ErrorLine } from '../../../components/ui/error-line.tsx';
import { panelErrorMessage } from './panel-error.ts';
import { formatCount, formatTimestamp } from '../../../lib/format-time.ts';
import { currentLocale } from '../../../i18n/i18n.ts';
import { getEventHistogram } from '../api/get-event-histogram.ts';

echarts.use([BarChart, GridComponent, TooltipComponent, BrushComponent, CanvasRenderer]);

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
  const bars = useMemo(() => (data ? { starts: data.buckets.map((b) => Date.parse(b.start)), counts: data.buckets.map((b) => b.count), bucketMs: data.bucketMs } : null), [data]);
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
    // With the brush cursor on, ECharts reports no click; a press and release within a
    // few pixels is one, read from the DOM (captured before the brush sees it).
    let down: { x: number; y: number } | null = null;
    const onDown = (event: MouseEvent) => {
      down = { x: event.clientX, y: event.clientY };
    };
    const onUp = (event: MouseEvent) => {
      const start = down;
      down = null;
      if (start === null || Math.hypot(event.clientX - start.x, event.clientY - start.y) > 4) return;
      const rect = element.getBoundingClientRect();
      const point = [event.clientX - rect.left, event.clientY - rect.top];
      if (!instance.containPixel('grid', point)) return;
      // The grid answers [x, y] in data terms; on a category axis x is the bar's index.
      const converted = instance.convertFromPixel({ gridIndex: 0 }, point) as number[] | number;
      const index = Array.isArray(converted) ? converted[0] : converted;
      if (index !== undefined && Number.isFinite(index)) pick.current(Math.round(index), Math.round(index));
    };
    element.addEventListener('mousedown', onDown, { capture: true });
    element.addEventListener('mouseup', onUp, { capture: true });
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      element.removeEventListener('mousedown', onDown, { capture: true });
      element.removeEventListener('mouseup', onUp, { capture: true });
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
    const muted = color('--text-muted', '#94a3b8');
    instance.setOption(
      {
        animation: false,
        grid: { left: 44, right: 12, top: 10, bottom: 22 },
        tooltip: {
          trigger: 'axis',
          axisPointer: { type: 'shadow' },
          formatter: (items: unknown) => {
            const first = (items as { dataIndex: number; value: number }[])[0];
            if (!first) return '';
            const start = bars.starts[first.dataIndex] ?? 0;
            return `${formatTimestamp(new Date(start).toISOString())} – ${formatTimestamp(new Date(start + bars.bucketMs).toISOString())}<br/>${t('histogram.events', { count: first.value, n: formatCount(first.value) })}`;
          },
        },
        brush: { xAxisIndex: 0, brushType: 'lineX', brushMode: 'single', throttleType: 'debounce', transformable: false, brushStyle: { color: 'rgba(76,194,255,0.15)', borderColor: 'rgba(76,194,255,0.6)' } },
        xAxis: { type: 'category', data: bars.starts.map((ms) => axisLabel(ms, bars.bucketMs, spansDays)), axisLabel: { color: muted, fontSize: 11, hideOverlap: true }, axisTick: { alignWithLabel: true } },
        yAxis: { type: 'value', minInterval: 1, splitNumber: 3, axisLabel: { color: muted, fontSize: 11 }, splitLine: { lineStyle: { color: color('--border', '#2a3441') } } },
        series: [{ type: 'bar', name: t('histogram.label'), barCategoryGap: '15%', itemStyle: { color: color('--accent', '#4cc2ff') }, data: bars.counts }],
      },
      { notMerge: true },
    );
    // Dragging draws a range straight away, without a toolbox button to press first.
    instance.dispatchAction({ type: 'takeGlobalCursor', key: 'brush', brushOption: { brushType: 'lineX', brushMode: 'single' } });
  }, [bars, t]);

  return (
    <section className="event-histogram" aria-label={t('histogram.label')}>
      <ErrorLine message={panelErrorMessage(histogram.error)} />
      <div ref={box} className="event-histogram-chart" title={t('histogram.hint')} />
      <p className="muted small event-histogram-caption" data-testid="event-histogram-caption">
        {data
          ? t('histogram.caption', { count: data.total, total: formatCount(data.total), from: formatTimestamp(data.from), to: formatTimestamp(data.to), bucket: bucketText(data.bucketMs, t) })
          : t('searching')}
      </p>
    </section>
  );
}

function bucketText(ms: number, t: (key: string, options?: Record<string, unknown>) => string): string {
  if (ms % 86_400_000 === 0) return t('histogram.days', { count: ms / 86_400_000 });
  if (ms % 3_600_000 === 0) return t('histogram.hours', { count: ms / 3_600_000 });
  if (ms % 60_000 === 0) return t('histogram.minutes', { count: ms / 60_000 });
  return t('histogram.seconds', { count: Math.round(ms / 1000) });
}
