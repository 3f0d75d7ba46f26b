import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { throwIfAborted, UserInputError } from '../../../app/base/errors';
import { asId, type RunId } from '../../../app/base/ids';
import type { CancelSignal } from '../../../app/base/signal';
import { curlExamples } from '../../../app/export/docs';
import type { Cell, ServingSpec } from '../../../app/export/types';
import { evaluatedModel } from '../../../app/pipeline/run/results';
import { parsePipeline } from '../../../app/pipeline/serialize';
import type { ExportRunResult, exportMethods, RerunMetric, RerunVerdict } from '../../../app/protocol/methods/export';
import type { DomainHandlers } from '../../../app/protocol/spec';
import type { Backend, WorkspaceResource } from '../backend';
import { exportBundle, signatureFromModel } from '../export/export-bundle';
import { createOnnxScorer } from '../pipeline/onnx-scorer';
import { trainPipeline, type PipelineHost } from '../pipeline/runner';
import { MODEL_ARTIFACT, PIPELINE_ARTIFACT } from '../pipeline/track';
import { createTrainPool, type TrainPool } from '../pipeline/worker-pool';
import type { RunStore } from '../runs/run-store';
import { workspaceDatabase } from './data-service';
import { runsResource } from './runs-service';

/** Where one-click exports go inside the workspace. */
export const EXPORTS_DIR = 'exports';

/** A folder name from a run name: letters, digits, `.`, `_` and `-` only. */
export function bundleFolderName(name: string, fallback: string): string {
  const clean = name.trim().replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '').slice(0, 80);
  return clean || fallback;
}

/** `exports/<base>`, or `exports/<base>-2`, `-3` … when that folder exists and is not empty. */
async function freeBundleDir(root: string, base: string): Promise<string> {
  for (let i = 1; ; i++) {
    const rel = `${EXPORTS_DIR}/${i === 1 ? base : `${base}-${i}`}`;
    const entries = await readdir(join(root, ...rel.split('/'))).catch(() => []);
    if (entries.length === 0) return rel;
  }
}

function exampleOf(value: unknown): { columns: string[]; data: Cell[][] } {
  if (value === null || typeof value !== 'object' || !('columns' in value) || !('data' in value) || !Array.isArray(value.columns) || !Array.isArray(value.data)) return { columns: [], data: [] };
  return { columns: value.columns.map(String), data: value.data.filter(Array.isArray) };
}

function isServingSpec(value: unknown): value is ServingSpec {
  return value !== null && typeof value === 'object' && 'modelName' in value && 'inputs' in value && Array.isArray(value.inputs);
}

/**
 * Inputs that may be missing at serving time: text columns (a missing text is the empty string,
 * which the app's one-hot and label steps already treat as an unseen category) and the columns an
 * Impute node of the run's pipeline fills.
 */
async function optionalInputs(store: RunStore, id: RunId, artifacts: readonly { path: string }[]): Promise<string[]> {
  const model = artifacts.find((a) => a.path === MODEL_ARTIFACT) ?? artifacts.find((a) => a.path.endsWith('.onnx'));
  if (!model) return [];
  const { inputs } = signatureFromModel(new Uint8Array(await store.readArtifact(id, model.path)), new Set());
  const imputed = new Set<string>();
  if (artifacts.some((a) => a.path === PIPELINE_ARTIFACT)) {
    const doc = parsePipeline((await store.readArtifact(id, PIPELINE_ARTIFACT)).toString('utf8'));
    for (const node of doc.nodes) {
      const columns: unknown = node.kind === 'impute' ? node.params['columns'] : undefined;
      if (Array.isArray(columns)) for (const c of columns) imputed.add(String(c));
    }
  }
  return inputs.filter((i) => i.type === 'string' || imputed.has(i.name)).map((i) => i.name);
}

/**
 * Exports run `runId` of the workspace at `root` into `outDir` (workspace-relative; default
 * `exports/<run name>`), and returns what the UI shows: the folder, the files and curl examples.
 */
export async function exportRunToWorkspace(root: string, store: RunStore, runId: string, options: { outDir?: string; zip?: boolean; version: string }): Promise<ExportRunResult> {
  const record = await store.getRun(asId<RunId>(runId));
  if (!record.artifacts.some((a) => a.path.endsWith('.onnx'))) throw new UserInputError(`Run ${record.name} has no compiled model to export.`);
  const rel = options.outDir ?? (await freeBundleDir(root, bundleFolderName(record.name, record.id)));
  const result = await exportBundle(root, record.id, join(root, ...rel.split('/')), { zip: options.zip ?? false, versions: { vajra: options.version }, optionalColumns: await optionalInputs(store, record.id, record.artifacts) });
  const spec: unknown = JSON.parse(await readFile(join(result.dir, 'serving.json'), 'utf8'));
  if (!isServingSpec(spec)) throw new Error('The bundle has no valid serving.json.');
  const example = exampleOf(JSON.parse(await readFile(join(result.dir, 'input_example.json'), 'utf8')));
  const toRel = (path: string) => relative(root, path).split(sep).join('/');
  return {
    runId: record.id, dir: toRel(result.dir), absoluteDir: result.dir, files: result.files, bytes: result.bytes,
    ...(result.zipPath ? { zip: toRel(result.zipPath) } : {}),
    modelName: spec.modelName,
    curl: curlExamples(spec, example),
  };
}

