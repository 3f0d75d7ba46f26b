import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { sha256Hex, toBytes, toText } from './bytes';
import { fromMlflowStatus, mlflowStatusNumber, paramsFromMlflow, paramToMlflow, parsePythonFloat, pythonFloat, tagsFromMlflow, tagsToMlflow } from './mlflow-entities';
import { runRecordSchema, type Artifact, type MetricPoint, type RunBundle, type RunRecord } from './run-model';

/**
 * MLflow FileStore layout (mlflow/store/tracking/file_store.py), as a virtual file map so the
 * caller does the I/O:
 *
 *   mlruns/<exp>/meta.yaml                      experiment: artifact_location, creation_time,
 *                                               experiment_id, last_update_time, lifecycle_stage, name
 *   mlruns/<exp>/<run>/meta.yaml                run info (status as integer 1..5)
 *   mlruns/<exp>/<run>/params/<key>             value, no newline
 *   mlruns/<exp>/<run>/metrics/<key>            lines "timestamp value step"
 *   mlruns/<exp>/<run>/tags/<key>               value, no newline
 *   mlruns/<exp>/<run>/artifacts/<path>         files
 *
 * Keys with `/` become sub-folders, as in MLflow. Vajra-only fields (repro, lineage, artifact
 * kinds) travel in the artifact `vajra-run.json`, param types in the tag `vajra.paramTypes`.
 */
export type VirtualFiles = Map<string, string | Uint8Array>;

/** The artifact that carries the whole Vajra record through MLflow. */
export const RECORD_ARTIFACT = 'vajra-run.json';

/** Options of `exportToMlflow`. */
export interface MlflowExportOptions {
  /** URI of the mlruns folder for artifact locations, e.g. `file:///home/me/mlruns`. */
  rootUri: string;
  /** Folder of the layout inside the map (default `mlruns`). */
  root?: string;
  /** Experiment name → MLflow experiment id; others get 1, 2, … in name order. */
  experimentIds?: Record<string, string>;
  userId?: string;
}

function yaml(data: Record<string, unknown>): string {
  const sorted = Object.fromEntries(Object.entries(data).sort(([a], [b]) => (a < b ? -1 : 1)));
  return stringifyYaml(sorted, { singleQuote: true, lineWidth: 0 });
}

function assignExperimentIds(bundles: readonly RunBundle[], given: Record<string, string>): Map<string, string> {
  const ids = new Map(Object.entries(given));
  const used = new Set(ids.values());
  let next = 1;
  for (const name of [...new Set(bundles.map((b) => b.record.experiment))].sort()) {
    if (ids.has(name)) continue;
    if (name === 'Default' && !used.has('0')) {
      ids.set(name, '0');
      used.add('0');
      continue;
    }
    while (used.has(String(next))) next++;
    ids.set(name, String(next));
    used.add(String(next));
  }
  return ids;
}

/** Writes runs in MLflow's file-store layout. Deterministic: no clock, no randomness. */
export function exportToMlflow(bundles: readonly RunBundle[], options: MlflowExportOptions): VirtualFiles {
  const root = options.root ?? 'mlruns';
  const files: VirtualFiles = new Map();
  const ids = assignExperimentIds(bundles, options.experimentIds ?? {});
  if (![...ids.values()].includes('0')) ids.set('Default', '0');
  for (const [name, id] of [...ids].sort((a, b) => (a[1] < b[1] ? -1 : 1))) {
    const runs = bundles.filter((b) => b.record.experiment === name);
    const created = runs.length > 0 ? Math.min(...runs.map((b) => b.record.startTime)) : 0;
    const updated = runs.length > 0 ? Math.max(...runs.map((b) => b.record.endTime ?? b.record.startTime)) : 0;
    files.set(`${root}/${id}/meta.yaml`, yaml({ artifact_location: `${options.rootUri}/${id}`, creation_time: created, experiment_id: id, last_update_time: updated, lifecycle_stage: 'active', name }));
  }
  for (const bundle of bundles) writeRun(files, bundle, `${root}/${ids.get(bundle.record.experiment)!}`, ids.get(bundle.record.experiment)!, options);
  return files;
}

function writeRun(files: VirtualFiles, bundle: RunBundle, expDir: string, expId: string, options: MlflowExportOptions): void {
  const { record } = bundle;
  const dir = `${expDir}/${record.id}`;
  files.set(`${dir}/meta.yaml`, yaml({
    artifact_uri: `${options.rootUri}/${expId}/${record.id}/artifacts`, deleted_time: null, end_time: record.endTime, entry_point_name: '',
    experiment_id: expId, lifecycle_stage: 'active', run_id: record.id, run_name: record.name, run_uuid: record.id, source_name: '',
    source_type: 4, source_version: '', start_time: record.startTime, status: mlflowStatusNumber(record.status), tags: [], user_id: options.userId ?? 'vajra',
  }));
  for (const [key, value] of Object.entries(record.params)) files.set(`${dir}/params/${key}`, paramToMlflow(value));
  for (const [key, value] of Object.entries(tagsToMlflow(record))) files.set(`${dir}/tags/${key}`, value);
  const lines = new Map<string, string>();
  for (const p of bundle.metrics) lines.set(p.key, `${lines.get(p.key) ?? ''}${p.timestamp} ${pythonFloat(p.value)} ${p.step}\n`);
  for (const [key, text] of lines) files.set(`${dir}/metrics/${key}`, text);
  for (const [path, bytes] of bundle.artifacts ?? []) files.set(`${dir}/artifacts/${path}`, bytes);
  files.set(`${dir}/artifacts/${RECORD_ARTIFACT}`, `${JSON.stringify(record, null, 2)}\n`);
}

