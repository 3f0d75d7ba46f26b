import { z } from 'zod';
import { CancelledError, UserInputError, toErrorData } from '../../base/errors';
import { nodeCatalog } from '../catalog';
import type { PipelineDoc, PipelineNode } from '../document';
import { applyOverrides, sweepTrials } from './overrides';
import type { Overrides } from './overrides';
import { ancestorsOf, inputsOf, topologicalOrder } from './plan';
import type { RunTarget } from './plan';
import type { Evaluation } from './evaluate';
import type { ModelValue, NodeOutputs, RunEnv, SweepSummary, TrialReport } from './types';
import type { Execution, OutputCache } from './execute';

type Execute = (doc: PipelineDoc, target: RunTarget, env: RunEnv, cache: OutputCache) => Promise<Execution>;

const LOWER_IS_BETTER = new Set(['rmse', 'mae', 'log_loss', 'mean_distance', 'mean_score']);

/** Whether a metric is better when larger (accuracy, AUC, R²…) or smaller (errors, losses). */
export function metricDirection(metric: string): 'max' | 'min' {
  return LOWER_IS_BETTER.has(metric) ? 'min' : 'max';
}

/** The metric a sweep optimises when none is named: ROC AUC, else accuracy, else RMSE. */
export function defaultMetric(evaluation: Evaluation): string {
  for (const m of ['roc_auc', 'accuracy', 'rmse', 'mean_distance', 'mean_score']) if (m in evaluation.metrics) return m;
  return Object.keys(evaluation.metrics)[0] ?? 'accuracy';
}

/** The pipeline a sweep's trials run: the document without sweep nodes and their edges. */
export function withoutSweeps(doc: PipelineDoc): PipelineDoc {
  const sweeps = new Set(doc.nodes.filter((n) => n.kind === 'sweep').map((n) => n.id));
  return { ...doc, nodes: doc.nodes.filter((n) => !sweeps.has(n.id)), edges: doc.edges.filter((e) => !sweeps.has(e.from.node) && !sweeps.has(e.to.node)) };
}

/** The Evaluate node a sweep scores trials with: the first one downstream of every tuned node. */
/**
 * The node whose metrics score a trial: the first Evaluate node downstream of every tuned node, or
 * for a cross-validated metric (`cv_…`) the first Cross-validate node there.
 */
function evaluateNodeFor(doc: PipelineDoc, tuned: readonly string[], metric: string): PipelineNode {
  const kind = metric.startsWith('cv_') ? 'crossValidate' : 'evaluate';
  const candidates = topologicalOrder(doc).filter((n) => n.kind === kind && tuned.every((t) => ancestorsOf(doc, n.id).has(t)));
  const what = kind === 'evaluate' ? 'an Evaluate node' : `a Cross-validate node (the metric ${metric} is cross-validated)`;
  if (candidates.length === 0) throw new UserInputError(`The sweep needs ${what} after the node${tuned.length > 1 ? 's' : ''} it tunes (${tuned.join(', ')}).`);
  return candidates[0]!;
}

interface Trial {
  index: number;
  overrides: Overrides;
  evaluation?: Evaluation;
  model?: ModelValue;
  metric: number | null;
  error?: string;
  runId?: string;
}

async function runTrial(base: PipelineDoc, evalNode: PipelineNode, trial: Trial, env: RunEnv, cache: OutputCache, execute: Execute): Promise<void> {
  const doc = applyOverrides(base, trial.overrides);
  const quiet: RunEnv = { ...env };
  delete quiet.onEvent; // trial nodes would flood the canvas; the sweep reports trials instead
  const execution = await execute(doc, { mode: 'upTo', nodeId: evalNode.id }, quiet, cache);
  if (execution.cancelled) return;
  if (execution.failed) { trial.error = `${execution.failed.nodeId}: ${execution.failed.error?.message ?? 'failed'}`; return; }
  const metrics = execution.outputs.get(evalNode.id)?.['metrics'];
  const from = inputsOf(doc, evalNode.id).get('model');
  const model = from ? execution.outputs.get(from.node)?.[from.port] : undefined;
  if (metrics?.type === 'metrics') trial.evaluation = metrics.evaluation;
  if (model?.type === 'model') trial.model = model;
}

