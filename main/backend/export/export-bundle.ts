import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { Clock } from '../../../app/base/clock';
import { UserInputError } from '../../../app/base/errors';
import { buildBundle } from '../../../app/export/bundle';
import { formatVerifyReport, MANIFEST_FILE, verifyManifest, type VerifyReport } from '../../../app/export/manifest';
import type { BundleInput, Cell, ColumnType, SignatureInput, SignatureOutput } from '../../../app/export/types';
import { readOnnxModel } from '../../../app/onnx/reader';
import type { RunRecord } from '../../../app/tracking/run-model';
import { fsyncDir, writeFileAtomic } from '../fs/atomic';
import { ARTIFACTS_DIR, readRecord } from '../runs/run-folder';
import { zipFiles } from './zip';

/** Options of `exportBundle`. Every field is optional; defaults come from the run folder. */
export interface ExportOptions {
  /** Also write `<outDir>.zip` (deflate, deterministic). */
  zip?: boolean;
  /** Replace an existing non-empty `outDir` (default: refuse). */
  overwrite?: boolean;
  clock?: Clock;
  /** Example rows; default: the run's `input_example.json` artifact, else one synthetic row. */
  inputExample?: readonly Record<string, Cell>[];
  /** Input columns that may be missing (null) at serving time. */
  optionalColumns?: readonly string[];
  modelName?: string;
  /** Extra versions (e.g. `{ vajra: '0.1.0' }`), merged over the run's recorded versions. */
  versions?: Readonly<Record<string, string>>;
  expectations?: unknown;
  explainer?: unknown;
}

/** What `exportBundle` wrote. */
export interface ExportResult {
  dir: string;
  files: string[];
  bytes: number;
  zipPath?: string;
}

const OUTPUT_TYPES: Record<string, ColumnType> = { float: 'float', double: 'double', int64: 'long', int32: 'long', string: 'string', bool: 'boolean' };

function pickModel(record: RunRecord): string {
  const models = record.artifacts.filter((a) => a.kind === 'model' && a.path.endsWith('.onnx'));
  const chosen = models.find((a) => basename(a.path) === 'model.onnx') ?? models[0];
  if (!chosen) throw new UserInputError(`Run ${record.id} has no compiled model (.onnx artifact) to export.`);
  return chosen.path;
}

/** The signature from the compiled model: `vajra.columns` metadata, else the graph inputs. */
export function signatureFromModel(modelBytes: Uint8Array, optional: ReadonlySet<string>): { inputs: SignatureInput[]; outputs: SignatureOutput[] } {
  const info = readOnnxModel(modelBytes);
  const typeOf = (elem: string): ColumnType => OUTPUT_TYPES[elem] ?? 'string';
  const inputs: SignatureInput[] = info.inputs.map((i) => ({ name: i.name, type: i.elemType === 'string' ? 'string' : i.elemType === 'int64' ? 'long' : i.elemType === 'bool' ? 'boolean' : 'double', optional: optional.has(i.name) }));
  const outputs: SignatureOutput[] = info.outputs.map((o) => ({ name: o.name, type: typeOf(o.elemType), shape: o.shape.map((d) => (typeof d === 'number' ? d : -1)) }));
  return { inputs, outputs };
}

function syntheticRow(inputs: readonly SignatureInput[]): Record<string, Cell> {
  return Object.fromEntries(inputs.map((i) => [i.name, i.type === 'string' ? 'example' : i.type === 'boolean' ? false : 0]));
}

async function readArtifactJson(runDir: string, record: RunRecord, test: (path: string) => boolean): Promise<unknown> {
  const artifact = record.artifacts.find((a) => test(a.path));
  if (!artifact) return undefined;
  return JSON.parse(await readFile(join(runDir, ARTIFACTS_DIR, ...artifact.path.split('/')), 'utf8'));
}

function toCell(value: unknown): Cell {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null;
}

function exampleRows(value: unknown): Record<string, Cell>[] | undefined {
  if (value === null || typeof value !== 'object' || !('columns' in value) || !('data' in value)) return undefined;
  const { columns, data } = value;
  if (!Array.isArray(columns) || !Array.isArray(data)) return undefined;
  return data.filter(Array.isArray).map((row: unknown[]) => Object.fromEntries(columns.map((c: unknown, i) => [String(c), toCell(row[i])])));
}

