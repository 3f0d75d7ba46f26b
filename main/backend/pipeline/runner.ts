import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { UserInputError } from '../../../app/base/errors';
import type { RunId } from '../../../app/base/ids';
import type { CancelSignal } from '../../../app/base/signal';
import type { Engine } from '../../../app/data/engine';
import type { PipelineDoc } from '../../../app/pipeline/document';
import { createOutputCache, executePipeline } from '../../../app/pipeline/run/execute';
import type { Execution, OutputCache } from '../../../app/pipeline/run/execute';
import { applyOverrides } from '../../../app/pipeline/run/overrides';
import type { Overrides } from '../../../app/pipeline/run/overrides';
import type { RunTarget } from '../../../app/pipeline/run/plan';
import { evaluatedModel, firstEvaluation } from '../../../app/pipeline/run/results';
import type { ModelFitter, OnnxScorer, RunEnv, RunEvent, ValidationOutcome } from '../../../app/pipeline/run/types';
import { parsePipeline } from '../../../app/pipeline/serialize';
import { runSuite } from '../../../app/validate/run-suite';
import { parseSuite } from '../../../app/validate/suite';
import type { RunStore } from '../runs/run-store';
import { tableLabelSetVersions } from '../text-labels/lineage';
import { finishPipelineRun, MODEL_ARTIFACT, PIPELINE_ARTIFACT, startPipelineRun, trackTrial } from './track';

/** What a pipeline needs from its host: the workspace, its SQL engine, training and scoring. */
export interface PipelineHost {
  root: string;
  engine: Engine;
  fitModel: ModelFitter;
  score: OnnxScorer;
  /** Sweep trials at once (the training pool size). */
  concurrency: number;
  /** The Vajra version recorded in runs. */
  version: string;
}

/** One training request. With `store`, the execution becomes a tracked run (sweep trials child runs). */
export interface TrainOptions {
  doc: PipelineDoc;
  /** The pipeline file, relative to the workspace (recorded on the run). */
  path: string;
  target?: RunTarget;
  overrides?: Overrides;
  store?: RunStore;
  cache?: OutputCache;
  signal?: CancelSignal;
  onEvent?: (event: RunEvent) => void;
}

/** The execution, the run it was tracked as, and the metrics of the (first) Evaluate node. */
export interface TrainResult {
  doc: PipelineDoc;
  execution: Execution;
  runId?: RunId;
  metrics: Record<string, number>;
}

/** A workspace file's absolute path; refuses paths that leave the workspace. */
export function workspaceFile(root: string, path: string): string {
  const full = resolve(root, path);
  const rel = relative(root, full);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new UserInputError(`"${path}" is outside the workspace.`);
  return full;
}

async function validateWithSuite(host: PipelineHost, relation: string, suitePath: string, signal?: CancelSignal): Promise<ValidationOutcome> {
  const suite = parseSuite(await readFile(workspaceFile(host.root, suitePath), 'utf8'));
  const result = await runSuite(host.engine, suite, { table: relation, ...(signal ? { signal } : {}) });
  const { passed, failed, warned, errored } = result.counts;
  return { success: result.success, counts: result.counts, summary: `${suite.name}: ${passed} passed, ${failed} failed, ${warned} warned, ${errored} could not run (${result.rowCount} rows).` };
}

/** The RunEnv of a host: real files, SHA-256 fingerprints, the host's engine, trainer and scorer. */
export function hostEnv(host: PipelineHost, extra: Partial<RunEnv> = {}): RunEnv {
  return {
    engine: host.engine,
    score: host.score,
    fitModel: host.fitModel,
    readFile: async (path) => new Uint8Array(await readFile(workspaceFile(host.root, path))),
    hash: (bytes) => createHash('sha256').update(bytes).digest('hex'),
    clock: { now: () => Date.now() },
    concurrency: host.concurrency,
    validate: (relation, suite, signal) => validateWithSuite(host, relation, suite, signal),
    ...extra,
  };
}

