import * as Plot from '@observablehq/plot';
import { useChart } from '../../components/use-chart';

const style = { background: 'transparent', color: 'var(--fg)', fontSize: '11px', overflow: 'visible' };

/** An Observable Plot chart in a captioned figure; `build` runs again when `deps` change. */
export function PlotFigure({ caption, build, deps, testId }: { caption: string; build: () => SVGSVGElement | HTMLElement; deps: readonly unknown[]; testId?: string }) {
  const ref = useChart(build, deps);
  return (
    <figure className="pc-chart" aria-label={caption} data-testid={testId}>
      <figcaption>{caption}</figcaption>
      <div ref={ref} />
    </figure>
  );
}

/** Confusion matrix as a heat map: rows true class, columns predicted, counts written in. */
export function confusionChart(labels: (string | number)[], counts: number[][]): SVGSVGElement | HTMLElement {
  const names = labels.map(String);
  const data = counts.flatMap((row, i) => row.map((count, j) => ({ truth: names[i]!, predicted: names[j]!, count, share: count / Math.max(1, row.reduce((a, b) => a + b, 0)) })));
  const side = Math.max(140, Math.min(280, names.length * 56));
  return Plot.plot({
    width: side + 100, height: side + 56, marginLeft: 90, marginBottom: 42, style,
    x: { domain: names, label: 'predicted →', tickRotate: names.some((n) => n.length > 6) ? -20 : 0 }, y: { domain: names, label: '↑ true' },
    color: { scheme: 'blues', domain: [0, 1] },
    marks: [
      Plot.cell(data, { x: 'predicted', y: 'truth', fill: 'share', inset: 1, title: (d: { truth: string; predicted: string; count: number }) => `true ${d.truth}, predicted ${d.predicted}: ${d.count}` }),
      Plot.text(data, { x: 'predicted', y: 'truth', text: (d: { count: number }) => d.count.toLocaleString(), fill: (d: { share: number }) => (d.share > 0.55 ? 'white' : '#1d2330'), fontSize: 12 }),
    ],
  });
}

/** A curve (ROC, precision–recall, calibration) with an optional reference diagonal. */
export function curveChart(points: { x: number[]; y: number[] }, axes: { x: string; y: string }, diagonal: 'up' | 'none', color: string): SVGSVGElement | HTMLElement {
  const data = points.x.map((x, i) => ({ x, y: points.y[i]! }));
  return Plot.plot({
    width: 240, height: 200, marginLeft: 40, marginBottom: 34, style, grid: true,
    x: { domain: [0, 1], label: axes.x }, y: { domain: [0, 1], label: axes.y },
    marks: [
      Plot.frame({ stroke: 'var(--border)' }),
      ...(diagonal === 'up' ? [Plot.line([{ x: 0, y: 0 }, { x: 1, y: 1 }], { x: 'x', y: 'y', stroke: 'var(--fg-muted)', strokeDasharray: '4,3' })] : []),
      Plot.line(data, { x: 'x', y: 'y', stroke: color, strokeWidth: 2 }),
    ],
  });
}

/** Calibration: mean predicted probability against the observed share, dots sized by bin count. */
export function calibrationChart(c: { probPred: number[]; probTrue: number[]; counts: number[] }): SVGSVGElement | HTMLElement {
  const data = c.probPred.map((p, i) => ({ p, t: c.probTrue[i]!, n: c.counts[i]! }));
  return Plot.plot({
    width: 240, height: 200, marginLeft: 40, marginBottom: 34, style, grid: true,
    x: { domain: [0, 1], label: 'predicted probability' }, y: { domain: [0, 1], label: 'observed share' }, r: { range: [2, 8] },
    marks: [
      Plot.frame({ stroke: 'var(--border)' }),
      Plot.line([{ p: 0, t: 0 }, { p: 1, t: 1 }], { x: 'p', y: 't', stroke: 'var(--fg-muted)', strokeDasharray: '4,3' }),
      Plot.line(data, { x: 'p', y: 't', stroke: '#17a398', strokeWidth: 1.5 }),
      Plot.dot(data, { x: 'p', y: 't', r: 'n', fill: '#17a398', title: (d: { n: number }) => `${d.n} rows` }),
    ],
  });
}

/** Residuals (true − predicted) against the predicted value, with the zero line. */
export function residualChart(r: { predicted: number[]; residual: number[] }): SVGSVGElement | HTMLElement {
  const data = r.predicted.map((p, i) => ({ p, e: r.residual[i]! }));
  return Plot.plot({
    width: 300, height: 200, marginLeft: 48, marginBottom: 34, style, grid: true,
    x: { label: 'predicted' }, y: { label: 'residual' },
    marks: [Plot.ruleY([0], { stroke: 'var(--fg-muted)' }), Plot.dot(data, { x: 'p', y: 'e', r: 2, fill: '#3a63d8', fillOpacity: 0.5 })],
  });
}

/** Training (and validation) loss by boosting iteration. */
export function lossChart(points: { iteration: number; trainLoss: number; validLoss?: number }[]): SVGSVGElement | HTMLElement {
  const data = points.flatMap((p) => [{ iteration: p.iteration, loss: p.trainLoss, set: 'train' }, ...(p.validLoss === undefined ? [] : [{ iteration: p.iteration, loss: p.validLoss, set: 'validation' }])]);
  return Plot.plot({
    width: 320, height: 200, marginLeft: 48, marginBottom: 36, style, grid: true,
    x: { label: 'iteration', tickFormat: (d: number) => String(d) }, y: { label: 'loss' },
    color: { domain: ['train', 'validation'], range: ['#3a63d8', '#e4572e'], legend: data.some((d) => d.set === 'validation') },
    marks: [Plot.line(data, { x: 'iteration', y: 'loss', stroke: 'set', strokeWidth: 1.8 })],
  });
}

/** Horizontal bars of signed values (coefficients, per-trial metrics). */
export function barChart(items: { name: string; value: number }[], label: string): SVGSVGElement | HTMLElement {
  return Plot.plot({
    width: 320, height: 40 + items.length * 18, marginLeft: 130, style,
    x: { label, grid: true }, y: { domain: items.map((i) => i.name), label: null },
    marks: [Plot.barX(items, { x: 'value', y: 'name', fill: (d: { value: number }) => (d.value >= 0 ? '#3a63d8' : '#e4572e') }), Plot.ruleX([0])],
  });
}

/** One metric per cross-validation fold (dots), with the mean (line) and a ±1 std band. */
export function foldChart(folds: { fold: number; value: number }[], mean: number, std: number, label: string): SVGSVGElement | HTMLElement {
  const lo = Math.min(mean - std, ...folds.map((f) => f.value)), hi = Math.max(mean + std, ...folds.map((f) => f.value));
  const pad = Math.max((hi - lo) * 0.25, 0.005);
  return Plot.plot({
    width: 240, height: 180, marginLeft: 52, marginBottom: 36, style, grid: true,
    x: { label: 'fold', domain: folds.map((f) => f.fold), type: 'point', padding: 0.5 }, y: { label, domain: [lo - pad, hi + pad] },
    marks: [
      Plot.rectY([{ y1: mean - std, y2: mean + std }], { y1: 'y1', y2: 'y2', fill: '#3a63d8', fillOpacity: 0.12 }),
      Plot.ruleY([mean], { stroke: '#3a63d8', strokeDasharray: '4,3' }),
      Plot.dot(folds, { x: 'fold', y: 'value', r: 4, fill: '#3a63d8', title: (d: { fold: number; value: number }) => `fold ${d.fold}: ${d.value.toFixed(4)}` }),
    ],
  });
}
