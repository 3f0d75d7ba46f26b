import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import type { RunId } from '../../../app/base/ids';
import type { PipelineDoc } from '../../../app/pipeline/document';
import type { Execution } from '../../../app/pipeline/run/execute';
import { applyOverrides } from '../../../app/pipeline/run/overrides';
import { evaluatedModel } from '../../../app/pipeline/run/results';
import { withoutSweeps } from '../../../app/pipeline/run/sweep';
import type { Evaluation } from '../../../app/pipeline/run/evaluate';
import type { ModelValue, TrialReport } from '../../../app/pipeline/run/types';
import { serializePipeline } from '../../../app/pipeline/serialize';
import type { MetricPoint, ParamValue } from '../../../app/tracking/run-model';
import type { RunStore } from '../runs/run-store';
import { logExplanations } from './explain-artifacts';
import { validationArtifacts } from '../../../app/pipeline/run/validate-node';

/** The artifact holding the pipeline a run was trained from (what `rerunRun` rebuilds). */
export const PIPELINE_ARTIFACT = 'pipeline.json';
/** The artifact holding the compiled model that the run's evaluation scored. */
export const MODEL_ARTIFACT = 'model.onnx';

const require = createRequire(import.meta.url);

function libraryVersions(vajra: string): Record<string, string> {
  const versionOf = (name: string): string => {
    try {
      return String((require(`${name}/package.json`) as { version: unknown }).version);
    } catch {
      return 'unknown';
    }
  };
  return { vajra, 'onnxruntime-node': versionOf('onnxruntime-node'), '@duckdb/node-api': versionOf('@duckdb/node-api'), node: process.versions.node };
}

async function gitCommit(root: string): Promise<string | undefined> {
  try {
    const { stdout } = await promisify(execFile)('git', ['-C', root, 'rev-parse', 'HEAD'], { timeout: 2000 });
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Node params flattened to `NODE.PARAM` scalars (lists and objects as JSON text). */
export function flattenParams(doc: PipelineDoc): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const node of doc.nodes) {
    for (const [key, value] of Object.entries(node.params)) {
      out[`${node.id}.${key}`] = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : JSON.stringify(value);
    }
  }
  return out;
}

function firstSeed(doc: PipelineDoc): number | undefined {
  const seeded = doc.nodes.find((n) => typeof n.params['seed'] === 'number');
  return seeded ? Number(seeded.params['seed']) : undefined;
}

/** What a new pipeline run records before anything runs. */
export interface StartRunInput {
  store: RunStore;
  doc: PipelineDoc;
  path: string;
  root: string;
  version: string;
  kind: 'pipeline' | 'sweep' | 'trial';
  parentRunId?: string;
  name?: string;
}

/** Creates the run (status running) with params, tags, seed, versions, commit and the pipeline snapshot. */
export async function startPipelineRun(input: StartRunInput): Promise<RunId> {
  const { store, doc } = input;
  const commit = await gitCommit(input.root);
  const seed = firstSeed(doc);
  const run = await store.createRun({
    experiment: doc.name || input.path,
    name: input.name ?? doc.name,
    params: flattenParams(doc),
    tags: { 'vajra.source': input.kind, 'vajra.pipeline': input.path, 'vajra.pipeline_id': doc.id },
    repro: { codeSnapshots: [{ path: PIPELINE_ARTIFACT, kind: 'pipeline' }], versions: libraryVersions(input.version), ...(seed === undefined ? {} : { seed }), ...(commit ? { gitCommit: commit } : {}) },
    ...(input.parentRunId ? { lineage: { parentRunId: input.parentRunId } } : {}),
  });
  await store.addArtifact(run.id, PIPELINE_ARTIFACT, serializePipeline(doc), 'code');
  return run.id;
}

function metricPoints(prefix: string, metrics: Record<string, number>, now: number): MetricPoint[] {
  return Object.entries(metrics).filter(([, v]) => Number.isFinite(v)).map(([k, v]) => ({ key: `${prefix}${k}`, value: v, step: 0, timestamp: now }));
}

function curvePoints(prefix: string, model: ModelValue, now: number): MetricPoint[] {
  return model.history.flatMap((s) => [
    { key: `${prefix}train_loss`, value: s.trainLoss, step: s.iteration, timestamp: now },
    ...(s.validLoss === undefined ? [] : [{ key: `${prefix}valid_loss`, value: s.validLoss, step: s.iteration, timestamp: now }]),
  ]);
}

async function logEvaluation(store: RunStore, id: RunId, dir: string, evaluation: Evaluation): Promise<void> {
  const { roc, pr, calibration, confusion, residuals, perClass, ...rest } = evaluation;
  await store.addArtifact(id, `${dir}/metrics.json`, `${JSON.stringify({ ...rest, ...(perClass ? { perClass } : {}), ...(confusion ? { confusion } : {}) }, null, 2)}\n`, 'report');
  const curves = { ...(roc ? { roc } : {}), ...(pr ? { pr } : {}), ...(calibration ? { calibration } : {}), ...(confusion ? { confusion } : {}), ...(residuals ? { residuals } : {}) };
  if (Object.keys(curves).length > 0) await store.addArtifact(id, `${dir}/curves.json`, `${JSON.stringify(curves)}\n`, 'plot');
}

