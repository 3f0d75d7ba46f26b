import { useState } from 'react';
import type { PipelineOutput } from '../../../app/protocol/methods/pipeline';
import { barChart, calibrationChart, confusionChart, curveChart, PlotFigure, residualChart } from './charts';

type MetricsResult = Extract<PipelineOutput, { kind: 'metrics' }>;

interface Curve { x: number[]; y: number[] }
interface PerClass { label: string | number; precision: number; recall: number; f1: number; support: number }

function isNumbers(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'number');
}

function curve(value: unknown): Curve | null {
  return value && typeof value === 'object' && 'x' in value && 'y' in value && isNumbers(value.x) && isNumbers(value.y) ? { x: value.x, y: value.y } : null;
}

function confusion(value: unknown): { labels: (string | number)[]; counts: number[][] } | null {
  if (!value || typeof value !== 'object' || !('labels' in value) || !('counts' in value)) return null;
  const { labels, counts } = value;
  return Array.isArray(labels) && Array.isArray(counts) && counts.every(isNumbers) ? { labels: labels.map((l: unknown) => (typeof l === 'number' ? l : String(l))), counts } : null;
}

function calibration(value: unknown): { probPred: number[]; probTrue: number[]; counts: number[] } | null {
  return value && typeof value === 'object' && 'probPred' in value && 'probTrue' in value && 'counts' in value && isNumbers(value.probPred) && isNumbers(value.probTrue) && isNumbers(value.counts)
    ? { probPred: value.probPred, probTrue: value.probTrue, counts: value.counts } : null;
}

function residuals(value: unknown): { predicted: number[]; residual: number[] } | null {
  return value && typeof value === 'object' && 'predicted' in value && 'residual' in value && isNumbers(value.predicted) && isNumbers(value.residual) ? { predicted: value.predicted, residual: value.residual } : null;
}

function perClass(value: unknown): PerClass[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v: unknown) => (v && typeof v === 'object' && 'label' in v && 'precision' in v && 'recall' in v && 'f1' in v && 'support' in v
    && typeof v.precision === 'number' && typeof v.recall === 'number' && typeof v.f1 === 'number' && typeof v.support === 'number'
    ? [{ label: typeof v.label === 'number' ? v.label : String(v.label), precision: v.precision, recall: v.recall, f1: v.f1, support: v.support }] : []));
}

const HEADLINE = ['accuracy', 'roc_auc', 'log_loss', 'f1_macro', 'precision_macro', 'recall_macro', 'rmse', 'mae', 'r2',
  'nab_score', 'nab_score_normalized', 'nab_threshold', 'nab_tp', 'nab_fp', 'nab_fn', 'nab_tn', 'nab_detected_windows', 'nab_windows', 'nab_delay_mean', 'nab_delay_median'];

/** One line on the NAB settings of an anomaly evaluation (app/pipeline/run/nab-evaluate.ts NabDetail), or null. */
function nabCaption(value: unknown): string | null {
  if (!value || typeof value !== 'object' || !('labelSet' in value) || !('profile' in value) || !('thresholdMode' in value)) return null;
  return `NAB vs label set "${String(value.labelSet)}" · ${String(value.profile)} · ${value.thresholdMode === 'best' ? 'best threshold' : 'fixed threshold'} · delays in time-column units (ms for timestamps)`;
}

function fmt(v: number, name = ''): string {
  // NAB counts and delays are whole numbers (rows, ms): no decimals.
  if (name.startsWith('nab_') && Number.isInteger(v)) return v.toLocaleString();
  return Math.abs(v) >= 1000 ? v.toLocaleString(undefined, { maximumFractionDigits: 1 }) : v.toFixed(4);
}

/** An Evaluate node's results: the metrics table, per-class scores, confusion matrix, ROC, PR, calibration or residuals. */
export function MetricsOutput({ output }: { output: MetricsResult }) {
  const e = output.evaluation;
  const [showAll, setShowAll] = useState(false);
  const all = Object.keys(e.metrics).sort((a, b) => (HEADLINE.indexOf(a) + 1 || 99) - (HEADLINE.indexOf(b) + 1 || 99) || a.localeCompare(b));
  const headline = all.filter((n) => HEADLINE.includes(n));
  const names = showAll || headline.length === 0 ? all : headline;
  const cm = confusion(e['confusion']), roc = curve(e['roc']), pr = curve(e['pr']), cal = calibration(e['calibration']), res = residuals(e['residuals']);
  const classes = perClass(e['perClass']);
  const positive = e['positiveClass'];
  return (
    <div className="pc-output-row" data-testid="metrics">
      <div className="pc-metrics-col">
        <table className="pc-metrics" aria-label="Metrics">
          <caption>{e.task} · {e.rows.toLocaleString()} test rows{positive !== undefined ? ` · positive class ${String(positive)}` : ''}{nabCaption(e['nab']) ? <><br /><span data-testid="nab-caption">{nabCaption(e['nab'])}</span></> : null}</caption>
          <tbody>
            {names.map((name) => <tr key={name} data-metric={name}><th>{name.replace(/_/g, ' ')}</th><td>{fmt(e.metrics[name]!, name)}</td></tr>)}
          </tbody>
        </table>
        {headline.length > 0 && all.length > headline.length && (
          <button type="button" className="pc-link" onClick={() => setShowAll(!showAll)}>{showAll ? 'fewer metrics' : `all ${all.length} metrics`}</button>
        )}
        {classes.length > 0 && (
          <table className="pc-metrics per-class" aria-label="Per-class scores">
            <thead><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr></thead>
            <tbody>{classes.map((c) => <tr key={String(c.label)}><th>{String(c.label)}</th><td>{c.precision.toFixed(3)}</td><td>{c.recall.toFixed(3)}</td><td>{c.f1.toFixed(3)}</td><td>{c.support.toLocaleString()}</td></tr>)}</tbody>
          </table>
        )}
      </div>
      {cm && <PlotFigure caption="Confusion matrix" build={() => confusionChart(cm.labels, cm.counts)} deps={[cm]} testId="confusion-matrix" />}
      {roc && <PlotFigure caption={`ROC curve${e.metrics['roc_auc'] !== undefined ? ` · AUC ${e.metrics['roc_auc'].toFixed(3)}` : ''}`} build={() => curveChart(roc, { x: 'false positive rate', y: 'true positive rate' }, 'up', '#3a63d8')} deps={[roc]} testId="roc-curve" />}
      {pr && <PlotFigure caption="Precision–recall" build={() => curveChart(pr, { x: 'recall', y: 'precision' }, 'none', '#e4572e')} deps={[pr]} testId="pr-curve" />}
      {cal && <PlotFigure caption="Calibration" build={() => calibrationChart(cal)} deps={[cal]} testId="calibration" />}
      {res && <PlotFigure caption="Residuals" build={() => residualChart(res)} deps={[res]} testId="residuals" />}
      {output.sweep && (
        <PlotFigure
          caption={`Sweep · ${output.sweep.metric} (${output.sweep.direction}) · best trial ${output.sweep.best + 1}`}
          build={() => barChart(output.sweep!.trials.flatMap((t) => (t.metric === null ? [] : [{ name: `${t.index === output.sweep!.best ? '★ ' : ''}${Object.entries(t.overrides).map(([k, v]) => `${k.split('.').at(-1)}=${String(v)}`).join(' ')}`, value: t.metric }])), output.sweep!.metric)}
          deps={[output.sweep]}
        />
      )}
    </div>
  );
}