/** Reads the run folder and assembles the bundle builder's input. */
export async function bundleInputFromRun(workspace: string, runId: string, options: ExportOptions = {}): Promise<BundleInput> {
  const runDir = join(workspace, 'runs', runId);
  const record = await readRecord(runDir);
  if (!record) throw new UserInputError(`No run "${runId}" in ${join(workspace, 'runs')}.`);
  const modelPath = pickModel(record);
  const modelBytes = new Uint8Array(await readFile(join(runDir, ARTIFACTS_DIR, ...modelPath.split('/'))));
  const signature = signatureFromModel(modelBytes, new Set(options.optionalColumns ?? []));
  const example = options.inputExample ?? exampleRows(await readArtifactJson(runDir, record, (p) => basename(p) === 'input_example.json')) ?? [syntheticRow(signature.inputs)];
  const expectations = options.expectations ?? (await readArtifactJson(runDir, record, (p) => p.endsWith('.expectations.json')));
  const explainer = options.explainer ?? (await readArtifactJson(runDir, record, (p) => basename(p) === 'explainer.json'));
  return {
    runId: record.id,
    ...(options.modelName ? { modelName: options.modelName } : {}),
    modelBytes,
    signature,
    inputExample: example,
    metadata: { experiment: record.experiment, runName: record.name, modelArtifact: modelPath },
    dataFingerprints: record.repro.datasets,
    versions: { ...record.repro.versions, ...options.versions },
    ...(expectations !== undefined ? { expectations } : {}),
    ...(explainer !== undefined ? { explainer } : {}),
    createdAtMs: (options.clock ?? { now: () => Date.now() }).now(),
  };
}

async function isNonEmptyDir(path: string): Promise<boolean> {
  try {
    return (await readdir(path)).length > 0;
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return false;
    throw error;
  }
}

/**
 * Writes `files` as the folder `outDir`, all or nothing: every file is written atomically into a
 * sibling temp folder, which is then renamed into place (an existing folder is replaced only
 * with `overwrite`). Returns the paths written.
 */
export async function writeBundle(files: ReadonlyMap<string, Uint8Array>, outDir: string, overwrite = false): Promise<void> {
  const target = resolve(outDir);
  if (!overwrite && (await isNonEmptyDir(target))) throw new UserInputError(`${target} exists and is not empty; choose another folder or overwrite it.`);
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    for (const [path, bytes] of files) await writeFileAtomic(join(temp, ...path.split('/')), bytes);
    const old = `${temp}.old`;
    const hadOld = await rename(target, old).then(() => true, () => false);
    await rename(temp, target);
    await fsyncDir(dirname(target));
    if (hadOld) await rm(old, { recursive: true, force: true });
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}

/**
 * `vajra export RUN --out DIR [--zip]`: reads run `runId` of `workspace` (its compiled model,
 * record and artifacts), builds the bundle and writes it to `outDir` (and `<outDir>.zip`).
 */
export async function exportBundle(workspace: string, runId: string, outDir: string, options: ExportOptions = {}): Promise<ExportResult> {
  const files = buildBundle(await bundleInputFromRun(workspace, runId, options));
  await writeBundle(files, outDir, options.overwrite ?? false);
  const bytes = [...files.values()].reduce((s, b) => s + b.length, 0);
  const result: ExportResult = { dir: resolve(outDir), files: [...files.keys()], bytes };
  if (options.zip) {
    const zipPath = `${resolve(outDir)}.zip`;
    const prefix = basename(resolve(outDir));
    await writeFileAtomic(zipPath, zipFiles(new Map([...files].map(([p, b]) => [`${prefix}/${p}`, b]))));
    result.zipPath = zipPath;
  }
  return result;
}

async function listFiles(root: string, dir = root): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    // An installed server (npm ci) and the web runtime copy are not part of the exported bundle.
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') out.push(...(await listFiles(root, path)));
    } else if (entry.isFile()) out.push(relative(root, path).split(sep).join('/'));
  }
  return out;
}

/** `vajra verify BUNDLE`: checks every file against manifest.json (node_modules folders ignored). */
export async function verifyBundle(dir: string): Promise<VerifyReport & { text: string }> {
  if (!(await stat(dir).then((s) => s.isDirectory(), () => false))) {
    const report: VerifyReport = { ok: false, checked: 0, missing: [], changed: [], extra: [], problem: `${dir} is not a folder.` };
    return { ...report, text: formatVerifyReport(report) };
  }
  const actual = new Map<string, string>();
  for (const path of await listFiles(dir)) {
    if (path === MANIFEST_FILE) continue;
    actual.set(path, createHash('sha256').update(await readFile(join(dir, ...path.split('/')))).digest('hex'));
  }
  const manifest = await readFile(join(dir, MANIFEST_FILE), 'utf8').catch(() => undefined);
  const report = verifyManifest(manifest, actual);
  return { ...report, text: formatVerifyReport(report) };
}
