// The console's one chart component: an ECharts chart (canvas) in a box, set up,
// resized with its box and disposed with it. ECharts rather than hand-drawn SVG:
// stacked and horizontal bars, axes, tooltips and hit-testing come tested, and the
// canvas keeps thousands of bars cheap. Two ways to answer the pointer, over a
// category axis:
// - `onPick(index)`: a click anywhere in a category's band (not only on the bar), as
//   the dashboard's panels open the list behind a bar; a pie's slice is picked too.
// - `onSpan(first, last)`: a drag across the bars selects a run of them (ECharts'
//   brush, on from the start: no toolbox button to press first), and a click picks
//   one (first === last), as the histograms narrow their time range.
// A click is read from the box's own pointer events (captured before ECharts sees
// them): with the brush cursor on, ECharts reports no click. jsdom draws no canvas:
// there the chart is skipped and each user says the same in text beside it.
import { useEffect, useRef, type CSSProperties } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { BrushComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, PieChart, GridComponent, TooltipComponent, LegendComponent, BrushComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

/** A press and release further apart than this (px) is a drag, not a click. */
const CLICK_SLOP_PX = 4;

const BRUSH = {
  xAxisIndex: 0,
  brushType: 'lineX',
  brushMode: 'single',
  throttleType: 'debounce',
  transformable: false,
  brushStyle: { color: 'rgba(76,194,255,0.15)', borderColor: 'rgba(76,194,255,0.6)' },
} as const;

/** Whether this browser draws on a canvas (jsdom does not). Asked once. */
let canDraw: boolean | undefined;
export function canvasWorks(): boolean {
  if (canDraw === undefined) {
    try {
      canDraw = typeof navigator !== 'undefined' && !/jsdom/i.test(navigator.userAgent) && document.createElement('canvas').getContext('2d') !== null;
    } catch {
      canDraw = false;
    }
  }
  return canDraw;
}

/** A CSS custom property of the theme, for chart colours that follow the console's. */
export function themeColor(name: string, fallback: string): string {
  if (typeof document === 'undefined') return fallback;
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

export interface EChartProps {
  /** Null while there is nothing to draw yet (the box stays, empty). */
  option: ChartOption | null;
  /** What the chart shows, for screen readers. */
  label: string;
  /** Called with the category index clicked. */
  onPick?: (index: number) => void;
  /** Called with the first and last category indexes dragged across (or clicked: both the same). */
  onSpan?: (first: number, last: number) => void;
  /** The category axis: x for vertical bars, y for horizontal ones. */
  axis?: 'x' | 'y';
  className?: string;
  style?: CSSProperties;
  title?: string;
}

export function EChart({ option, label, onPick, onSpan, axis = 'x', className, style, title }: EChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  // The latest handlers, read when the pointer acts: the chart lives as long as the box.
  const handlers = useRef({ onPick, onSpan, axis });
  handlers.current = { onPick, onSpan, axis };
  const brushing = onSpan !== undefined;

  useEffect(() => {
    const element = box.current;
    if (!element || !canvasWorks()) return;
    const instance = echarts.init(element, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const pickIndex = (index: number) => {
      const { onPick: pick, onSpan: span } = handlers.current;
      if (span) span(index, index);
      else pick?.(index);
    };
    instance.on('brushEnd', (params) => {
      const area = (params as { areas?: { coordRange?: [number, number] }[] }).areas?.[0];
      instance.dispatchAction({ type: 'brush', areas: [] });
      if (area?.coordRange) handlers.current.onSpan?.(Math.round(area.coordRange[0]), Math.round(area.coordRange[1]));
    });
    // A pie has no grid: its slices are picked by the series click.
    instance.on('click', (params) => {
      if ((params as { seriesType?: string }).seriesType === 'pie') handlers.current.onPick?.((params as { dataIndex: number }).dataIndex);
    });
    let down: { x: number; y: number } | null = null;
    const press = (event: PointerEvent) => {
      down = { x: event.clientX, y: event.clientY };
    };
    const release = (event: PointerEvent) => {
      const start = down;
      down = null;
      if (start === null || Math.hypot(event.clientX - start.x, event.clientY - start.y) > CLICK_SLOP_PX) return;
      const rect = element.getBoundingClientRect();
      const point = [event.clientX - rect.left, event.clientY - rect.top];
      if (!instance.containPixel('grid', point)) return;
      // The grid's finder answers [x, y] in data terms (a category's index on a category
      // axis); an axis finder would want one pixel coordinate, not a point.
      const value: unknown = instance.convertFromPixel({ gridIndex: 0 }, point);
      const index = Array.isArray(value) ? Number(value[handlers.current.axis === 'x' ? 0 : 1]) : Number(value);
      if (Number.isFinite(index)) pickIndex(Math.round(index));
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
    if (!instance || !option) return;
    instance.setOption(brushing ? { ...option, brush: BRUSH } : option, { notMerge: true });
    // Dragging draws a range straight away, without a toolbox button to press first.
    if (brushing) instance.dispatchAction({ type: 'takeGlobalCursor', key: 'brush', brushOption: { brushType: BRUSH.brushType, brushMode: BRUSH.brushMode } });
  }, [option, brushing]);

  return <div ref={box} className={className} style={style} title={title} role="img" aria-label={label} />;
}
