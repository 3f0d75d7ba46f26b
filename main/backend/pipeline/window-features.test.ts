import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { quoteLiteral } from '../../../app/data/engine';
import { predictRaw } from '../../../app/ml/trees/predict';
import { readOnnxModel } from '../../../app/onnx/reader';
import { nodeSpec } from '../../../app/pipeline/catalog';
import { METADATA_KEYS } from '../../../app/pipeline/compile';
import type { PipelineDoc, PipelineNode } from '../../../app/pipeline/document';
import { featureMatrix, columnTableFromArrow } from '../../../app/pipeline/run/columns';
import { createOutputCache, executePipeline } from '../../../app/pipeline/run/execute';
import { buildFeed } from '../../../app/pipeline/run/nodes-evaluate';
import type { TableValue } from '../../../app/pipeline/run/types';
import { transformSteps } from '../../../app/pipeline/steps/index';
import { openTestHost, type TestHost } from './pipeline.testkit';
import { hostEnv, trainPipeline } from './runner';

interface WindowFixture {
  rows: { t: number; store: string; y: number | null }[];
  /** Column → t → value, from pandas shift / rolling (tools/fixtures/pipeline/make_fixtures.py). */
  expected: Record<string, Record<string, number | null>>;
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/window-features.json', import.meta.url), 'utf8')) as WindowFixture;

let host: TestHost;
beforeAll(async () => {
  host = await openTestHost();
  const values = fixture.rows.map((r) => `(${r.t}, ${quoteLiteral(r.store)}, ${r.y === null ? 'NULL' : r.y}::DOUBLE)`).join(', ');
  await host.engine.exec(`CREATE TABLE series AS SELECT * FROM (VALUES ${values}) AS v(t, store, y)`);
  // A daily series per store: weekly season + trend + deterministic noise; y depends on its own past.
  await host.engine.exec(`CREATE TABLE sales AS SELECT d AS day, s AS store,
    100 + 20 * sin(2 * pi() * d / 7) + 0.1 * d + 10 * s + ((hash(d * 7 + s) % 1000) / 100.0) AS y
    FROM range(0, 400) AS r(d), range(0, 3) AS q(s)`);
});
afterAll(async () => { await host.close(); });

function node(id: string, kind: PipelineNode['kind'], params: Record<string, unknown>): PipelineNode {
  return { id, kind, params, position: { x: 0, y: 0 } };
}

/** A straight chain of nodes, each fed on port `data` (or `train` for models) by the one before. */
function chain(nodes: PipelineNode[], extra: PipelineDoc['edges'] = []): PipelineDoc {
  const edges = nodes.slice(1).map((n, i) => {
    const from = nodes[i]!;
    const port = nodeSpec(n.kind).category === 'model' ? 'train' : 'data';
    const out = from.kind === 'split' ? 'train' : 'data';
    return { id: `${from.id}->${n.id}`, from: { node: from.id, port: out }, to: { node: n.id, port } };
  });
  return { version: 1, id: 'ts', name: 'ts', nodes, edges: [...edges, ...extra] };
}

async function execute(doc: PipelineDoc) {
  return executePipeline(doc, { mode: 'all' }, hostEnv(host), createOutputCache());
}

function byT(table: TableValue['table'], column: string): Map<number, number> {
  const t = table.columns.find((c) => c.name === 't')!.values as Float64Array;
  const v = table.columns.find((c) => c.name === column)!.values as Float64Array;
  return new Map(Array.from(t, (time, i) => [time, v[i]!]));
}

function expectColumn(table: TableValue['table'], column: string, reference: string): number {
  const got = byT(table, column);
  let worst = 0;
  for (const [t, want] of Object.entries(fixture.expected[reference]!)) {
    const have = got.get(Number(t));
    if (want === null) { expect(have, `${column} at t=${t}`).toBeNaN(); continue; }
    expect(have, `${column} at t=${t}`).toBeCloseTo(want, 9);
    worst = Math.max(worst, Math.abs(have! - want));
  }
  return worst;
}

describe('lag and rolling nodes (DuckDB window functions)', () => {
  it('source → lag → rolling (mean, sum, min, max, std) equal pandas shift/rolling per partition, NULL while the window is short', async () => {
    const part = { orderBy: 't', partitionBy: 'store' };
    const doc = chain([
      node('source', 'source', { from: 'sql', sql: 'SELECT * FROM series' }),
      node('lag', 'lag', { column: 'y', lags: [1, 3], ...part }),
      node('mean', 'rolling', { column: 'y', window: 3, fn: 'mean', ...part }),
      node('sum', 'rolling', { column: 'y', window: 4, fn: 'sum', ...part }),
      node('min', 'rolling', { column: 'y', window: 3, fn: 'min', ...part }),
      node('max', 'rolling', { column: 'y', window: 3, fn: 'max', ...part }),
      node('std', 'rolling', { column: 'y', window: 5, fn: 'std', ...part }),
    ]);
    const run = await execute(doc);
    expect(run.failed).toBeUndefined();
    const out = run.outputs.get('std')!['data'] as TableValue;
    expect(out.table.columns.map((c) => c.name)).toEqual(['t', 'store', 'y', 'y_lag1', 'y_lag3', 'y_rollmean3', 'y_rollsum4', 'y_rollmin3', 'y_rollmax3', 'y_rollstd5']);
    const worst = Math.max(...['y_lag1', 'y_lag3', 'y_rollmean3', 'y_rollsum4', 'y_rollmin3', 'y_rollmax3', 'y_rollstd5'].map((c) => expectColumn(out.table, c, c)));
    expect(worst).toBeLessThan(1e-9);
    expect(out.chain.columns.filter((c) => c.derived).map((c) => `${c.name}@${c.derived!.stage}`)).toEqual(['y_lag1@0', 'y_lag3@0', 'y_rollmean3@1', 'y_rollsum4@2', 'y_rollmin3@3', 'y_rollmax3@4', 'y_rollstd5@5']);
    expect(run.statuses.find((s) => s.nodeId === 'lag')!.message).toMatch(/y_lag1, y_lag3/);
  });

  it('lag and rolling without partitionBy run over the whole table ordered by time', async () => {
    const doc = chain([
      node('source', 'source', { from: 'sql', sql: 'SELECT * FROM series' }),
      node('lag', 'lag', { column: 'y', orderBy: 't', lags: [1] }),
      node('roll', 'rolling', { column: 'y', orderBy: 't', window: 3 }),
    ]);
    const run = await execute(doc);
    const out = (run.outputs.get('roll')!['data'] as TableValue).table;
    expectColumn(out, 'y_lag1', 'y_lag1_nopart');
    expectColumn(out, 'y_rollmean3', 'y_rollmean3_nopart');
    expect(run.statuses.find((s) => s.nodeId === 'roll')!.message).not.toMatch(/arbitrary/);
  });

  it('a lag ordered by a time that repeats within a partition says on the node that those rows are in arbitrary order', async () => {
    const run = await execute(chain([node('source', 'source', { from: 'sql', sql: 'SELECT * FROM sales' }), node('lag', 'lag', { column: 'y', orderBy: 'day' })]));
    expect(run.statuses.find((s) => s.nodeId === 'lag')).toMatchObject({ state: 'done', message: expect.stringMatching(/800 rows share their "day" with another row: their order, and so their lags, is arbitrary/) });
  });

  it('bad settings fail on the node in plain words: unknown column, window < 2, text to roll, after the split', async () => {
    const source = node('source', 'source', { from: 'sql', sql: 'SELECT * FROM series' });
    const failure = async (doc: PipelineDoc, id: string) => (await execute(doc)).statuses.find((s) => s.nodeId === id)!;
    const unknown = await failure(chain([source, node('lag', 'lag', { column: 'sales', orderBy: 't' })]), 'lag');
    expect(unknown.state).toBe('failed');
    expect(unknown.error!.message).toMatch(/Column "sales" does not exist/);
    const unknownOrder = await failure(chain([source, node('roll', 'rolling', { column: 'y', orderBy: 'day', partitionBy: 'store' })]), 'roll');
    expect(unknownOrder.error!.message).toMatch(/Column "day" does not exist/);
    const tiny = await failure(chain([source, node('roll', 'rolling', { column: 'y', orderBy: 't', window: 1 })]), 'roll');
    expect(tiny.state).toBe('failed');
    expect(tiny.error!.message).toMatch(/at least 2 rows/);
    const text = await failure(chain([source, node('roll', 'rolling', { column: 'store', orderBy: 't', window: 3 })]), 'roll');
    expect(text.error!.message).toMatch(/"store" holds text/);
    const late = await failure(chain([source, node('split', 'split', {}), node('lag', 'lag', { column: 'y', orderBy: 't' })]), 'lag');
    expect(late.error!.message).toMatch(/place it right after the Source, before the Split/);
  });
});

describe('source → lag → rolling → split(time) → scale → gradient boosting (regression) → evaluate', () => {
  it('trains, compiles with the derived columns as inputs, evaluates through ONNX, and records vajra.derived_sql in the run', async () => {
    const features = ['y_lag1', 'y_lag7', 'y_lag1_rollmean7'];
    const nodes = [
      node('source', 'source', { from: 'sql', sql: 'SELECT * FROM sales' }),
      node('lag', 'lag', { column: 'y', orderBy: 'day', partitionBy: 'store', lags: [1, 7] }),
      node('roll', 'rolling', { column: 'y_lag1', orderBy: 'day', partitionBy: 'store', window: 7, fn: 'mean' }),
      node('split', 'split', { method: 'time', column: 'day', testFraction: 0.25 }),
      node('scale', 'scale', { columns: features, method: 'standard' }),
      node('gbdt', 'histGradientBoosting', { target: 'y', features, task: 'regression', maxIter: 40, seed: 1 }),
      node('evaluate', 'evaluate', {}),
    ];
    const doc = chain(nodes.slice(0, 6), [
      { id: 'gbdt->evaluate', from: { node: 'gbdt', port: 'model' }, to: { node: 'evaluate', port: 'model' } },
      { id: 'split->evaluate', from: { node: 'split', port: 'test' }, to: { node: 'evaluate', port: 'data' } },
    ]);
    doc.nodes.push(nodes[6]!);
    const result = await trainPipeline(host, { doc, path: 'sales.pipeline.json', store: host.store });
    expect(result.execution.failed).toBeUndefined();
    expect(result.execution.statuses.map((s) => `${s.nodeId}:${s.state}`)).toEqual(['source:done', 'lag:done', 'roll:done', 'split:done', 'scale:done', 'gbdt:done', 'evaluate:done']);
    // The series' noise is ±5 around a seasonal level: a model of its own past must beat the spread of y.
    expect(result.metrics['rmse']).toBeLessThan(6);
    expect(result.metrics['r2']).toBeGreaterThan(0.8);

    const model = result.execution.outputs.get('gbdt')!['model'];
    if (model?.type !== 'model' || model.fitted?.kind !== 'treeRegressor') throw new Error('expected a tree regressor');
    const info = readOnnxModel(model.onnx);
    expect(info.inputs.map((i) => i.name)).toEqual(['day', 'store', 'y_lag1', 'y_lag7', 'y_lag1_rollmean7']);
    const derivedSql = info.metadata[METADATA_KEYS.derivedSql]!;
    expect(derivedSql).toContain('LAG("y", 7) OVER (PARTITION BY "store" ORDER BY "day")');
    const stored = readOnnxModel(new Uint8Array(await host.store.readArtifact(result.runId!, 'model.onnx')));
    expect(stored.metadata[METADATA_KEYS.derivedSql]).toBe(derivedSql);

    // The recorded SQL reproduces the derived columns from the raw rows.
    await host.engine.exec('CREATE OR REPLACE TEMP VIEW input AS SELECT * FROM sales');
    const again = columnTableFromArrow(await host.engine.query(`${derivedSql} ORDER BY store, day`));
    const trained = (result.execution.outputs.get('roll')!['data'] as TableValue).table;
    for (const name of features) expect(Array.from(again.columns.find((c) => c.name === name)!.values as Float64Array)).toEqual(Array.from(trained.columns.find((c) => c.name === name)!.values as Float64Array));

    // ONNX parity on both splits (train holds the NaNs of the first lags: the trees route them as missing).
    let worst = 0, missing = 0;
    for (const port of ['test', 'train']) {
      const table = (result.execution.outputs.get('split')![port] as TableValue).table;
      const x = featureMatrix(transformSteps(model.chain!.steps, table), features, 'parity');
      missing += Array.from(x.data).filter(Number.isNaN).length;
      const ts = predictRaw(model.fitted.ensemble, x);
      const onnx = (await host.score(model.onnx, model.feeds.map((f) => buildFeed(table, f))))['variable']!.data as Float64Array;
      for (let i = 0; i < ts.length; i++) worst = Math.max(worst, Math.abs(onnx[i]! - ts[i]!) / Math.max(1, Math.abs(ts[i]!)));
    }
    expect(missing).toBeGreaterThan(0);
    expect(worst).toBeLessThanOrEqual(1e-6);
  });

  it('source → lag → split(time) → impute → ridge: an impute after the lag fills the first NULL lags for a model without NaN handling', async () => {
    const nodes = [
      node('source', 'source', { from: 'sql', sql: 'SELECT * FROM sales' }),
      node('lag', 'lag', { column: 'y', orderBy: 'day', partitionBy: 'store', lags: [1, 7] }),
      node('split', 'split', { method: 'time', column: 'day', testFraction: 0.25 }),
      node('impute', 'impute', { columns: ['y_lag1', 'y_lag7'], strategy: 'mean' }),
      node('ridge', 'ridge', { target: 'y', features: ['y_lag1', 'y_lag7'], alpha: 1 }),
    ];
    const doc = chain(nodes, [
      { id: 'ridge->evaluate', from: { node: 'ridge', port: 'model' }, to: { node: 'evaluate', port: 'model' } },
      { id: 'split->evaluate', from: { node: 'split', port: 'test' }, to: { node: 'evaluate', port: 'data' } },
    ]);
    doc.nodes.push(node('evaluate', 'evaluate', {}));
    const result = await trainPipeline(host, { doc, path: 'sales.pipeline.json' });
    expect(result.execution.failed).toBeUndefined();
    expect(result.metrics['r2']).toBeGreaterThan(0.5);
    const model = result.execution.outputs.get('ridge')!['model'];
    if (model?.type !== 'model') throw new Error('expected a model');
    const train = (result.execution.outputs.get('split')!['train'] as TableValue).table;
    const scored = await host.score(model.onnx, model.feeds.map((f) => buildFeed(train, f)));
    const values = Array.from(scored['variable']!.data as Float64Array);
    expect(values.filter(Number.isNaN)).toHaveLength(0);
  });
});