/** One MLflow experiment found by the importer. */
export interface MlflowExperimentInfo {
  id: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: string;
}

/** Result of `importFromMlflow`: the runs and what was left out, with a reason. */
export interface MlflowImport {
  experiments: MlflowExperimentInfo[];
  bundles: RunBundle[];
  skipped: { path: string; reason: string }[];
}

const RESERVED = new Set(['tags', 'datasets', 'traces', '.trash', 'models']);

function readMeta(files: VirtualFiles, path: string): Record<string, unknown> | undefined {
  const data = files.get(path);
  if (data === undefined) return undefined;
  const parsed: unknown = parseYaml(toText(data));
  return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
}

function under(files: VirtualFiles, prefix: string): [string, string | Uint8Array][] {
  return [...files].filter(([path]) => path.startsWith(prefix)).map(([path, data]) => [path.slice(prefix.length), data]);
}

/** Reads runs from MLflow's file-store layout; active runs only (deleted ones are skipped). */
export function importFromMlflow(files: VirtualFiles, root = 'mlruns'): MlflowImport {
  const out: MlflowImport = { experiments: [], bundles: [], skipped: [] };
  const experimentDirs = new Set<string>();
  for (const path of files.keys()) {
    const m = new RegExp(`^${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/([^/]+)/meta\\.yaml$`).exec(path);
    if (m && !RESERVED.has(m[1]!)) experimentDirs.add(m[1]!);
  }
  for (const expDir of [...experimentDirs].sort()) {
    const meta = readMeta(files, `${root}/${expDir}/meta.yaml`)!;
    const experiment = { id: String(meta.experiment_id ?? expDir), name: String(meta.name ?? expDir), artifactLocation: String(meta.artifact_location ?? ''), lifecycleStage: String(meta.lifecycle_stage ?? 'active') };
    out.experiments.push(experiment);
    const runMetas = [...files.keys()].filter((p) => p.startsWith(`${root}/${expDir}/`) && /^[^/]+\/meta\.yaml$/.test(p.slice(`${root}/${expDir}/`.length)));
    for (const runMeta of runMetas.sort()) importRun(files, runMeta, experiment.name, out);
  }
  return out;
}

function importRun(files: VirtualFiles, metaPath: string, experiment: string, out: MlflowImport): void {
  const dir = metaPath.slice(0, -'meta.yaml'.length);
  const meta = readMeta(files, metaPath);
  if (!meta) return void out.skipped.push({ path: metaPath, reason: 'unreadable meta.yaml' });
  if (meta.lifecycle_stage === 'deleted') return void out.skipped.push({ path: metaPath, reason: 'deleted run' });
  const status = fromMlflowStatus(meta.status ?? 1);
  if (!status) return void out.skipped.push({ path: metaPath, reason: `unknown status ${String(meta.status)}` });
  const text = (prefix: string) => Object.fromEntries(under(files, `${dir}${prefix}/`).map(([k, v]) => [k, toText(v)]));
  const system = tagsFromMlflow(text('tags'));
  const metrics: MetricPoint[] = [];
  for (const [key, body] of Object.entries(text('metrics'))) {
    for (const line of body.split('\n')) {
      const parts = line.trim().split(' ');
      if (parts.length !== 2 && parts.length !== 3) continue;
      const value = parsePythonFloat(parts[1]!);
      if (value === undefined) continue;
      metrics.push({ key, value, timestamp: Math.trunc(Number(parts[0])), step: parts.length === 3 ? Math.trunc(Number(parts[2])) : 0 });
    }
  }
  const artifacts = new Map(under(files, `${dir}artifacts/`));
  const carried = artifacts.get(RECORD_ARTIFACT);
  artifacts.delete(RECORD_ARTIFACT);
  const saved = carried === undefined ? undefined : runRecordSchema.safeParse(JSON.parse(toText(carried)));
  const base: RunRecord | undefined = saved?.success ? saved.data : undefined;
  const list: Artifact[] = [...artifacts].map(([path, data]) => {
    const bytes = toBytes(data);
    return { path, size: bytes.length, sha256: sha256Hex(bytes), kind: base?.artifacts.find((a) => a.path === path)?.kind ?? 'other' };
  });
  const id = String(meta.run_id ?? meta.run_uuid ?? dir.split('/').at(-2));
  const parsed = runRecordSchema.safeParse({
    format: 1, id, experiment, name: String(meta.run_name || system.name || id), status,
    startTime: Number(meta.start_time ?? 0), endTime: meta.end_time === null || meta.end_time === undefined ? null : Number(meta.end_time),
    params: paramsFromMlflow(text('params'), system.paramTypes), tags: system.tags, artifacts: list,
    repro: { ...(base?.repro ?? {}), ...(system.gitCommit !== undefined ? { gitCommit: system.gitCommit } : {}) },
    lineage: { ...(base?.lineage ?? {}), ...(system.parentRunId !== undefined ? { parentRunId: system.parentRunId } : {}) },
  });
  if (!parsed.success) return void out.skipped.push({ path: metaPath, reason: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
  out.bundles.push({ record: parsed.data, metrics, artifacts });
}
