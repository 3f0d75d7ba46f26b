import { useEffect, useMemo, useState } from 'react';
import type { Explanations } from '../../../app/pipeline/run/explain-types';
import { useServices } from '../../stores/context';
import type { OutputViewProps } from '../../stores/output-views';
import { beeswarmChart, columnOrder, dependenceChart, exportChart, importanceChart, pdpChart, waterfallChart } from './explain-charts';
import './explain.css';
import { useChart } from '../../components/use-chart';

type Cell = number | string | null;

/** The protocol's explanations payload, typed (the backend sends exactly an `Explanations`). */
export function asExplanations(value: { method: string; output: string; baseValue: number; columns: string[] }): Explanations {
  return value as unknown as Explanations;
}

/** A chart with SVG/PNG export buttons; `build` runs again when `deps` change. */
function Chart({ title, name, build, deps, testId }: { title: string; name: string; build: () => SVGSVGElement | HTMLElement; deps: readonly unknown[]; testId: string }) {
  const ref = useChart(build, deps);
  const save = (format: 'svg' | 'png') => { const chart = ref.current?.firstElementChild; if (chart) void exportChart(chart, name, format); };
  return (
    <figure className="ex-chart" aria-label={title} data-testid={testId}>
      <figcaption>
        <span>{title}</span>
        <span className="ex-export">
          <button type="button" onClick={() => save('svg')} title="Save as SVG">SVG</button>
          <button type="button" onClick={() => save('png')} title="Save as PNG">PNG</button>
        </span>
      </figcaption>
      <div ref={ref} />
    </figure>
  );
}

interface RowResult { prediction: number; output: number; baseValue: number; attributions: Record<string, number> }

function fromNode(ex: Explanations, row: number): RowResult {
  return { prediction: ex.predictions[row]!, output: ex.outputs[row]!, baseValue: ex.baseValue, attributions: Object.fromEntries(ex.columns.map((c, i) => [c, ex.shap[row]![i]!])) };
}

function formValues(ex: Explanations, row: number): Record<string, string> {
  return Object.fromEntries(ex.columns.map((c, i) => { const v = ex.data[row]![i]; return [c, v === null || v === undefined ? '' : String(v)]; }));
}

function typed(ex: Explanations, form: Record<string, string>): Record<string, Cell> {
  return Object.fromEntries(ex.columns.map((c, i) => {
    const v = form[c] ?? '';
    return [c, v === '' ? null : ex.columnTypes[i] === 'number' ? Number(v) : v];
  }));
}

/** One row: pick a test row or edit values (what-if); prediction and waterfall follow. */
function RowExplorer({ ex, path, nodeId }: { ex: Explanations; path: string; nodeId: string }) {
  const { backend } = useServices();
  const [row, setRow] = useState(0);
  const [form, setForm] = useState(() => formValues(ex, 0));
  const [result, setResult] = useState<RowResult>(() => fromNode(ex, 0));
  const [edited, setEdited] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const canWhatIf = ex.method !== 'kernel';

  useEffect(() => {
    if (!edited) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      backend.call('pipeline.explainRow', { path, nodeId, values: typed(ex, form) }, { signal: controller.signal })
        .then((r) => { setResult(r); setError(null); }, (e: unknown) => { if (!controller.signal.aborted) setError(e instanceof Error ? e.message : String(e)); });
    }, 250);
    return () => { clearTimeout(timer); controller.abort(); };
  }, [backend, path, nodeId, ex, form, edited]);

  const pick = (r: number) => { setRow(r); setForm(formValues(ex, r)); setResult(fromNode(ex, r)); setEdited(false); setError(null); };
  const order = useMemo(() => columnOrder(ex), [ex]);
  const label = ex.output === 'value' ? 'prediction' : ex.output.replace('_', '-');
  return (
    <section className="ex-row" aria-label="Explain one row">
      <div className="ex-row-head">
        <label>Test row <input type="number" min={0} max={ex.rows.length - 1} value={row} aria-label="Test row" onChange={(e) => pick(Math.max(0, Math.min(ex.rows.length - 1, Number(e.target.value) || 0)))} /></label>
        <span className="ex-pred" data-testid="ex-prediction">prediction <strong>{result.prediction.toFixed(4)}</strong></span>
        <span className="muted" data-testid="ex-output">{label} {result.output.toFixed(4)} = base {result.baseValue.toFixed(4)} + Σ attributions</span>
        {edited && <span className="ex-edited">what-if</span>}
      </div>
      {error && <div className="error-box" role="alert">{error}</div>}
      <div className="ex-row-body">
        <form className="ex-form" aria-label="What-if values" onSubmit={(e) => e.preventDefault()}>
          {order.map((c) => {
            const i = ex.columns.indexOf(c);
            return (
              <label key={c}>
                <span>{c}</span>
                <input name={c} aria-label={c} disabled={!canWhatIf} inputMode={ex.columnTypes[i] === 'number' ? 'decimal' : 'text'} value={form[c] ?? ''} onChange={(e) => { setForm({ ...form, [c]: e.target.value }); setEdited(true); }} />
              </label>
            );
          })}
        </form>
        <Chart title={`Waterfall, row ${row}${edited ? ' (what-if)' : ''}`} name={`waterfall-row-${row}`} testId="ex-waterfall" build={() => waterfallChart(result.baseValue, result.attributions, result.output, label)} deps={[result, row, edited]} />
      </div>
    </section>
  );
}

