// Parity of the whole path: the real runner trains an example pipeline, the run is exported the
// way the app's Export button does it, and the bundle's own server and batch scorer (separate
// Node processes on onnxruntime-node) must give the app's evaluation predictions to 1e-6.
import { execFile } from 'node:child_process';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cell } from '../../../app/export/types';
import { buildFeed } from '../../../app/pipeline/run/nodes-evaluate';
import type { ScoreOutput, TableValue } from '../../../app/pipeline/run/types';
import type { ExportRunResult } from '../../../app/protocol/methods/export';
import { FAST_ADULT, openTestHost, type TestHost } from '../pipeline/pipeline.testkit';
import { trainPipeline } from '../pipeline/runner';
import { exportRunToWorkspace } from '../services/export-service';
import { startServer, type RunningServer } from './bundle.testkit';

let host: TestHost;
const servers: RunningServer[] = [];

beforeAll(async () => { host = await openTestHost(); }, 60_000);
afterAll(async () => {
  for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGTERM');
  await Promise.all(servers.map((s) => s.exit));
  await host?.close();
});

/** What the app scored: the test split's raw rows and the run's evaluation outputs on them. */
interface Trained {
  columns: string[];
  rows: Cell[][];
  app: Record<string, ScoreOutput>;
  bundle: ExportRunResult;
  server: RunningServer;
}

/** `npm ci` needs the network: link the bundle server's runtime to the workspace's copy. */
async function linkRuntime(bundleDir: string): Promise<void> {
  const modules = join(bundleDir, 'server', 'node_modules');
  await mkdir(join(modules, '@duckdb'), { recursive: true });
  await symlink(resolve('node_modules/onnxruntime-node'), join(modules, 'onnxruntime-node'), 'dir');
  await symlink(resolve('node_modules/@duckdb/node-api'), join(modules, '@duckdb', 'node-api'), 'dir');
}

async function trainAndExport(pipeline: string, overrides: Record<string, unknown>): Promise<Trained> {
  const doc = await host.pipeline(pipeline);
  const result = await trainPipeline(host, { doc, path: pipeline, overrides, store: host.store });
  expect(result.execution.failed).toBeUndefined();
  const model = result.execution.outputs.get('gbdt')?.['model'];
  if (model?.type !== 'model') throw new Error('the pipeline trained no model');
  const test = (result.execution.outputs.get('split')!['test'] as TableValue).table;
  // The app's predictions: the run's model.onnx scored on the test split, as its Evaluate node does.
  const onnx = new Uint8Array(await host.store.readArtifact(result.runId!, 'model.onnx'));
  const app = await host.score(onnx, model.feeds.map((f) => buildFeed(test, f)));
  const bundle = await exportRunToWorkspace(host.root, host.store, result.runId!, { version: 'test' });
  await linkRuntime(bundle.absoluteDir);
  const server = await startServer(bundle.absoluteDir);
  servers.push(server);
  const spec = JSON.parse(await readFile(join(bundle.absoluteDir, 'serving.json'), 'utf8')) as { inputs: { name: string }[] };
  const columns = spec.inputs.map((i) => i.name);
  const byName = new Map(test.columns.map((c) => [c.name, c]));
  const rows = Array.from({ length: test.rows }, (_, r) => columns.map((name): Cell => {
    const v = byName.get(name)!.values[r];
    return typeof v === 'number' ? (Number.isFinite(v) ? v : null) : v === undefined ? null : String(v);
  }));
  return { columns, rows, app, bundle, server };
}

function expectClose(actual: readonly number[], expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - Number(expected[i])));
  expect(worst).toBeLessThanOrEqual(1e-6);
}

async function postJson(url: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return JSON.parse(text);
}

type Prediction = Record<string, Cell | number[]>;

