// A model with lag/rolling inputs, end to end: the real runner trains source → lag → rolling →
// split(time) → gradient boosting, the run is exported as the app's Export button does it, and
// the bundle's batch scorer and server, given only raw rows (day, store, y), must compute the
// lag/rolling columns with the model's own DuckDB SQL and give the app's evaluation to 1e-6.
import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { createRng } from '../../../app/base/rng';
import type { ServingSpec } from '../../../app/export/types';
import type { PipelineDoc, PipelineNode } from '../../../app/pipeline/document';
import { columnTableFromArrow } from '../../../app/pipeline/run/columns';
import { buildFeed } from '../../../app/pipeline/run/nodes-evaluate';
import type { TableValue } from '../../../app/pipeline/run/types';
import type { ExportRunResult } from '../../../app/protocol/methods/export';
import { openTestHost, type TestHost } from '../pipeline/pipeline.testkit';
import { trainPipeline } from '../pipeline/runner';
import { exportRunToWorkspace } from '../services/export-service';
import { startServer, type RunningServer } from './bundle.testkit';

const run = promisify(execFile);
let host: TestHost;
let bundle: ExportRunResult;
let server: RunningServer;
let web: Server | undefined;
/** The app's evaluation output per raw row, keyed `store:day` (both splits, NaN lags included). */
const app = new Map<string, number>();
/** Every raw row of the source, in the source's order. */
let raw: { day: number; store: number; y: number }[] = [];
const DERIVED = ['y_lag1', 'y_lag7', 'y_lag1_rollmean7', 'y_rollmax3'];
/** The first rows of the app's train split with the derived columns it computed (NaN lags → null). */
let derivedRows: Record<string, number | null>[] = [];

function node(id: string, kind: PipelineNode['kind'], params: Record<string, unknown>): PipelineNode {
  return { id, kind, params, position: { x: 0, y: 0 } };
}

function pipeline(): PipelineDoc {
  const part = { orderBy: 'day', partitionBy: 'store' };
  const features = [...DERIVED];
  const nodes = [
    node('source', 'source', { from: 'sql', sql: 'SELECT * FROM sales' }),
    node('lag', 'lag', { column: 'y', lags: [1, 7], ...part }),
    node('roll', 'rolling', { column: 'y_lag1', window: 7, fn: 'mean', ...part }),
    node('max', 'rolling', { column: 'y', window: 3, fn: 'max', ...part }),
    node('split', 'split', { method: 'time', column: 'day', testFraction: 0.25 }),
    node('gbdt', 'histGradientBoosting', { target: 'y', features, task: 'regression', maxIter: 15, seed: 1 }),
    node('evaluate', 'evaluate', {}),
  ];
  const pairs: [string, string, string, string][] = [
    ['source', 'data', 'lag', 'data'], ['lag', 'data', 'roll', 'data'], ['roll', 'data', 'max', 'data'], ['max', 'data', 'split', 'data'],
    ['split', 'train', 'gbdt', 'train'], ['gbdt', 'model', 'evaluate', 'model'], ['split', 'test', 'evaluate', 'data'],
  ];
  const edges = pairs.map(([a, ap, b, bp]) => ({ id: `${a}->${b}:${bp}`, from: { node: a, port: ap }, to: { node: b, port: bp } }));
  return { version: 1, id: 'sales', name: 'sales', nodes, edges };
}

/** `npm ci` needs the network: link the bundle server's runtime (and DuckDB, unless told not to). */
async function linkRuntime(dir: string, duckdb = true): Promise<void> {
  const modules = join(dir, 'server', 'node_modules');
  await mkdir(join(modules, '@duckdb'), { recursive: true });
  await symlink(resolve('node_modules/onnxruntime-node'), join(modules, 'onnxruntime-node'), 'dir');
  if (duckdb) await symlink(resolve('node_modules/@duckdb/node-api'), join(modules, '@duckdb', 'node-api'), 'dir');
}