/**
 * Runs a Sweep node: every trial is the pipeline (without sweeps) with the trial's `NODE.PARAM`
 * values, run up to the Evaluate node downstream of the tuned nodes; unchanged nodes come from the
 * shared cache, and `env.concurrency` trials train at once. Each finished trial is handed to
 * `env.onTrial` (tracked as a child run). Outputs the best trial's model and a metrics value with
 * every trial. Extra param `method`: 'grid' (default) or 'random'.
 */
export async function runSweep(doc: PipelineDoc, node: PipelineNode, env: RunEnv, cache: OutputCache, execute: Execute): Promise<NodeOutputs> {
  const p = nodeCatalog.sweep.params.parse(node.params);
  const method = z.object({ method: z.enum(['grid', 'random']).default('grid') }).parse(node.params).method;
  const base = withoutSweeps(doc);
  const tuned = [...new Set(Object.keys(p.space).map((k) => k.split('.')[0]!))];
  const evalNode = evaluateNodeFor(base, tuned, p.metric);
  const trials: Trial[] = sweepTrials(p.space, method, p.trials, p.seed).map((overrides, index) => ({ index, overrides, metric: null }));
  let metric = p.metric;
  let next = 0;
  const worker = async () => {
    while (next < trials.length && !env.signal?.aborted) {
      const trial = trials[next++]!;
      await runTrial(base, evalNode, trial, env, cache, execute);
      if (env.signal?.aborted) return;
      if (trial.evaluation && metric === '') metric = defaultMetric(trial.evaluation);
      const value = trial.evaluation?.metrics[metric];
      trial.metric = typeof value === 'number' && Number.isFinite(value) ? value : null;
      if (trial.evaluation && trial.metric === null && !trial.error) trial.error = `the evaluation has no metric "${metric}"`;
      const report: TrialReport = { sweepNodeId: node.id, index: trial.index, overrides: trial.overrides, metric: trial.metric, params: trial.overrides, ...(trial.error ? { error: toErrorData(new UserInputError(trial.error)) } : {}), ...(trial.evaluation ? { evaluation: trial.evaluation } : {}), ...(trial.model ? { model: trial.model } : {}) };
      const runId = await env.onTrial?.(report);
      if (runId) trial.runId = runId;
      env.onEvent?.({ type: 'trial', nodeId: node.id, index: trial.index, total: trials.length, metric: trial.metric, overrides: trial.overrides, ...(runId ? { runId } : {}), ...(trial.error ? { error: trial.error } : {}) });
      env.onEvent?.({ type: 'progress', nodeId: node.id, progress: { done: trials.filter((t) => t.evaluation || t.error).length, total: trials.length, message: 'trials' } });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(env.concurrency, trials.length)) }, worker));
  if (env.signal?.aborted) throw new CancelledError();
  return sweepOutputs(trials, metric);
}

function sweepOutputs(trials: Trial[], metric: string): NodeOutputs {
  const direction = metricDirection(metric);
  let best = -1;
  for (const t of trials) {
    if (t.metric === null || !t.model) continue;
    const current = best < 0 ? null : trials[best]!.metric!;
    if (current === null || (direction === 'max' ? t.metric > current : t.metric < current)) best = t.index;
  }
  if (best < 0) throw new UserInputError(`No trial of the sweep finished${trials[0]?.error ? `: ${trials[0].error}` : ''}.`);
  const winner = trials[best]!;
  const summary: SweepSummary = {
    metric, direction, best,
    trials: trials.map((t) => ({ index: t.index, overrides: t.overrides, metric: t.metric, ...(t.runId ? { runId: t.runId } : {}), ...(t.error ? { error: t.error } : {}) })),
  };
  return { model: winner.model!, metrics: { type: 'metrics', evaluation: winner.evaluation!, sweep: summary } };
}
