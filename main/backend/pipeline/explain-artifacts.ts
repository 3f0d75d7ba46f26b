import type { Execution } from '../../../app/pipeline/run/execute';
import type { Explanations } from '../../../app/pipeline/run/explain-types';
import type { RunId } from '../../../app/base/ids';
import type { RunStore } from '../runs/run-store';

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A static SVG bar chart (mean ± std whiskers), for the run's artifacts and reports. */
export function barChartSvg(title: string, bars: readonly { label: string; value: number; error?: number }[]): string {
  const row = 18, left = 150, width = 560, top = 28;
  const max = Math.max(1e-12, ...bars.map((b) => Math.abs(b.value) + (b.error ?? 0)));
  const x = (v: number) => left + (v / max) * (width - left - 20);
  const items = bars.map((b, i) => {
    const y = top + i * row;
    const w = Math.max(0, x(Math.abs(b.value)) - left);
    const err = b.error ? `<line x1="${x(Math.abs(b.value) - b.error).toFixed(1)}" x2="${x(Math.abs(b.value) + b.error).toFixed(1)}" y1="${y + 7}" y2="${y + 7}" stroke="#333"/>` : '';
    return `<text x="${left - 6}" y="${y + 11}" text-anchor="end">${esc(b.label)}</text><rect x="${left}" y="${y + 2}" width="${w.toFixed(1)}" height="${row - 5}" fill="${b.value >= 0 ? '#4269d0' : '#ff725c'}"/>${err}`;
  });
  const height = top + bars.length * row + 10;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11"><text x="8" y="16" font-weight="bold">${esc(title)}</text>${items.join('')}</svg>\n`;
}

/** Mean |SHAP| per raw column, largest first. */
export function meanAbsShap(ex: Explanations): { column: string; value: number }[] {
  return ex.columns.map((column, c) => ({ column, value: ex.shap.reduce((s, row) => s + Math.abs(row[c]!), 0) / Math.max(1, ex.shap.length) })).sort((a, b) => b.value - a.value);
}

/**
 * Logs every Explain node's output to the run: `explanations/NODE/explanations.json`, the bundle's
 * `explainer.json` (exact explainers only) and SVG charts of permutation importance and mean |SHAP|.
 */
export async function logExplanations(store: RunStore, id: RunId, execution: Execution): Promise<void> {
  for (const [nodeId, outputs] of execution.outputs) {
    for (const value of Object.values(outputs)) {
      if (value.type !== 'explanations') continue;
      const dir = `explanations/${nodeId}`;
      const ex = value.explanations;
      await store.addArtifact(id, `${dir}/explanations.json`, `${JSON.stringify(ex)}\n`, 'report');
      if (value.explainer) await store.addArtifact(id, `${dir}/explainer.json`, `${JSON.stringify(value.explainer)}\n`, 'report');
      const importance = [...ex.importance.columns].sort((a, b) => b.mean - a.mean).map((c) => ({ label: c.column, value: c.mean, error: c.std }));
      await store.addArtifact(id, `${dir}/importance.svg`, barChartSvg(`Permutation importance (drop of ${ex.importance.metric}, ${ex.importance.repeats} repeats)`, importance), 'plot');
      await store.addArtifact(id, `${dir}/shap.svg`, barChartSvg(`Mean |SHAP| (${ex.output})`, meanAbsShap(ex).map((m) => ({ label: m.column, value: m.value }))), 'plot');
    }
  }
}