/**
 * Logs what an execution produced: evaluation metrics (bare keys when the pipeline has one
 * Evaluate node, `NODE.key` otherwise; likewise `cv_*` keys of Cross-validate nodes), training curves (`train_loss`/`valid_loss` by iteration),
 * `model.onnx` (the evaluated model; `models/NODE.onnx` for each model), evaluation JSON, the
 * data fingerprints; then finishes the run (failed when a node failed, killed when cancelled).
 */
export async function finishPipelineRun(store: RunStore, id: RunId, doc: PipelineDoc, execution: Execution, now: () => number, labelSetVersionIds: readonly string[] = []): Promise<Record<string, number>> {
  const evaluates = doc.nodes.filter((n) => n.kind === 'evaluate' || n.kind === 'sweep' || n.kind === 'crossValidate');
  const models = [...execution.outputs.entries()].flatMap(([nodeId, out]) => (out['model']?.type === 'model' && doc.nodes.find((n) => n.id === nodeId)?.kind !== 'sweep' ? [{ nodeId, model: out['model'] }] : []));
  const points: MetricPoint[] = [];
  let headline: Record<string, number> | undefined;
  // Cross-validation metrics (`cv_*`) join the headline beside the first Evaluate's: the first node wins a name.
  const crossValidated: Record<string, number> = {};
  for (const node of evaluates) {
    const value = execution.outputs.get(node.id)?.['metrics'];
    if (value?.type !== 'metrics') continue;
    const peers = evaluates.filter((n) => (n.kind === 'crossValidate') === (node.kind === 'crossValidate')).length;
    const prefix = peers === 1 ? '' : `${node.id}.`;
    points.push(...metricPoints(prefix, value.evaluation.metrics, now()));
    if (node.kind === 'crossValidate') for (const [k, v] of Object.entries(value.evaluation.metrics)) crossValidated[k] ??= v;
    else headline ??= value.evaluation.metrics;
    await logEvaluation(store, id, `evaluation/${node.id}`, value.evaluation);
    if (value.crossValidation) await store.addArtifact(id, `cross-validation/${node.id}.json`, `${JSON.stringify(value.crossValidation, null, 2)}\n`, 'report');
    if (value.sweep) await store.addArtifact(id, `sweep/${node.id}.json`, `${JSON.stringify(value.sweep, null, 2)}\n`, 'report');
  }
  for (const { nodeId, model } of models) {
    points.push(...curvePoints(models.length === 1 ? '' : `${nodeId}.`, model, now()));
    if (models.length > 1) await store.addArtifact(id, `models/${nodeId}.onnx`, model.onnx, 'model');
    await store.addArtifact(id, models.length > 1 ? `models/${nodeId}.summary.json` : 'model-summary.json', `${JSON.stringify(model.summary, null, 2)}\n`, 'report');
  }
  const evaluated = evaluatedModel(doc, execution) ?? models[0]?.model;
  if (evaluated) await store.addArtifact(id, MODEL_ARTIFACT, evaluated.onnx, 'model');
  await logExplanations(store, id, execution);
  // Validation results travel with the run (pass/fail, drift statistics) and the suite copy lets
  // an exported bundle answer /validate with the same expectations.
  const validation = validationArtifacts(doc, execution);
  for (const artifact of validation.artifacts) await store.addArtifact(id, artifact.path, artifact.text, 'report');
  points.push(...Object.entries(validation.metrics).map(([key, value]) => ({ key, value, step: 0, timestamp: now() })));
  if (points.length > 0) await store.logMetrics(id, points);
  const run = await store.getRun(id);
  await store.updateRun(id, {
    repro: { ...run.repro, datasets: execution.sources.map((s) => ({ name: s.dataset, fingerprint: s.fingerprint })) },
    ...(labelSetVersionIds.length > 0 ? { lineage: { ...run.lineage, labelSetVersionIds: [...new Set([...run.lineage.labelSetVersionIds, ...labelSetVersionIds])] } } : {}),
  });
  await store.finishRun(id, execution.cancelled ? 'killed' : execution.failed ? 'failed' : 'finished');
  return { ...crossValidated, ...headline };
}

/** Tracks one sweep trial as a finished (or failed) child run of `parentRunId`. */
export async function trackTrial(store: RunStore, parentRunId: string, doc: PipelineDoc, trial: TrialReport, now: () => number): Promise<RunId> {
  const run = await store.createRun({
    experiment: doc.name, name: `${doc.name} trial ${trial.index + 1}`,
    params: Object.fromEntries(Object.entries(trial.overrides).map(([k, v]) => [k, typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : JSON.stringify(v)])),
    tags: { 'vajra.source': 'trial', 'vajra.sweep_node': trial.sweepNodeId, 'vajra.trial': String(trial.index), ...(trial.error ? { 'vajra.error': trial.error.message.slice(0, 500) } : {}) },
    lineage: { parentRunId },
  });
  await store.addArtifact(run.id, PIPELINE_ARTIFACT, serializePipeline(applyOverrides(withoutSweeps(doc), trial.overrides)), 'code');
  if (trial.evaluation) {
    await store.logMetrics(run.id, metricPoints('', trial.evaluation.metrics, now()));
    await logEvaluation(store, run.id, 'evaluation', trial.evaluation);
  }
  if (trial.model) {
    await store.addArtifact(run.id, MODEL_ARTIFACT, trial.model.onnx, 'model');
    if (trial.model.history.length > 0) await store.logMetrics(run.id, curvePoints('', trial.model, now()));
  }
  await store.finishRun(run.id, trial.error ? 'failed' : 'finished');
  return run.id;
}
