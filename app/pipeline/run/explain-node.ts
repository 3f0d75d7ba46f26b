import { UserInputError } from '../../base/errors';
import { buildExplainer, explainFeatures } from '../../explain/explainer';
import type { Explainer, RowExplanations } from '../../explain/explainer';
import { kernelShap } from '../../explain/kernel-shap';
import { partialDependence } from '../../explain/pdp';
import { permutationImportance } from '../../explain/permutation';
import type { Scorer } from '../../explain/permutation';
import { takeRows } from '../../explain/table';
import type { BatchPredict, RawTable } from '../../explain/table';
import { accuracy, r2, rocAuc } from '../../ml/metrics';
import type { Matrix } from '../../ml/types';
import { nodeCatalog } from '../catalog';
import { compileFeatures } from '../compile';
import type { PipelineNode } from '../document';
import type { ColumnTable } from '../steps/types';
import type { Explanations, PdpCurve } from './explain-types';
import { buildFeed } from './nodes-evaluate';
import { nodeName, requireTable } from './nodes-data';
import type { ModelValue, NodeOutputs, NodeValue, RunEnv } from './types';

/** The raw input columns of a model (what its ONNX graph takes), read from `table` as a RawTable. */
export function rawTableOf(model: ModelValue, table: ColumnTable): RawTable {
  const names = [...new Set(model.feeds.flatMap((f) => f.columns))];
  const columns = names.map((name) => {
    const c = table.columns.find((col) => col.name === name);
    if (!c) throw new UserInputError(`The model needs column "${name}", which the explained table does not have. Connect the raw rows (for example the Split's test output).`, { column: name });
    return c.type === 'number' ? Float64Array.from(c.values) : c.values.map((v) => v);
  });
  return { names, columns, rows: table.rows };
}

function columnTableOf(raw: RawTable): ColumnTable {
  return {
    rows: raw.rows,
    columns: raw.columns.map((c, i) => (c instanceof Float64Array ? { name: raw.names[i]!, type: 'number' as const, values: c } : { name: raw.names[i]!, type: 'string' as const, values: c.map((v) => v ?? '') })),
  };
}

/** The positive-class probability (binary), the class index (multiclass) or the value of each row, via the compiled ONNX. */
export function modelPredictor(model: ModelValue, env: Pick<RunEnv, 'score' | 'signal'>, mode: 'probability' | 'class'): BatchPredict {
  return async (raw, signal) => {
    const table = columnTableOf(raw);
    const out = await env.score(model.onnx, model.feeds.map((f) => buildFeed(table, f)), signal ?? env.signal);
    const name = model.task === 'classification' ? model.outputs.probabilities : model.outputs.value;
    const o = name === undefined ? undefined : out[name];
    if (!o || !(o.data instanceof Float64Array)) throw new UserInputError('The model gave no numeric output to explain.');
    const width = o.dims[1] ?? 1;
    const data = o.data;
    if (model.task !== 'classification' || (mode === 'probability' && width <= 2)) return Float64Array.from({ length: raw.rows }, (_, r) => data[r * width + (width === 2 ? 1 : 0)]!);
    if (mode === 'probability') return Float64Array.from({ length: raw.rows }, (_, r) => data[r * width + 1]!);
    return Float64Array.from({ length: raw.rows }, (_, r) => {
      let best = 0;
      for (let k = 1; k < width; k++) if (data[r * width + k]! > data[r * width + best]!) best = k;
      return best;
    });
  };
}

/** The evaluate metric the importance uses and the target coded for it. */
function importanceScore(model: ModelValue, table: ColumnTable, rows: number): { metric: string; y: Float64Array; score: Scorer; mode: 'probability' | 'class' } {
  const target = model.target === null ? undefined : table.columns.find((c) => c.name === model.target);
  if (!target) throw new UserInputError(`Permutation importance needs the target column "${model.target ?? '(unset)'}" in the explained rows.`);
  const values = Array.from({ length: rows }, (_, r) => target.values[r]!);
  if (model.task === 'regression') return { metric: 'r2', y: Float64Array.from(values, Number), score: r2, mode: 'probability' };
  const classes = model.classes ? [...model.classes].map(String) : [...new Set(values.map(String))].sort();
  const y = Float64Array.from(values, (v) => classes.indexOf(String(v)));
  if (classes.length === 2) return { metric: 'roc_auc', y, score: (t, p) => rocAuc(t, p, 1), mode: 'probability' };
  return { metric: 'accuracy', y, score: (t, p) => accuracy(t, p), mode: 'class' };
}

/** Rows of the preprocessing's `features` output: the matrix exact explainers work on. */
export async function featureRows(model: ModelValue, featuresOnnx: Uint8Array, raw: RawTable, env: Pick<RunEnv, 'score' | 'signal'>): Promise<Matrix> {
  const table = columnTableOf(raw);
  const out = await env.score(featuresOnnx, model.feeds.map((f) => buildFeed(table, f)), env.signal);
  const f = out['features'];
  if (!f || !(f.data instanceof Float64Array)) throw new UserInputError('The preprocessing graph gave no features.');
  return { rows: raw.rows, cols: f.dims[1] ?? 1, data: f.data };
}

/** The explainer of a trained (not imported) model, with its preprocessing compiled on its own. */
export function explainerOf(model: ModelValue, background: Matrix | null): { explainer: Explainer | null; featuresOnnx: Uint8Array | null } {
  if (!model.fitted || !model.chain) return { explainer: null, featuresOnnx: null };
  const featuresOnnx = compileFeatures({ pipelineId: 'explain', columns: model.chain.columns, steps: model.chain.steps });
  const features = model.summary.features;
  const base = { columns: model.chain.columns.map((c) => c.name), features, featuresOnnx, background: background ?? { rows: 0, cols: features.length, data: new Float64Array(0) } };
  return { explainer: buildExplainer(model.fitted, base), featuresOnnx };
}

