import * as Plot from '@observablehq/plot';
import type { MetricSeries } from '../../../app/protocol/methods/runs';
import { useChart } from '../../components/use-chart';

/** One line per run: the same metric's history, overlaid. */
export interface ChartLine {
  run: string;
  series: MetricSeries;
}

export const RUN_COLORS = ['#3a63d8', '#e4572e', '#17a398', '#c98c00', '#8e44ad', '#d6336c', '#2b8a3e', '#5f6b7a', '#0b7285', '#a61e4d'];

/** A metric's curves for one or more runs (Observable Plot line chart, value by step). */
export function MetricChart({ title, lines, height = 220, width = 400 }: { title: string; lines: ChartLine[]; height?: number; width?: number }) {
  const ref = useChart(() => {
    const data = lines.flatMap(({ run, series }) => series.steps.flatMap((step, i) => {
      const value = series.values[i];
      return value === null || value === undefined ? [] : [{ run, step, value }];
    }));
    const single = data.length > 0 && data.every((d) => d.step === data[0]!.step);
    return Plot.plot({
      width, height, marginLeft: 50, marginRight: 12,
      style: { background: 'transparent', color: 'var(--fg)', fontSize: '11px' },
      x: { label: 'step', grid: true, tickFormat: (d: number) => String(d), ...(single ? { domain: [data[0]!.step - 1, data[0]!.step + 1] } : {}) },
      y: { label: title, grid: true },
      color: { domain: lines.map((l) => l.run), range: RUN_COLORS, legend: lines.length > 1 },
      marks: [
        single ? Plot.dot(data, { x: 'step', y: 'value', stroke: 'run', r: 4 }) : Plot.line(data, { x: 'step', y: 'value', stroke: 'run', strokeWidth: 1.6 }),
        Plot.tip(data, Plot.pointer({ x: 'step', y: 'value', stroke: 'run', title: (d: { run: string; step: number; value: number }) => `${d.run}\nstep ${d.step}\n${d.value.toPrecision(5)}` })),
      ],
    });
  }, [lines, title, height, width]);
  return (
    <figure className="runs-chart" aria-label={`Chart of ${title}`} data-metric={title}>
      <figcaption>{title}</figcaption>
      <div ref={ref} />
    </figure>
  );
}
