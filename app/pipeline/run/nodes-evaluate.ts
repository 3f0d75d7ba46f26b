import { UserInputError } from '../../base/errors';
import { encodeClasses } from '../../ml/check';
import type { ClassLabels } from '../../ml/types';
import type { PipelineNode } from '../document';
import type { Column, ColumnTable } from '../steps/types';
import { evaluateClassification, evaluateClusters, evaluateRegression, evaluateScores } from './evaluate';
import type { Evaluation } from './evaluate';
import { evaluateNab, nabParams } from './nab-evaluate';
import { nodeName, requireTable } from './nodes-data';
import type { ModelValue, NodeOutputs, NodeValue, OnnxFeedSpec, RunEnv, ScoreFeed, ScoreOutput } from './types';

/** The tensor for one graph input from table columns: [N, k] row-major, typed as the input wants. */
export function buildFeed(table: ColumnTable, spec: OnnxFeedSpec): ScoreFeed {
  const cols = spec.columns.map((name) => {
    const c = table.columns.find((col) => col.name === name);
    if (!c) throw new UserInputError(`The model input "${spec.input}" needs column "${name}", which this table does not have. Connect the raw rows (for example the Split's test output): the model already contains its preprocessing.`, { column: name });
    if ((spec.elemType === 'string') !== (c.type === 'string')) {
      throw new UserInputError(`The model input "${spec.input}" takes ${spec.elemType === 'string' ? 'text' : 'numbers'}, but column "${name}" holds ${c.type === 'string' ? 'text' : 'numbers'}.`, { column: name });
    }
    return c;
  });
  const n = table.rows, k = cols.length, dims = [n, k];
  if (spec.elemType === 'string') {
    const data = new Array<string>(n * k);
    cols.forEach((c, j) => { for (let r = 0; r < n; r++) data[r * k + j] = String(c.values[r]); });
    return { name: spec.input, elemType: 'string', dims, data };
  }
  const data = spec.elemType === 'float' ? new Float32Array(n * k) : spec.elemType === 'double' ? new Float64Array(n * k) : new BigInt64Array(n * k);
  cols.forEach((c, j) => {
    const values = c.values;
    for (let r = 0; r < n; r++) {
      const v = Number(values[r]);
      if (data instanceof BigInt64Array) {
        if (!Number.isInteger(v)) throw new UserInputError(`The model input "${spec.input}" takes whole numbers, but column "${c.name}" has ${v} in row ${r}.`, { column: c.name, row: r });
        data[r * k + j] = BigInt(v);
      } else data[r * k + j] = v;
    }
  });
  return { name: spec.input, elemType: spec.elemType, dims, data };
}

/** Scores `table` through the model's ONNX graph (never a TypeScript twin). */
export async function scoreTable(model: ModelValue, table: ColumnTable, env: RunEnv): Promise<Record<string, ScoreOutput>> {
  return env.score(model.onnx, model.feeds.map((f) => buildFeed(table, f)), env.signal);
}

function output(outputs: Record<string, ScoreOutput>, name: string | undefined, what: string): ScoreOutput {
  const out = name === undefined ? undefined : outputs[name];
  if (!out) throw new UserInputError(`The model gave no ${what} output${name ? ` ("${name}")` : ''}.`);
  return out;
}

function numbers(out: ScoreOutput, what: string): Float64Array {
  if (!(out.data instanceof Float64Array)) throw new UserInputError(`The model's ${what} output holds text, not numbers.`);
  return out.data;
}

function trueValues(table: ColumnTable, target: string | null): Column {
  if (target === null) throw new UserInputError('Evaluation needs the target column: set "target" on the imported model node.');
  const column = table.columns.find((c) => c.name === target);
  if (!column) throw new UserInputError(`The evaluated table has no target column "${target}".`, { column: target });
  return column;
}

function classesFor(model: ModelValue, yTrue: string[] | Float64Array, labels: string[] | Float64Array, width: number): ClassLabels {
  if (model.classes) return model.classes;
  // Imported models rarely name their probability columns: assume the sorted classes seen.
  const seen = encodeClasses(yTrue instanceof Float64Array && labels instanceof Float64Array ? Float64Array.from([...yTrue, ...labels]) : [...Array.from(yTrue, String), ...Array.from(labels, String)]).classes;
  if (seen.length !== width) throw new UserInputError(`The model gives ${width} probability columns, but the rows hold ${seen.length} classes; set "classes" on the imported model node.`);
  return seen;
}

