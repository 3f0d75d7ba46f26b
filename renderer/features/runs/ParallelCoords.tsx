import type { ParamValue } from '../../../app/tracking/run-model';
import { RUN_COLORS } from './MetricChart';

/** One run of the chart: its name, the values of the axes (params then the metric). */
export interface ParallelRun {
  name: string;
  values: (ParamValue | null)[];
}

interface Axis {
  label: string;
  position: (value: ParamValue | null) => number | null;
  ticks: { at: number; text: string }[];
}

function axisFor(label: string, values: (ParamValue | null)[], height: number): Axis {
  const present = values.filter((v): v is ParamValue => v !== null);
  const numeric = present.length > 0 && present.every((v) => typeof v === 'number' || (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))));
  if (numeric) {
    const nums = present.map(Number);
    const lo = Math.min(...nums), hi = Math.max(...nums);
    const scale = (v: number) => (hi === lo ? height / 2 : height - ((v - lo) / (hi - lo)) * height);
    return { label, position: (v) => (v === null ? null : scale(Number(v))), ticks: [{ at: scale(hi), text: fmt(hi) }, ...(hi !== lo ? [{ at: scale(lo), text: fmt(lo) }] : [])] };
  }
  const categories = [...new Set(present.map(String))].sort();
  const step = categories.length > 1 ? height / (categories.length - 1) : 0;
  const at = (c: string) => (categories.length > 1 ? categories.indexOf(c) * step : height / 2);
  return { label, position: (v) => (v === null ? null : at(String(v))), ticks: categories.map((c) => ({ at: at(c), text: c })) };
}

function fmt(n: number): string {
  return Math.abs(n) >= 1000 || (Math.abs(n) < 0.01 && n !== 0) ? n.toExponential(2) : String(Number(n.toPrecision(4)));
}

/** Parallel coordinates (hand SVG): one axis per differing param, the chosen metric last. */
export function ParallelCoords({ axes, runs }: { axes: string[]; runs: ParallelRun[] }) {
  const height = 200, top = 24, gap = 140, left = 40;
  const width = left * 2 + gap * Math.max(1, axes.length - 1);
  const scales = axes.map((label, i) => axisFor(label, runs.map((r) => r.values[i] ?? null), height));
  return (
    <svg className="parallel-coords" role="img" aria-label={`Parallel coordinates of ${axes.join(', ')}`} width={width} height={height + top + 30} viewBox={`0 0 ${width} ${height + top + 30}`}>
      {scales.map((axis, i) => (
        <g key={axis.label} transform={`translate(${left + i * gap},${top})`}>
          <line y1={0} y2={height} stroke="currentColor" strokeOpacity={0.4} />
          <text y={-10} textAnchor="middle" fontWeight={i === axes.length - 1 ? 700 : 500} fill="currentColor">{axis.label}</text>
          {axis.ticks.map((t) => (
            <text key={`${t.text}-${t.at}`} x={-5} y={t.at + 4} textAnchor="end" fontSize={10} fill="currentColor" opacity={0.7}>{t.text}</text>
          ))}
        </g>
      ))}
      {runs.map((run, r) => {
        const points = scales.map((axis, i) => {
          const y = axis.position(run.values[i] ?? null);
          return y === null ? null : `${left + i * gap},${top + y}`;
        });
        const path = points.filter((p): p is string => p !== null).join(' ');
        return <polyline key={run.name + r} points={path} fill="none" stroke={RUN_COLORS[r % RUN_COLORS.length]} strokeWidth={2} opacity={0.85}><title>{run.name}</title></polyline>;
      })}
    </svg>
  );
}
