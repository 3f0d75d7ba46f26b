import { CancelledError, UserInputError, throwIfAborted } from '../../base/errors';
import { kFold, stratifiedKFold } from '../../ml/split';
import type { Fold } from '../../ml/split';
import { nodeCatalog, nodeSpec } from '../catalog';
import type { PipelineDoc, PipelineNode } from '../document';
import { takeRows } from './columns';
import { nodeName, requireTable } from './nodes-data';
import { evaluateOutputs, scoreTable } from './nodes-evaluate';
import { runModel, runPreprocess } from './nodes-model';
import { inputsOf } from './plan';
import { isTrainableKind } from './train';
import type { TrainableKind } from './train';
import type { Evaluation } from './evaluate';
import type { ModelTask, NodeOutputs, NodeValue, RunEnv, TableValue } from './types';

/** The nodes a Cross-validate node refits on every fold: preprocessing steps in order, then the model. */
export interface RefitPlan {
  steps: PipelineNode[];
  model: PipelineNode;
  kind: TrainableKind;
}

/** One fold's outcome: its size and the metrics of its held-out rows scored through the fold's ONNX graph. */
export interface FoldScore {
  fold: number;
  trainRows: number;
  testRows: number;
  metrics: Record<string, number>;
}

/**
 * What a Cross-validate node learned, JSON-safe. `mean` and `std` (population, as numpy's
 * `scores.std()`) cover the metrics every fold has; `refit` names the nodes refitted per fold.
 */
export interface CrossValidationSummary {
  k: number;
  stratified: boolean;
  shuffle: boolean;
  seed: number;
  task: ModelTask;
  refit: string[];
  folds: FoldScore[];
  mean: Record<string, number>;
  std: Record<string, number>;
}

function nodeById(doc: PipelineDoc, id: string): PipelineNode {
  const node = doc.nodes.find((n) => n.id === id);
  if (!node) throw new UserInputError(`This pipeline has no node "${id}".`);
  return node;
}

/**
 * The chain a Cross-validate node refits: the model feeding its `model` input and the preprocessing
 * nodes between that model and the table being folded (walking up the model's `train` input while
 * the nodes are preprocessing steps, stopping at the node that feeds the `data` input, a split or
 * a source). Refuses models that cannot be refitted (imported ONNX, sweeps).
 */
export function refitPlan(doc: PipelineDoc, node: PipelineNode): RefitPlan {
  const feeds = inputsOf(doc, node.id);
  const modelFeed = feeds.get('model');
  const dataFeed = feeds.get('data');
  if (!modelFeed) throw new UserInputError(`${nodeName(node)} needs a model on its "model" input.`);
  const model = nodeById(doc, modelFeed.node);
  if (!isTrainableKind(model.kind)) {
    throw new UserInputError(`Cross-validation refits the model on every fold, and ${nodeName(model)} (${nodeSpec(model.kind).label}) cannot be refitted. Connect a model trained on the canvas.`);
  }
  const steps: PipelineNode[] = [];
  let feed = inputsOf(doc, model.id).get('train');
  while (feed && !(dataFeed && feed.node === dataFeed.node && feed.port === dataFeed.port)) {
    const upstream = nodeById(doc, feed.node);
    if (nodeSpec(upstream.kind).category !== 'preprocess' || steps.some((s) => s.id === upstream.id)) break;
    steps.unshift(upstream);
    feed = inputsOf(doc, upstream.id).get('data');
  }
  return { steps, model, kind: model.kind };
}

/**
 * Fold assignment of a Cross-validate node: stratified by the target for classification (when
 * `stratified`), plain k-fold otherwise; shuffled by `seed` when `shuffle`. Deterministic: the same
 * rows and params give the same folds. Each row is held out exactly once.
 */
export function crossValidationFolds(target: Float64Array | readonly string[], task: ModelTask, params: { k: number; stratified: boolean; shuffle: boolean; seed: number }): Fold[] {
  const options = { shuffle: params.shuffle, seed: params.seed };
  return params.stratified && task === 'classification' ? stratifiedKFold(target, params.k, options) : kFold(target.length, params.k, options);
}

function asTable(value: NodeValue | undefined, node: PipelineNode): TableValue {
  if (value?.type !== 'table') throw new UserInputError(`${nodeName(node)} did not give a table.`);
  return value;
}