/** Scores the rows of an Evaluate node's `data` input through its `model` and computes the metrics. */
export async function runEvaluate(node: PipelineNode, inputs: Record<string, NodeValue>, env: RunEnv): Promise<NodeOutputs> {
  const model = inputs['model'];
  if (model?.type !== 'model') throw new UserInputError(`${nodeName(node)} needs a model on its "model" input.`);
  const { table } = requireTable(inputs, 'data', node);
  if (table.rows === 0) throw new UserInputError('The table to evaluate is empty.');
  const outputs = await scoreTable(model, table, env);
  const nab = nabParams(node.params);
  // An imported detector without a target has nothing to regress against: its output is the score.
  const asDetector = nab !== null && model.task === 'regression' && model.target === null;
  const { evaluation, columns } = asDetector ? detectorOutputs(model, outputs) : evaluateOutputs(model, table, outputs);
  if (nab) {
    const { metrics, detail } = await evaluateNab(table, anomalyScores(model, outputs), nab, env.readFile);
    Object.assign(evaluation.metrics, metrics);
    evaluation.nab = detail;
  }
  return { metrics: { type: 'metrics', evaluation }, predictions: { type: 'predictions', table: { rows: table.rows, columns } } };
}

/**
 * Per-row anomaly scores, higher = more anomalous: an isolation forest's `score` is scikit-learn's
 * score_samples (higher = more normal), so it is negated; an imported model's number output
 * (a regression to the canvas) is taken as the anomaly score as it is.
 */
export function anomalyScores(model: ModelValue, outputs: Record<string, ScoreOutput>): Float64Array {
  if (model.task === 'anomaly') return numbers(output(outputs, model.outputs.score, 'score'), 'score').map((v) => -v);
  if (model.task === 'regression') {
    const out = output(outputs, model.outputs.value, 'value');
    const all = numbers(out, 'value');
    const width = out.dims[1] ?? 1;
    return width === 1 ? all : Float64Array.from({ length: all.length / width }, (_, r) => all[r * width]!);
  }
  throw new UserInputError(`NAB scoring needs an anomaly detector (an isolation forest, or an imported model with one score output), not a ${model.task} model.`);
}

function detectorOutputs(model: ModelValue, outputs: Record<string, ScoreOutput>): { evaluation: Evaluation; columns: Column[] } {
  const score = anomalyScores(model, outputs);
  return { evaluation: evaluateScores(score), columns: [{ name: 'anomaly_score', type: 'number', values: score }] };
}

/** Metrics and prediction columns from a model's graph outputs on `table`. */
export function evaluateOutputs(model: ModelValue, table: ColumnTable, outputs: Record<string, ScoreOutput>): { evaluation: Evaluation; columns: Column[] } {
  const n = table.rows;
  switch (model.task) {
    case 'classification': {
      const yTrue = trueValues(table, model.target);
      const labels = output(outputs, model.outputs.label, 'label').data;
      const probaOut = output(outputs, model.outputs.probabilities, 'probabilities');
      const width = probaOut.dims[1] ?? 1;
      const classes = classesFor(model, yTrue.values instanceof Float64Array ? yTrue.values : [...yTrue.values], labels, width);
      const proba = numbers(probaOut, 'probabilities');
      const evaluation = evaluateClassification(yTrue.values instanceof Float64Array ? yTrue.values : [...yTrue.values], labels, proba, classes);
      const predicted: Column = labels instanceof Float64Array ? { name: 'predicted', type: 'number', values: labels } : { name: 'predicted', type: 'string', values: labels };
      const probaColumns = classes.map((c, k): Column => ({ name: `p_${String(c)}`, type: 'number', values: Float64Array.from({ length: n }, (_, r) => proba[r * width + k]!) }));
      return { evaluation, columns: [{ ...yTrue }, predicted, ...probaColumns] };
    }
    case 'regression': {
      const yTrue = trueValues(table, model.target);
      if (yTrue.type !== 'number') throw new UserInputError(`The target "${yTrue.name}" holds text; a regression is scored against numbers.`, { column: yTrue.name });
      const out = output(outputs, model.outputs.value, 'value');
      const width = out.dims[1] ?? 1;
      const all = numbers(out, 'value');
      const predicted = width === 1 ? all : Float64Array.from({ length: n }, (_, r) => all[r * width]!);
      const residual = Float64Array.from({ length: n }, (_, r) => yTrue.values[r]! - predicted[r]!);
      return { evaluation: evaluateRegression(yTrue.values, predicted), columns: [yTrue, { name: 'predicted', type: 'number', values: predicted }, { name: 'residual', type: 'number', values: residual }] };
    }
    case 'anomaly': {
      const score = numbers(output(outputs, model.outputs.score, 'score'), 'score');
      return { evaluation: evaluateScores(score), columns: [{ name: 'anomaly_score', type: 'number', values: score }] };
    }
    case 'clustering': {
      const labels = numbers(output(outputs, model.outputs.label, 'label'), 'label');
      const distances = output(outputs, model.outputs.distances, 'distances');
      return { evaluation: evaluateClusters(labels, numbers(distances, 'distances'), distances.dims[1] ?? 1), columns: [{ name: 'cluster', type: 'number', values: labels }] };
    }
  }
}