beforeAll(async () => {
  host = await openTestHost();
  // A daily series per store: weekly season + trend + deterministic noise.
  await host.engine.exec(`CREATE TABLE sales AS SELECT d AS day, s AS store,
    100 + 20 * sin(2 * pi() * d / 7) + 0.1 * d + 10 * s + ((hash(d * 7 + s) % 1000) / 100.0) AS y
    FROM range(0, 160) AS r(d), range(0, 3) AS q(s)`);
  const result = await trainPipeline(host, { doc: pipeline(), path: 'sales.pipeline.json', store: host.store });
  expect(result.execution.failed).toBeUndefined();
  const model = result.execution.outputs.get('gbdt')?.['model'];
  if (model?.type !== 'model') throw new Error('the pipeline trained no model');
  const onnx = new Uint8Array(await host.store.readArtifact(result.runId!, 'model.onnx'));
  for (const port of ['train', 'test']) {
    const table = (result.execution.outputs.get('split')![port] as TableValue).table;
    const scored = (await host.score(onnx, model.feeds.map((f) => buildFeed(table, f))))['variable']!.data as Float64Array;
    const col = (name: string) => table.columns.find((c) => c.name === name)!.values as Float64Array;
    const [day, store] = [col('day'), col('store')];
    for (let r = 0; r < table.rows; r++) app.set(`${store[r]}:${day[r]}`, scored[r]!);
    if (port === 'train') {
      const names = ['day', 'store', 'y', ...DERIVED];
      derivedRows = Array.from({ length: 20 }, (_, r) => Object.fromEntries(names.map((n) => [n, Number.isNaN(col(n)[r]) ? null : col(n)[r]!])));
    }
  }
  const source = columnTableFromArrow(await host.engine.query('SELECT day::DOUBLE AS day, store::DOUBLE AS store, y FROM sales ORDER BY store, day'));
  const [day, store, y] = ['day', 'store', 'y'].map((n) => source.columns.find((c) => c.name === n)!.values as Float64Array);
  raw = Array.from({ length: source.rows }, (_, r) => ({ day: day![r]!, store: store![r]!, y: y![r]! }));
  bundle = await exportRunToWorkspace(host.root, host.store, result.runId!, { version: 'test' });
  await linkRuntime(bundle.absoluteDir);
  server = await startServer(bundle.absoluteDir);
}, 90_000);

afterAll(async () => {
  web?.close();
  if (server?.child.exitCode === null) server.child.kill('SIGTERM');
  await server?.exit;
  await host?.close();
});

/** Largest |bundle − app| over rows given as (store, day, value); every raw row must be there. */
function worstGap(scored: readonly { store: number; day: number; value: number }[]): number {
  expect(scored).toHaveLength(app.size);
  let worst = 0;
  for (const s of scored) {
    const want = app.get(`${s.store}:${s.day}`);
    expect(want, `row store ${s.store}, day ${s.day}`).toBeDefined();
    worst = Math.max(worst, Math.abs(s.value - want!));
  }
  return worst;
}

const cell = (v: number) => (Number.isNaN(v) ? '' : String(v));