async function shapOf(model: ModelValue, raw: RawTable, env: RunEnv): Promise<{ explainer: Explainer | null; result: RowExplanations; method: Explanations['method'] }> {
  const { explainer, featuresOnnx } = explainerOf(model, null);
  if (explainer && featuresOnnx) {
    const x = await featureRows(model, featuresOnnx, raw, env);
    if (explainer.linear) explainer.linear.mean = [...columnMeansOf(x)];
    return { explainer, result: explainFeatures(explainer, x), method: explainer.method };
  }
  // No exact explainer (imported ONNX): Kernel SHAP on the raw columns, background = 30 rows.
  const predict = modelPredictor(model, env, 'probability');
  const background = takeRows(raw, Int32Array.from({ length: Math.min(30, raw.rows) }, (_, i) => Math.floor((i * raw.rows) / Math.min(30, raw.rows))));
  const x = takeRows(raw, Int32Array.from({ length: Math.min(100, raw.rows) }, (_, i) => i));
  const k = await kernelShap(predict, background, x, { nSamples: 2 * raw.names.length + 256, ...(env.signal ? { signal: env.signal } : {}) });
  return { explainer: null, method: 'kernel', result: { rows: x.rows, baseValue: k.baseValue, output: k.outputs, values: k.values, detail: k.values } };
}

function columnMeansOf(x: Matrix): Float64Array {
  const out = new Float64Array(x.cols);
  const counts = new Float64Array(x.cols);
  for (let r = 0; r < x.rows; r++) for (let j = 0; j < x.cols; j++) {
    const v = x.data[r * x.cols + j]!;
    if (!Number.isNaN(v)) { out[j]! += v; counts[j]!++; }
  }
  return out.map((s, j) => (counts[j]! > 0 ? s / counts[j]! : 0));
}

function chunk(values: ArrayLike<number>, width: number, rows: number): number[][] {
  return Array.from({ length: rows }, (_, r) => Array.from({ length: width }, (_, j) => values[r * width + j]!));
}

/**
 * Runs an Explain node on its `data` rows (the test split): permutation importance of every raw
 * column through the compiled ONNX, SHAP values (TreeSHAP / linear SHAP on the features grouped
 * to raw columns, Kernel SHAP for imported models), and PDP/ICE for the top columns.
 */
export async function runExplain(node: PipelineNode, inputs: Record<string, NodeValue>, env: RunEnv): Promise<NodeOutputs> {
  const model = inputs['model'];
  if (model?.type !== 'model') throw new UserInputError(`${nodeName(node)} needs a model on its "model" input.`);
  if (model.task !== 'classification' && model.task !== 'regression') throw new UserInputError('Explanations need a classifier or a regressor.');
  const params = nodeCatalog.explain.params.parse(node.params);
  const { table } = requireTable(inputs, 'data', node);
  if (table.rows === 0) throw new UserInputError('The table to explain is empty.');
  const n = Math.min(table.rows, params.maxRows);
  const raw = takeRows(rawTableOf(model, table), Int32Array.from({ length: n }, (_, i) => i));
  const imp = importanceScore(model, table, n);
  const predict = modelPredictor(model, env, 'probability');
  const perm = await permutationImportance(modelPredictor(model, env, imp.mode), raw, imp.y, imp.score, { repeats: params.repeats, seed: params.seed, ...(env.signal ? { signal: env.signal } : {}) });
  const { explainer, result, method } = await shapOf(model, raw, env);
  const C = raw.names.length;
  const meanAbs = raw.names.map((_, c) => { let s = 0; for (let r = 0; r < result.rows; r++) s += Math.abs(result.values[r * C + c]!); return s / result.rows; });
  const top = raw.names.map((name, c) => ({ name, v: meanAbs[c]! })).sort((a, b) => b.v - a.v).slice(0, params.pdpColumns);
  const pdp: PdpCurve[] = [];
  for (const { name } of top) {
    const p = await partialDependence(predict, raw, name, { gridResolution: 20, maxRows: 200, iceCurves: 20, seed: params.seed, ...(env.signal ? { signal: env.signal } : {}) });
    pdp.push({ column: name, grid: p.grid, average: [...p.average], ice: p.ice ? chunk(p.ice, p.grid.length, p.ice.length / p.grid.length) : [] });
  }
  const predictions = await predict(takeRows(raw, Int32Array.from({ length: result.rows }, (_, i) => i)));
  const explanations: Explanations = {
    method, output: explainer?.output ?? (model.task === 'classification' ? 'probability' : 'value'),
    ...(explainer?.outputClass !== undefined ? { outputClass: explainer.outputClass } : {}),
    baseValue: result.baseValue, columns: [...raw.names], columnTypes: raw.columns.map((c) => (c instanceof Float64Array ? 'number' : 'string')),
    features: explainer?.features ?? [...raw.names], lineage: explainer?.lineage ?? raw.names.map((_, i) => i),
    importance: { metric: imp.metric, baseline: perm.baseline, repeats: params.repeats, columns: perm.importances.map((i) => ({ column: i.column, mean: i.mean, std: i.std })) },
    rows: Array.from({ length: result.rows }, (_, i) => i),
    data: Array.from({ length: result.rows }, (_, r) => raw.columns.map((c) => (c instanceof Float64Array ? (Number.isNaN(c[r]!) ? null : c[r]!) : c[r] ?? null))),
    shap: chunk(result.values, C, result.rows),
    detail: chunk(result.detail, result.detail.length / Math.max(1, result.rows), result.rows),
    outputs: [...result.output], predictions: [...predictions], pdp,
  };
  return { explanation: { type: 'explanations', explanations, explainer } };
}