async function scoreFold(doc: PipelineDoc, plan: RefitPlan, data: TableValue, fold: Fold, index: number, env: RunEnv): Promise<FoldScore> {
  throwIfAborted(env.signal);
  // Every step is fitted on this fold's training rows only, so nothing of the held-out rows leaks in.
  let train: TableValue = { type: 'table', table: takeRows(data.table, fold.train), chain: data.chain };
  for (const step of plan.steps) train = asTable(runPreprocess(step, { data: train })['data'], step);
  const fitted = (await runModel(doc, plan.model, plan.kind, { train }, env, () => undefined))['model'];
  if (fitted?.type !== 'model') throw new UserInputError(`${nodeName(plan.model)} did not give a model.`);
  const test = takeRows(data.table, fold.test);
  const { evaluation } = evaluateOutputs(fitted, test, await scoreTable(fitted, test, env));
  return { fold: index, trainRows: fold.train.length, testRows: fold.test.length, metrics: evaluation.metrics };
}

function summarize(scores: FoldScore[]): { mean: Record<string, number>; std: Record<string, number> } {
  const keys = Object.keys(scores[0]?.metrics ?? {}).filter((key) => scores.every((s) => Number.isFinite(s.metrics[key])));
  const mean: Record<string, number> = {};
  const std: Record<string, number> = {};
  for (const key of keys) {
    const values = scores.map((s) => s.metrics[key]!);
    const m = values.reduce((a, b) => a + b, 0) / values.length;
    mean[key] = m;
    std[key] = Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / values.length);
  }
  return { mean, std };
}

/**
 * Refits `plan` on the training part of each fold of `data` and scores the held-out part through
 * that fold's compiled ONNX graph. Up to `env.concurrency` folds train at once (through
 * `env.fitModel`, the worker pool); progress is one step per finished fold; cancel stops training.
 */
export async function crossValidateFolds(doc: PipelineDoc, node: PipelineNode, plan: RefitPlan, data: TableValue, folds: readonly Fold[], env: RunEnv): Promise<FoldScore[]> {
  const scores = new Array<FoldScore>(folds.length);
  let next = 0, done = 0;
  const worker = async () => {
    while (next < folds.length) {
      const index = next++;
      try {
        scores[index] = await scoreFold(doc, plan, data, folds[index]!, index, env);
      } catch (error) {
        next = folds.length; // one failed fold fails the node: start no more
        if (error instanceof UserInputError) throw new UserInputError(`Fold ${index + 1} of ${folds.length}: ${error.message}`, error.detail);
        throw error;
      }
      done++;
      env.onEvent?.({ type: 'progress', nodeId: node.id, progress: { done, total: folds.length, message: 'folds' } });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(env.concurrency, folds.length)) }, worker));
  if (env.signal?.aborted) throw new CancelledError();
  return scores;
}

/**
 * Runs a Cross-validate node: folds its `data` table (k folds; stratified, seeded shuffle), refits
 * the model's whole upstream chain on each fold (see `refitPlan`) and reports per-fold metrics and
 * mean ± std. The evaluation's metrics are `cv_<metric>` (mean) and `cv_<metric>_std`.
 */
export async function runCrossValidate(doc: PipelineDoc, node: PipelineNode, inputs: Record<string, NodeValue>, env: RunEnv): Promise<{ outputs: NodeOutputs; message: string }> {
  const p = nodeCatalog.crossValidate.params.parse(node.params);
  const model = inputs['model'];
  if (model?.type !== 'model') throw new UserInputError(`${nodeName(node)} needs a model on its "model" input.`);
  const data = requireTable(inputs, 'data', node);
  if (model.task !== 'classification' && model.task !== 'regression') throw new UserInputError(`Cross-validation scores classifiers and regressions; this model is a ${model.task} model.`);
  if (data.table.rows === 0) throw new UserInputError('The table to cross-validate is empty.');
  const plan = refitPlan(doc, node);
  const targetName = model.target ?? '';
  const target = data.table.columns.find((c) => c.name === targetName);
  if (!target) throw new UserInputError(`The table to cross-validate has no target column "${targetName}".`, { column: targetName });
  const folds = crossValidationFolds(target.values, model.task, p);
  const scores = await crossValidateFolds(doc, node, plan, data, folds, env);
  const summary: CrossValidationSummary = { k: p.k, stratified: p.stratified && model.task === 'classification', shuffle: p.shuffle, seed: p.seed, task: model.task, refit: [...plan.steps, plan.model].map(nodeName), folds: scores, ...summarize(scores) };
  const metrics: Record<string, number> = {};
  for (const [key, value] of Object.entries(summary.mean)) { metrics[`cv_${key}`] = value; metrics[`cv_${key}_std`] = summary.std[key]!; }
  const evaluation: Evaluation = { task: model.task, rows: data.table.rows, metrics };
  const headline = model.task === 'classification' ? 'accuracy' : 'r2';
  const shown = summary.mean[headline] === undefined ? '' : `: ${headline} ${summary.mean[headline].toFixed(3)} ± ${summary.std[headline]!.toFixed(3)}`;
  return { outputs: { metrics: { type: 'metrics', evaluation, crossValidation: summary } }, message: `${p.k} folds, refitting ${summary.refit.join(' → ')}${shown}` };
}
