// A chart of bars over time whose bars answer with a time range: a drag across bars,
// or a click on one, calls `onRange` with the ISO range they cover (the histograms and
// the host and unit pages narrow their range to it); with `brush` off only a click
// does (the dashboard opens the list behind that bar).
import { EChart, type ChartOption, type EChartProps } from './echart.tsx';
import { barSpan, type TimeBars } from './time-bars.ts';

export interface TimeBarChartProps extends Omit<EChartProps, 'option' | 'onPick' | 'onSpan' | 'axis'> {
  bars: TimeBars | null;
  /** Built from `bars` (see timeBarOption), memoised by the caller. */
  option: ChartOption | null;
  onRange?: (from: string, to: string) => void;
  /** Whether a drag selects a run of bars (default) or only a click picks one. */
  brush?: boolean;
}

export function TimeBarChart({ bars, option, onRange, brush = true, ...box }: TimeBarChartProps) {
  const span = (first: number, last: number) => {
    const range = bars ? barSpan(bars, first, last) : null;
    if (range && onRange) onRange(range.from, range.to);
  };
  return <EChart {...box} option={option} {...(brush ? { onSpan: span } : { onPick: (index: number) => span(index, index) })} />;
}