/**
 * Explanations of an Explain node: permutation importance, SHAP beeswarm, dependence, PDP/ICE and
 * a one-row waterfall with a what-if form (`pipeline.explainRow`). Mount it for an output of kind
 * `explanations`; `path` is the pipeline file and `nodeId` the Explain node.
 */
export function ExplainPanel({ explanations, path, nodeId }: { explanations: Explanations; path: string; nodeId: string }) {
  const ex = explanations;
  const order = useMemo(() => columnOrder(ex), [ex]);
  const [dep, setDep] = useState(order[0] ?? '');
  const [colorBy, setColorBy] = useState(order[1] ?? order[0] ?? '');
  return (
    <div className="ex-panel" data-testid="explain-panel">
      <p className="muted ex-summary">
        {ex.method === 'tree' ? 'Exact TreeSHAP' : ex.method === 'linear' ? 'Exact linear SHAP' : 'Kernel SHAP'} on {ex.rows.length} test rows, grouped to {ex.columns.length} raw columns ({ex.features.length} model features). Output explained: {ex.output}{ex.outputClass !== undefined ? ` of class ${String(ex.outputClass)}` : ''}; base value {ex.baseValue.toFixed(4)}.
      </p>
      <div className="ex-grid">
        <Chart title="SHAP beeswarm" name="shap-beeswarm" testId="ex-beeswarm" build={() => beeswarmChart(ex)} deps={[ex]} />
        <Chart title={`Permutation importance (${ex.importance.metric})`} name="permutation-importance" testId="ex-importance" build={() => importanceChart(ex)} deps={[ex]} />
        <div>
          <div className="ex-controls">
            <label>Dependence of <select aria-label="Dependence column" value={dep} onChange={(e) => setDep(e.target.value)}>{order.map((c) => <option key={c}>{c}</option>)}</select></label>
            <label>colour by <select aria-label="Colour by" value={colorBy} onChange={(e) => setColorBy(e.target.value)}>{order.map((c) => <option key={c}>{c}</option>)}</select></label>
          </div>
          <Chart title={`Dependence: ${dep}`} name={`dependence-${dep}`} testId="ex-dependence" build={() => dependenceChart(ex, dep, colorBy)} deps={[ex, dep, colorBy]} />
        </div>
        {ex.pdp.map((p, i) => <Chart key={p.column} title={`PDP / ICE: ${p.column}`} name={`pdp-${p.column}`} testId="ex-pdp" build={() => pdpChart(ex, i)} deps={[ex, i]} />)}
      </div>
      <RowExplorer ex={ex} path={path} nodeId={nodeId} />
    </div>
  );
}

/** The Explain node's output on the canvas (registered in `outputViews` by the shell). */
export function ExplainOutputView({ output, path, nodeId }: OutputViewProps<'explanations'>) {
  return <ExplainPanel explanations={asExplanations(output.explanations)} path={path} nodeId={nodeId} />;
}
