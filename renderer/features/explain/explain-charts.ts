import * as Plot from '@observablehq/plot';
import type { Explanations } from '../../../app/pipeline/run/explain-types';

const style = { background: 'transparent', color: 'var(--fg)', fontSize: '11px', overflow: 'visible' };

/** Mean |SHAP| per raw column, largest first (the order of every chart). */
export function columnOrder(ex: Explanations): string[] {
  return ex.columns.map((c, i) => ({ c, v: ex.shap.reduce((s, row) => s + Math.abs(row[i]!), 0) })).sort((a, b) => b.v - a.v).map((d) => d.c);
}

/** Permutation importance: mean drop of the metric with ±1 std error bars. */
export function importanceChart(ex: Explanations): SVGSVGElement | HTMLElement {
  const data = [...ex.importance.columns].sort((a, b) => b.mean - a.mean);
  return Plot.plot({
    width: 420, height: 40 + data.length * 20, marginLeft: 120, style, grid: true,
    x: { label: `drop of ${ex.importance.metric} (${ex.importance.repeats} repeats) →` }, y: { domain: data.map((d) => d.column), label: null },
    marks: [
      Plot.barX(data, { x: 'mean', y: 'column', fill: '#4269d0', title: (d: { column: string; mean: number; std: number }) => `${d.column}: ${d.mean.toFixed(4)} ± ${d.std.toFixed(4)}` }),
      Plot.ruleY(data, { y: 'column', x1: (d: { mean: number; std: number }) => d.mean - d.std, x2: (d: { mean: number; std: number }) => d.mean + d.std, stroke: 'var(--fg)' }),
      Plot.ruleX([0]),
    ],
  });
}

/** Rank of each row's value within its column (0..1): the colour of beeswarm dots. */
function valueRank(ex: Explanations, c: number): number[] {
  const values = ex.data.map((row) => row[c]);
  if (ex.columnTypes[c] === 'string') {
    const cats = [...new Set(values.map(String))].sort();
    return values.map((v) => cats.indexOf(String(v)) / Math.max(1, cats.length - 1));
  }
  const nums = values.map((v) => (typeof v === 'number' ? v : NaN));
  const sorted = nums.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  return nums.map((v) => (Number.isNaN(v) ? 0.5 : sorted.findIndex((s) => s >= v) / Math.max(1, sorted.length - 1)));
}

/** SHAP beeswarm: one dot per row and column, x = attribution, colour = feature value rank. */
export function beeswarmChart(ex: Explanations, top = 10): SVGSVGElement | HTMLElement {
  const order = columnOrder(ex).slice(0, top);
  const data = order.flatMap((column) => {
    const c = ex.columns.indexOf(column);
    const rank = valueRank(ex, c);
    return ex.shap.map((row, r) => ({ column, shap: row[c]!, rank: rank[r]!, value: ex.data[r]![c] }));
  });
  return Plot.plot({
    width: 560, height: 60 + order.length * 60, marginLeft: 120, marginTop: 10, style: { ...style, overflow: 'hidden' }, grid: true,
    x: { label: `SHAP value (${ex.output}) →` }, y: { axis: null },
    color: { type: 'linear', domain: [0, 1], scheme: 'RdBu', reverse: true, legend: true, label: 'feature value rank (low → high)' },
    marks: [
      Plot.ruleX([0], { stroke: 'var(--fg-muted)' }),
      Plot.dot(data, Plot.dodgeY('middle', { fy: 'column', x: 'shap', fill: 'rank', r: 1.4, title: (d: { column: string; value: unknown; shap: number }) => `${d.column} = ${String(d.value)}: ${d.shap.toFixed(4)}` })),
    ],
    fy: { domain: order, label: null, axis: 'left' },
  });
}

/** Dependence: a column's value against its SHAP value, coloured by a second column. */
export function dependenceChart(ex: Explanations, column: string, colorBy: string): SVGSVGElement | HTMLElement {
  const c = ex.columns.indexOf(column);
  const k = ex.columns.indexOf(colorBy);
  const data = ex.data.map((row, r) => ({ value: row[c], shap: ex.shap[r]![c]!, color: row[k] }));
  const categorical = ex.columnTypes[k] === 'string';
  return Plot.plot({
    width: 420, height: 260, marginLeft: 50, marginBottom: ex.columnTypes[c] === 'string' ? 70 : 36, style, grid: true,
    x: { label: column, ...(ex.columnTypes[c] === 'string' ? { type: 'point' as const, tickRotate: -30 } : {}) }, y: { label: `SHAP of ${column}` },
    color: { legend: true, label: colorBy, ...(categorical ? { type: 'categorical' as const } : { scheme: 'viridis' }) },
    marks: [Plot.dot(data, { x: 'value', y: 'shap', fill: 'color', r: 2.5, fillOpacity: 0.8 })],
  });
}