/** Evaluation metrics keyed as `finishPipelineRun` logs them (bare with one Evaluate node). */
function executionMetrics(doc: ReturnType<typeof parsePipeline>, outputs: Awaited<ReturnType<typeof trainPipeline>>['execution']['outputs']): Map<string, number> {
  const evaluates = doc.nodes.filter((n) => n.kind === 'evaluate' || n.kind === 'sweep');
  const out = new Map<string, number>();
  for (const node of evaluates) {
    const value = outputs.get(node.id)?.['metrics'];
    if (value?.type !== 'metrics') continue;
    const prefix = evaluates.length === 1 ? '' : `${node.id}.`;
    for (const [k, v] of Object.entries(value.evaluation.metrics)) if (Number.isFinite(v)) out.set(`${prefix}${k}`, v);
  }
  return out;
}

/**
 * Re-creates run `runId` from its pipeline snapshot and the workspace data (untracked) and
 * compares the rebuilt `model.onnx` byte for byte and every evaluation metric exactly.
 */
export async function rerunVerdict(host: PipelineHost, store: RunStore, runId: string, signal?: CancelSignal): Promise<RerunVerdict> {
  const id = asId<RunId>(runId);
  const run = await store.getRun(id);
  if (!run.artifacts.some((a) => a.path === PIPELINE_ARTIFACT)) throw new UserInputError(`Run ${runId} has no pipeline snapshot, so it cannot be re-run.`);
  const doc = parsePipeline((await store.readArtifact(id, PIPELINE_ARTIFACT)).toString('utf8'));
  const stored = run.artifacts.some((a) => a.path === MODEL_ARTIFACT) ? await store.readArtifact(id, MODEL_ARTIFACT) : Buffer.alloc(0);
  const { execution } = await trainPipeline(host, { doc, path: PIPELINE_ARTIFACT, ...(signal ? { signal } : {}) });
  if (signal) throwIfAborted(signal);
  const rebuilt = Buffer.from(evaluatedModel(doc, execution)?.onnx ?? new Uint8Array(0));
  const rebuiltMetrics = executionMetrics(doc, execution.outputs);
  const storedMetrics = new Map((await store.readMetrics(id)).filter((p) => p.step === 0 && !/(^|\.)(train|valid)_loss$/.test(p.key)).map((p) => [p.key, p.value]));
  const keys = [...new Set([...storedMetrics.keys(), ...rebuiltMetrics.keys()])].sort();
  const metrics: RerunMetric[] = keys.map((key) => ({ key, stored: storedMetrics.get(key) ?? null, rebuilt: rebuiltMetrics.get(key) ?? null }));
  const recorded = new Map(run.repro.datasets.map((d) => [d.name, d.fingerprint]));
  const failed = execution.failed ? { nodeId: execution.failed.nodeId, message: execution.failed.error?.message ?? 'failed' } : undefined;
  return {
    runId,
    identical: stored.length > 0 && Buffer.compare(stored, rebuilt) === 0,
    storedBytes: stored.length,
    rebuiltBytes: rebuilt.length,
    metricsEqual: metrics.length > 0 && metrics.every((m) => m.stored !== null && m.stored === m.rebuilt),
    metrics,
    changedData: execution.sources.filter((s) => recorded.has(s.dataset) && recorded.get(s.dataset) !== s.fingerprint).map((s) => s.dataset),
    ...(failed ? { failed } : {}),
  };
}

/** One training worker for re-runs, opened on first use and closed with the workspace. */
class RerunPool implements WorkspaceResource {
  readonly pool: TrainPool = createTrainPool(1);
  readonly score = createOnnxScorer();
  async close(): Promise<void> {
    await this.pool.close();
  }
}

export function exportHandlers(backend: Backend): DomainHandlers<typeof exportMethods> {
  return {
    'export.run': async ({ runId, outDir, zip }, { signal, progress }) => {
      const runs = await runsResource(backend);
      progress({ done: 0, total: 2, message: 'Building the bundle' });
      throwIfAborted(signal);
      const result = await exportRunToWorkspace(backend.requireWorkspace().root, runs.store, runId, { ...(outDir ? { outDir } : {}), zip, version: backend.options.version });
      progress({ done: 2, total: 2, message: `Wrote ${result.dir}` });
      return result;
    },
    'runs.rerun': async ({ runId }, { signal, progress }) => {
      const runs = await runsResource(backend);
      const p = await backend.resource('export-rerun', async () => new RerunPool());
      const { engine } = await workspaceDatabase(backend);
      progress({ done: 0, total: 1, message: 'Re-running the pipeline' });
      const host: PipelineHost = { root: backend.requireWorkspace().root, engine, fitModel: p.pool.fit, score: p.score, concurrency: 1, version: backend.options.version };
      const verdict = await rerunVerdict(host, runs.store, runId, signal);
      progress({ done: 1, total: 1 });
      return verdict;
    },
  };
}