async function post(path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('bundle of a model with lag/rolling inputs (vajra.derived_sql)', () => {
  it('serving.json, MLmodel, openapi.yaml, v2 metadata and README describe the raw columns day, store, y, not the derived ones', async () => {
    const dir = bundle.absoluteDir;
    const spec = JSON.parse(await readFile(join(dir, 'serving.json'), 'utf8')) as ServingSpec;
    expect(spec.inputs.map((i) => i.name)).toEqual(['day', 'store', ...DERIVED]);
    expect(spec.derived!.columns).toEqual(DERIVED);
    expect(spec.derived!.inputs.map((i) => `${i.name}:${i.tensorType}:${i.optional}`)).toEqual(['day:float64:false', 'store:float64:false', 'y:float64:true']);
    expect(spec.derived!.order).toEqual(['store', 'day']);
    const mlmodel = parse(await readFile(join(dir, 'MLmodel'), 'utf8')) as { signature: { inputs: string } };
    expect((JSON.parse(mlmodel.signature.inputs) as { name: string }[]).map((i) => i.name)).toEqual(['day', 'store', 'y']);
    const openapi = parse(await readFile(join(dir, 'openapi.yaml'), 'utf8')) as { components: { schemas: { Row: { properties: object; description: string } } } };
    expect(Object.keys(openapi.components.schemas.Row.properties)).toEqual(['day', 'store', 'y']);
    expect(openapi.components.schemas.Row.description).toMatch(/history rows first/);
    const metadata = (await (await fetch(`${server.url}/v2/models/${bundle.modelName}`)).json()) as { inputs: { name: string }[] };
    expect(metadata.inputs.map((i) => i.name)).toEqual(['day', 'store', 'y']);
    const readme = await readFile(join(dir, 'README.md'), 'utf8');
    expect(readme).toMatch(/### Lag and rolling inputs[\s\S]*gets a missing\s+value \(NaN\)/);
    expect(await readFile(join(dir, 'Dockerfile'), 'utf8')).not.toMatch(/--omit=optional/);
  });

  it('batch/score.js IN.csv OUT.csv, given raw rows in shuffled order, keeps the input order and equals the app\'s evaluation to 1e-6', async () => {
    const rng = createRng(3);
    const order = raw.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const inCsv = join(bundle.absoluteDir, '..', 'sales-in.csv');
    const outCsv = join(bundle.absoluteDir, '..', 'sales-out.csv');
    await writeFile(inCsv, `id,store,y,day\n${order.map((i, k) => `${k},${raw[i]!.store},${cell(raw[i]!.y)},${raw[i]!.day}`).join('\n')}\n`);
    await run(process.execPath, [join(bundle.absoluteDir, 'batch', 'score.js'), inCsv, outCsv, '--quiet', '--chunk-rows', '100']);
    const [header, ...rows] = (await readFile(outCsv, 'utf8')).trim().split('\n').map((l) => l.split(','));
    expect(header).toEqual(['id', 'store', 'y', 'day', 'variable']);
    expect(rows.map((r) => Number(r[0]))).toEqual(order.map((_, k) => k));
    const worst = worstGap(rows.map((r) => ({ store: Number(r[1]), day: Number(r[3]), value: Number(r[4]) })));
    expect(worst).toBeLessThanOrEqual(1e-6);
  }, 30_000);

  it('batch/score.js IN.parquet OUT.parquet goes through the same DuckDB SQL and equals the app\'s evaluation to 1e-6', async () => {
    const inPq = join(bundle.absoluteDir, '..', 'sales-in.parquet');
    const outPq = join(bundle.absoluteDir, '..', 'sales-out.parquet');
    await host.engine.exec(`COPY (SELECT store, day, y FROM sales ORDER BY day DESC, store) TO '${inPq}' (FORMAT parquet)`);
    await run(process.execPath, [join(bundle.absoluteDir, 'batch', 'score.js'), inPq, outPq, '--quiet']);
    const out = columnTableFromArrow(await host.engine.query(`SELECT store::DOUBLE AS store, day::DOUBLE AS day, variable::DOUBLE AS variable FROM read_parquet('${outPq}')`));
    const [store, day, value] = ['store', 'day', 'variable'].map((n) => out.columns.find((c) => c.name === n)!.values as Float64Array);
    expect(day![0]).toBe(159);
    expect(worstGap(Array.from(store!, (s, i) => ({ store: s, day: day![i]!, value: value![i]! })))).toBeLessThanOrEqual(1e-6);
  }, 30_000);

  it('POST /invocations and KServe v2 infer, given the raw rows (history first), equal the app\'s evaluation to 1e-6 on every row', async () => {
    const columns = ['day', 'store', 'y'];
    const data = raw.map((r) => [r.day, r.store, Number.isNaN(r.y) ? null : r.y]);
    const mlflow = await post('/invocations', { dataframe_split: { columns, data } });
    expect(mlflow.status, JSON.stringify(mlflow.json)).toBe(200);
    const predictions = mlflow.json['predictions'] as { variable: number }[];
    expect(worstGap(raw.map((r, i) => ({ store: r.store, day: r.day, value: predictions[i]!.variable })))).toBeLessThanOrEqual(1e-6);
    const inputs = columns.map((name, k) => ({ name, datatype: 'FP64', shape: [data.length, 1], data: data.map((row) => row[k]) }));
    const v2 = await post(`/v2/models/${bundle.modelName}/infer`, { inputs });
    expect(v2.status, JSON.stringify(v2.json)).toBe(200);
    const values = (v2.json['outputs'] as { data: number[] }[])[0]!.data;
    expect(worstGap(raw.map((r, i) => ({ store: r.store, day: r.day, value: values[i]! })))).toBeLessThanOrEqual(1e-6);
  });

  it('a request without the lagged column "y", or with a derived column, gets a 400 that names it', async () => {
    const noY = await post('/invocations', { dataframe_records: raw.slice(0, 5).map((r) => ({ day: r.day, store: r.store })) });
    expect(noY.status).toBe(400);
    expect(noY.json['message']).toMatch(/missing required column "y" \(the lag\/rolling inputs y_lag1, y_lag7, y_lag1_rollmean7, y_rollmax3 are computed from it\)/);
    const v2 = await post(`/v2/models/${bundle.modelName}/infer`, { inputs: [{ name: 'day', datatype: 'FP64', shape: [1], data: [1] }, { name: 'store', datatype: 'FP64', shape: [1], data: [0] }] });
    expect(v2.status).toBe(400);
    expect(v2.json['message']).toMatch(/Missing input tensor "y" \(the lag\/rolling inputs/);
    const derived = await post('/invocations', { dataframe_records: [{ day: 1, store: 0, y: 3, y_lag1: 2 }] });
    expect(derived.status).toBe(400);
    expect(derived.json['message']).toMatch(/column "y_lag1" is a lag\/rolling input that is computed from the rows themselves/);
  });

  it('batch/score.js names a missing source column, and says to install DuckDB when it is absent (batch and server)', async () => {
    const noY = join(bundle.absoluteDir, '..', 'sales-no-y.csv');
    await writeFile(noY, `day,store\n${raw.slice(0, 4).map((r) => `${r.day},${r.store}`).join('\n')}\n`);
    const score = (dir: string, input: string) => run(process.execPath, [join(dir, 'batch', 'score.js'), input, join(dir, '..', 'out.csv'), '--quiet']).then(() => '', (e: { stderr: string; code: number }) => `${e.code}: ${e.stderr}`);
    expect(await score(bundle.absoluteDir, noY)).toMatch(/^1: .*sales-no-y\.csv: missing column "y" \(the lag\/rolling inputs y_lag1, y_lag7, y_lag1_rollmean7, y_rollmax3 are computed from it\)/);
    const bare = join(bundle.absoluteDir, '..', 'no-duckdb');
    await cp(bundle.absoluteDir, bare, { recursive: true, filter: (src) => !src.includes('node_modules') });
    await linkRuntime(bare, false);
    const good = join(bundle.absoluteDir, '..', 'sales-good.csv');
    await writeFile(good, `day,store,y\n${raw.slice(0, 4).map((r) => `${r.day},${r.store},${cell(r.y)}`).join('\n')}\n`);
    expect(await score(bare, good)).toMatch(/^1: This model computes its lag\/rolling inputs \(y_lag1, .*\) from the rows with DuckDB, which is not installed: run `npm ci`/);
    await expect(startServer(bare)).rejects.toThrow(/DuckDB, which is not installed/);
  }, 30_000);

  it('web/score.js refuses rows without the derived columns in plain words, and scores rows that carry them like the app', async () => {
    const dir = bundle.absoluteDir;
    await mkdir(join(dir, 'web', 'ort'));
    for (const f of ['ort.wasm.min.mjs', 'ort.wasm.min.mjs.map', 'ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm']) await symlink(resolve('node_modules/onnxruntime-web/dist', f), join(dir, 'web', 'ort', f));
    web = createServer((req, res) => {
      readFile(join(dir, ...(req.url ?? '/').split('/'))).then((bytes) => res.end(bytes), () => res.writeHead(404).end());
    });
    await new Promise<void>((done) => web!.listen(0, '127.0.0.1', done));
    const address = web.address();
    const port = address && typeof address === 'object' ? address.port : 0;
    type Scorer = { score(rows: Record<string, number | null>[]): Promise<{ variable: number }[]> };
    const { createWebScorer } = (await import(join(dir, 'web', 'score.js'))) as { createWebScorer(o: { bundleUrl: string }): Promise<Scorer> };
    const scorer = await createWebScorer({ bundleUrl: `http://127.0.0.1:${port}/` });
    await expect(scorer.score(raw.slice(0, 3))).rejects.toThrow(/inputs y_lag1, y_lag7, y_lag1_rollmean7, y_rollmax3 are lag\/rolling columns that DuckDB computes from the rows' history .*the browser scorer cannot run that SQL/);
    const got = await scorer.score(derivedRows);
    expect(derivedRows.filter((r) => r['y_lag7'] === null).length).toBeGreaterThan(0);
    const gaps = derivedRows.map((r, i) => Math.abs(got[i]!.variable - app.get(`${r['store']}:${r['day']}`)!));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(1e-6);
  }, 30_000);
});