/**
 * Runs a pipeline (with `--set`-style overrides) and, given a run store, tracks it: the run is
 * created first (status running, pipeline snapshot, params, versions), then metrics, curves,
 * `model.onnx` and evaluation JSON are logged and the run finished as finished/failed/killed.
 */
export async function trainPipeline(host: PipelineHost, options: TrainOptions): Promise<TrainResult> {
  const doc = applyOverrides(options.doc, options.overrides ?? {});
  const now = () => Date.now();
  const store = options.store;
  const runId = store ? await startPipelineRun({ store, doc, path: options.path, root: host.root, version: host.version, kind: doc.nodes.some((n) => n.kind === 'sweep') ? 'sweep' : 'pipeline' }) : undefined;
  const env = hostEnv(host, {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(store && runId ? { onTrial: (trial) => trackTrial(store, runId, doc, trial, now) } : {}),
  });
  let execution: Execution;
  try {
    execution = await executePipeline(doc, options.target ?? { mode: 'all' }, env, options.cache ?? createOutputCache());
  } catch (error) {
    if (store && runId) await store.finishRun(runId, 'failed');
    throw error;
  }
  // Tables written from a label set (the label model's result) name its version: the run cites it.
  const labelSets = store && runId ? await tableLabelSetVersions(host.engine, execution.sources.map((s) => s.dataset)) : [];
  const metrics = store && runId ? await finishPipelineRun(store, runId, doc, execution, now, labelSets) : firstEvaluation(doc, execution)?.metrics ?? {};
  return { doc, execution, metrics, ...(runId ? { runId } : {}) };
}

/** Outcome of rebuilding a run: whether the rebuilt model.onnx equals the stored one byte for byte. */
export interface RerunResult {
  runId: string;
  identical: boolean;
  storedBytes: number;
  rebuiltBytes: number;
  /** Datasets whose fingerprint differs from the one recorded on the run. */
  changedData: string[];
  failed?: { nodeId: string; message: string };
}

/**
 * Rebuilds a run from its pipeline snapshot and the workspace data (not tracked) and compares the
 * compiled model with the run's `model.onnx`. Same data + seed must give identical bytes.
 */
export async function rerunRun(host: PipelineHost, store: RunStore, runId: RunId, signal?: CancelSignal): Promise<RerunResult> {
  const run = await store.getRun(runId);
  if (!run.artifacts.some((a) => a.path === PIPELINE_ARTIFACT)) throw new UserInputError(`Run ${runId} has no pipeline snapshot, so it cannot be rebuilt.`);
  const doc = parsePipeline((await store.readArtifact(runId, PIPELINE_ARTIFACT)).toString('utf8'));
  const stored = run.artifacts.some((a) => a.path === MODEL_ARTIFACT) ? new Uint8Array(await store.readArtifact(runId, MODEL_ARTIFACT)) : new Uint8Array(0);
  const env = hostEnv(host, signal ? { signal } : {});
  const execution = await executePipeline(doc, { mode: 'all' }, env, createOutputCache());
  const rebuilt = evaluatedModel(doc, execution)?.onnx ?? new Uint8Array(0);
  const recorded = new Map(run.repro.datasets.map((d) => [d.name, d.fingerprint]));
  const changedData = execution.sources.filter((s) => recorded.has(s.dataset) && recorded.get(s.dataset) !== s.fingerprint).map((s) => s.dataset);
  const identical = stored.length > 0 && stored.length === rebuilt.length && Buffer.compare(Buffer.from(stored), Buffer.from(rebuilt)) === 0;
  const failed = execution.failed ? { nodeId: execution.failed.nodeId, message: execution.failed.error?.message ?? 'failed' } : undefined;
  return { runId, identical, storedBytes: stored.length, rebuiltBytes: rebuilt.length, changedData, ...(failed ? { failed } : {}) };
}
