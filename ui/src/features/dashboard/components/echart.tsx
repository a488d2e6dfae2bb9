// One ECharts chart (canvas) in a box, for the dashboard's panels. ECharts rather than
// hand-drawn SVG: stacked and horizontal bars, axes, tooltips and hit-testing come
// tested, and the canvas keeps thousands of bars cheap (it is the console's one chart
// library, already used by the alerts histogram). A click on a category (anywhere in
// its band, not only on the bar) calls onPick with its index. jsdom draws no canvas:
// there the chart is skipped and each panel's list of links carries the same figures.
import { useEffect, useRef, type CSSProperties } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, PieChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

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

export function EChart({
  option,
  onPick,
  axis = 'x',
  className,
  style,
  label,
}: {
  option: ChartOption;
  /** Called with the category index clicked. */
  onPick?: (index: number) => void;
  /** The category axis: x for vertical bars, y for horizontal ones. */
  axis?: 'x' | 'y';
  className?: string;
  style?: CSSProperties;
  label: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const pick = useRef(onPick);
  pick.current = onPick;

  useEffect(() => {
    const element = box.current;
    if (!element || !canvasWorks()) return;
    const instance = echarts.init(element, undefined, { renderer: 'canvas' });
    chart.current = instance;
    instance.getZr().on('click', (event) => {
      const point = [event.offsetX, event.offsetY];
      if (!pick.current || !instance.containPixel('grid', point)) return;
      // The grid's finder answers [x, y] in data terms (a category's index); an axis
      // finder would want one pixel coordinate, not a point.
      const found = instance.convertFromPixel({ gridIndex: 0 }, point) as number[] | undefined;
      const index = found?.[axis === 'x' ? 0 : 1];
      if (index !== undefined && Number.isFinite(index)) pick.current(Math.round(index));
    });
    // A pie has no grid: its slices are picked by the series click.
    instance.on('click', (params) => {
      if ((params as { seriesType?: string }).seriesType === 'pie' && pick.current) pick.current((params as { dataIndex: number }).dataIndex);
    });
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [axis]);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={box} className={`dash-chart${className ? ` ${className}` : ''}`} style={style} role="img" aria-label={label} data-chart={label} />;
}
