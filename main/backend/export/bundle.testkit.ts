// Fixtures for the export tests: real compiled pipelines, a bundle on disk whose server resolves
// onnxruntime-node from the workspace, and a server process started on a free port.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, symlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { buildBundle } from '../../../app/export/bundle';
import type { BundleInput, Cell } from '../../../app/export/types';
import { compilePipeline } from '../../../app/pipeline/compile';
import { createRng } from '../../../app/base/rng';
import { writeBundle } from './export-bundle';

const CITIES = ['Pune', 'Delhi', 'Goa'];

/** A 3-class multinomial logistic pipeline on (age: number, imputed; income: number; city: text, one-hot). */
export function classifierModel(): Uint8Array {
  const rng = createRng(7);
  const coef = Float64Array.from({ length: 3 * 5 }, () => rng.normal());
  return compilePipeline({
    pipelineId: 'p-classifier',
    columns: [{ name: 'age', type: 'number' }, { name: 'income', type: 'number' }, { name: 'city', type: 'string' }],
    steps: [
      { kind: 'impute', columns: [{ name: 'age', type: 'number', fill: 40 }] },
      { kind: 'scale', columns: [{ name: 'age', offset: 40, scale: 1 / 12 }, { name: 'income', offset: 50, scale: 1 / 20 }] },
      { kind: 'oneHot', handleUnknown: 'ignore', columns: [{ name: 'city', type: 'string', categories: CITIES }] },
    ],
    model: { kind: 'logisticRegression', coef, intercept: Float64Array.from([0.2, -0.1, 0.05]), nFeatures: 5, classes: ['low', 'mid', 'high'], multinomial: true },
  });
}

/** A linear regression pipeline on two numbers. */
export function regressorModel(): Uint8Array {
  return compilePipeline({
    pipelineId: 'p-regressor',
    columns: [{ name: 'x1', type: 'number' }, { name: 'x2', type: 'number' }],
    steps: [],
    model: { kind: 'linearRegression', coef: Float64Array.from([1.5, -2.25]), intercept: Float64Array.from([0.5]), nFeatures: 2, nOutputs: 1 },
  });
}

/** Test rows of the classifier: float32-exact numbers, every city plus an unknown one, some missing ages. */
export function classifierRows(n: number): Record<string, Cell>[] {
  const rng = createRng(11);
  return Array.from({ length: n }, (_, i) => ({
    age: i % 7 === 3 ? null : Math.fround(18 + rng.next() * 60),
    income: Math.fround(rng.next() * 120),
    city: i % 9 === 4 ? 'Mumbai' : CITIES[i % 3]!,
  }));
}

export function regressorRows(n: number): Record<string, Cell>[] {
  const rng = createRng(12);
  return Array.from({ length: n }, () => ({ x1: Math.fround(rng.normal()), x2: Math.fround(rng.normal() * 3) }));
}

export function classifierInput(extra: Partial<BundleInput> = {}): BundleInput {
  return {
    runId: 'run-clf-1',
    modelBytes: classifierModel(),
    signature: {
      inputs: [{ name: 'age', type: 'double', optional: true }, { name: 'income', type: 'double' }, { name: 'city', type: 'string' }],
      outputs: [{ name: 'label', type: 'string' }, { name: 'probabilities', type: 'float', shape: [-1, 3] }],
    },
    inputExample: classifierRows(2),
    dataFingerprints: [{ name: 'customers', fingerprint: 'sha256:abc' }],
    versions: { vajra: '0.1.0', 'onnxruntime-node': '1.30.0', 'onnxruntime-web': '1.30.0' },
    createdAtMs: Date.UTC(2026, 10, 3, 9, 30, 15, 250),
    ...extra,
  };
}

export function regressorInput(): BundleInput {
  return {
    runId: 'run-reg-1',
    modelBytes: regressorModel(),
    signature: { inputs: [{ name: 'x1', type: 'double' }, { name: 'x2', type: 'double' }], outputs: [{ name: 'variable', type: 'float', shape: [-1, 1] }] },
    inputExample: regressorRows(1),
    dataFingerprints: [],
    versions: { vajra: '0.1.0' },
    createdAtMs: Date.UTC(2026, 0, 1),
  };
}

/**
 * Writes the bundle to `dir` and links server/node_modules/onnxruntime-node (and
 * @duckdb/node-api) to the workspace's copies: `npm ci` needs the network, and ESM resolution
 * ignores NODE_PATH, so a symlink is how the bundle's own `import 'onnxruntime-node'` resolves.
 */
export async function writeRunnableBundle(input: BundleInput, dir: string): Promise<Map<string, Uint8Array>> {
  const files = buildBundle(input);
  await writeBundle(files, dir);
  const modules = join(dir, 'server', 'node_modules');
  await mkdir(join(modules, '@duckdb'), { recursive: true });
  await symlink(resolve('node_modules/onnxruntime-node'), join(modules, 'onnxruntime-node'), 'dir');
  await symlink(resolve('node_modules/@duckdb/node-api'), join(modules, '@duckdb', 'node-api'), 'dir');
  return files;
}

/** A started bundle server: its base URL, the process, and its collected stderr. */
export interface RunningServer {
  url: string;
  child: ChildProcess;
  stderr: () => string;
  exit: Promise<number | null>;
}

/** Starts `node server/index.js --port 0` in `dir` and resolves once it prints its address. */
export function startServer(dir: string, args: string[] = []): Promise<RunningServer> {
  const child = spawn(process.execPath, [join(dir, 'server', 'index.js'), '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return new Promise((done, fail) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.includes('"listening"'));
      if (line) done({ url: (JSON.parse(line) as { url: string }).url, child, stderr: () => err, exit });
    });
    void exit.then((code) => fail(new Error(`server exited (${code}) before listening: ${err}`)));
  });
}

/** onnxruntime-node's own outputs for rows (the reference the bundle must match). */
export async function directOutputs(model: Uint8Array, rows: readonly Record<string, Cell>[], columns: readonly { name: string; type: 'number' | 'string' }[]): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1 });
  const feeds: Record<string, ort.Tensor> = {};
  for (const c of columns) {
    feeds[c.name] = c.type === 'number'
      ? new ort.Tensor('float32', Float32Array.from(rows, (r) => (r[c.name] === null ? NaN : Number(r[c.name]))), [rows.length, 1])
      : new ort.Tensor('string', rows.map((r) => String(r[c.name] ?? '')), [rows.length, 1]);
  }
  const out = await session.run(feeds);
  await session.release();
  return out;
}