/** PDP (thick) over ICE curves (thin) of one column. */
export function pdpChart(ex: Explanations, index: number): SVGSVGElement | HTMLElement {
  const curve = ex.pdp[index]!;
  const avg = curve.grid.map((g, i) => ({ g, y: curve.average[i]! }));
  const ice = curve.ice.flatMap((line, j) => line.map((y, i) => ({ g: curve.grid[i]!, y, j })));
  const categorical = typeof curve.grid[0] === 'string';
  return Plot.plot({
    width: 320, height: 220, marginLeft: 46, marginBottom: categorical ? 60 : 36, style, grid: true,
    x: { label: curve.column, ...(categorical ? { type: 'point' as const, tickRotate: -30 } : {}) }, y: { label: 'prediction' },
    marks: [
      Plot.line(ice, { x: 'g', y: 'y', z: 'j', stroke: 'var(--fg-muted)', strokeOpacity: 0.35 }),
      Plot.line(avg, { x: 'g', y: 'y', stroke: '#ff725c', strokeWidth: 2.5 }),
    ],
  });
}

/** Waterfall of one row: base value, then each column's push, to the output. */
export function waterfallChart(baseValue: number, attributions: Record<string, number>, output: number, label: string, top = 10): SVGSVGElement | HTMLElement {
  const entries = Object.entries(attributions).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]));
  const shown = entries.slice(0, top);
  const rest = entries.slice(top).reduce((s, [, v]) => s + v, 0);
  const steps = [...shown, ...(entries.length > top ? [[`${entries.length - top} other columns`, rest] as [string, number]] : [])];
  let at = baseValue;
  const bars = steps.map(([name, v]) => { const from = at; at += v; return { name, from, to: at, v }; });
  const names = bars.map((b) => b.name);
  return Plot.plot({
    width: 520, height: 60 + bars.length * 22, marginLeft: 150, style, grid: true,
    x: { label: `${label} →` }, y: { domain: names, label: null },
    marks: [
      Plot.ruleX([baseValue], { stroke: 'var(--fg-muted)', strokeDasharray: '4,3' }),
      Plot.ruleX([output], { stroke: 'var(--fg)' }),
      Plot.barX(bars, { y: 'name', x1: 'from', x2: 'to', fill: (d: { v: number }) => (d.v >= 0 ? '#ff725c' : '#4269d0'), title: (d: { name: string; v: number }) => `${d.name}: ${d.v >= 0 ? '+' : ''}${d.v.toFixed(4)}` }),
      Plot.text(bars, { y: 'name', x: 'to', text: (d: { v: number }) => `${d.v >= 0 ? '+' : ''}${d.v.toFixed(3)}`, dx: 4, textAnchor: 'start', fill: 'currentColor' }),
    ],
  });
}

/** The SVG element of a chart (Plot returns a figure when it draws a legend). */
export function svgOf(chart: Element): SVGSVGElement | null {
  if (chart instanceof SVGSVGElement) return chart;
  const all = chart.querySelectorAll('svg');
  return all.length > 0 ? all[all.length - 1]! : null;
}

function download(name: string, blob: Blob): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** Saves a chart as SVG (standalone, with the xmlns) or as a 2× PNG drawn from that SVG. */
export async function exportChart(chart: Element, name: string, format: 'svg' | 'png'): Promise<void> {
  const svg = svgOf(chart);
  if (!svg) return;
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const computed = getComputedStyle(svg);
  clone.style.color = computed.color;
  const text = new XMLSerializer().serializeToString(clone);
  const svgBlob = new Blob([text], { type: 'image/svg+xml' });
  if (format === 'svg') { download(`${name}.svg`, svgBlob); return; }
  const { width, height } = svg.getBoundingClientRect();
  const img = new Image();
  img.src = URL.createObjectURL(svgBlob);
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(width * 2);
  canvas.height = Math.ceil(height * 2);
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = getComputedStyle(document.body).backgroundColor || 'white';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  URL.revokeObjectURL(img.src);
  canvas.toBlob((blob) => { if (blob) download(`${name}.png`, blob); }, 'image/png');
}