/** Sends every test row through both MLflow shapes and KServe v2; returns the outputs per route. */
async function serve(t: Trained, output: string): Promise<{ split: Prediction[]; records: Prediction[]; v2: Map<string, unknown[]> }> {
  const url = t.server.url;
  const { predictions: split } = (await postJson(`${url}/invocations`, { dataframe_split: { columns: t.columns, data: t.rows } })) as { predictions: Prediction[] };
  const records = (await postJson(`${url}/invocations`, { dataframe_records: t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]]))) })) as { predictions: Prediction[] };
  const metadata = (await (await fetch(`${url}/v2/models/${t.bundle.modelName}`)).json()) as { inputs: { name: string; datatype: string }[] };
  const inputs = metadata.inputs.map((m) => ({ name: m.name, datatype: m.datatype, shape: [t.rows.length, 1], data: t.rows.map((r) => r[t.columns.indexOf(m.name)]) }));
  const v2 = (await postJson(`${url}/v2/models/${t.bundle.modelName}/infer`, { inputs })) as { outputs: { name: string; data: unknown[] }[] };
  expect(v2.outputs.map((o) => o.name)).toContain(output);
  return { split, records: records.predictions, v2: new Map(v2.outputs.map((o) => [o.name, o.data])) };
}

async function batchScore(t: Trained): Promise<string[][]> {
  // A quoted empty field is an empty string; a bare one is a missing value.
  const cell = (v: Cell) => (v === null ? '' : typeof v === 'string' && (v === '' || /[",\n]/.test(v)) ? `"${v.replaceAll('"', '""')}"` : String(v));
  const inCsv = join(t.bundle.absoluteDir, '..', `${t.bundle.modelName}-in.csv`);
  const outCsv = join(t.bundle.absoluteDir, '..', `${t.bundle.modelName}-out.csv`);
  await writeFile(inCsv, `${t.columns.join(',')}\n${t.rows.map((r) => r.map(cell).join(',')).join('\n')}\n`);
  await promisify(execFile)(process.execPath, [join(t.bundle.absoluteDir, 'batch', 'score.js'), inCsv, outCsv, '--quiet', '--chunk-rows', '500']);
  const { parseCsv } = (await import(join(t.bundle.absoluteDir, 'server', 'lib', 'csv.js'))) as { parseCsv: (text: string) => string[][] };
  return parseCsv(await readFile(outCsv, 'utf8'));
}

/** Every app output, flattened row-major: numbers (label columns as text). */
function flat(predictions: Prediction[], name: string): unknown[] {
  return predictions.flatMap((p) => {
    const v = p[name];
    return Array.isArray(v) ? v : [v === null || v === undefined ? NaN : v];
  });
}

/** Compares every output of the app with the served and batch-scored ones. */
async function expectServedEqualsApp(t: Trained): Promise<void> {
  const outputs = Object.entries(t.app);
  const { split, records, v2 } = await serve(t, outputs[0]![0]);
  const [header, ...batch] = await batchScore(t);
  expect(batch).toHaveLength(t.rows.length);
  for (const [name, out] of outputs) {
    const want = out.data;
    const columns = header!.flatMap((h, i) => (h === name || h.startsWith(`${name}_`) ? [i] : []));
    const fromBatch = batch.flatMap((r) => columns.map((i) => r[i]!));
    if (Array.isArray(want)) {
      for (const got of [flat(split, name), flat(records, name), v2.get(name) ?? [], fromBatch]) expect(got).toEqual(want);
    } else {
      for (const got of [flat(split, name), flat(records, name), v2.get(name) ?? [], fromBatch]) expectClose(got.map(Number), want);
    }
  }
}

describe('export parity: trained example pipelines → bundle server and batch scorer', () => {
  it('adult-income (classification): /invocations (split, records), KServe v2 and batch/score.js equal the app\'s evaluation to 1e-6', async () => {
    const t = await trainAndExport('adult-income.pipeline.json', FAST_ADULT);
    expect(t.rows.length).toBe(1200);
    expect(t.bundle.dir).toMatch(/^exports\//);
    expect(t.bundle.curl[0]!.command).toContain('/invocations');
    expect(Object.keys(t.app).sort()).toEqual(['label', 'probabilities']);
    await expectServedEqualsApp(t);
  }, 90_000);

  it('wine-quality (regression): /invocations (split, records), KServe v2 and batch/score.js equal the app\'s evaluation to 1e-6', async () => {
    const t = await trainAndExport('wine-quality.pipeline.json', { 'gbdt.maxIter': 15 });
    expect(t.rows.length).toBeGreaterThan(900);
    expect(t.columns).toContain('fixed acidity');
    await expectServedEqualsApp(t);
  }, 90_000);
});
