import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRng } from '../base/rng';
import type { Rng } from '../base/rng';
import type { FittedModel, Matrix, Tree, TreeEnsemble } from '../ml/types';
import { dumpOnnxModel } from '../onnx/dump';
import { readOnnxModel } from '../onnx/reader';
import { compilePipeline, METADATA_KEYS } from './compile';
import { predictReference } from './predict-reference';
import type { ReferenceOutputs } from './predict-reference';
import { fitSteps, transformSteps } from './steps/index';
import type { ColumnTable } from './steps/types';

const F = 4;

function randomTree(rng: Rng, depth: number, nOutputs: number, leafValue: (rng: Rng) => number): Tree {
  const feature: number[] = [], threshold: number[] = [], left: number[] = [], right: number[] = [], missingLeft: number[] = [], value: number[] = [];
  function grow(d: number): number {
    const i = feature.length;
    feature.push(0); threshold.push(0); left.push(-1); right.push(-1); missingLeft.push(0);
    for (let k = 0; k < nOutputs; k++) value.push(leafValue(rng));
    if (d < depth && (d < 2 || rng.next() < 0.7)) {
      feature[i] = rng.int(F);
      threshold[i] = rng.normal() + 1e-9 * rng.next(); // deliberately not a float32
      missingLeft[i] = rng.int(2);
      left[i] = grow(d + 1);
      right[i] = grow(d + 1);
    }
    return i;
  }
  grow(0);
  return {
    feature: Int32Array.from(feature), threshold: Float64Array.from(threshold), left: Int32Array.from(left), right: Int32Array.from(right),
    missingLeft: Uint8Array.from(missingLeft), value: Float64Array.from(value), cover: new Float64Array(feature.length).fill(1),
  };
}

function ensemble(seed: number, trees: number, nOutputs: number, aggregate: 'sum' | 'average', post: TreeEnsemble['postTransform'], leaf = (r: Rng) => r.normal()): TreeEnsemble {
  const rng = createRng(seed);
  return { trees: Array.from({ length: trees }, () => randomTree(rng, 5, nOutputs, leaf)), nFeatures: F, nOutputs, baseScore: Float64Array.from({ length: nOutputs }, () => rng.normal()), aggregate, postTransform: post };
}

/** Float32-representable rows, with NaNs and values sitting exactly on rounded thresholds. */
function inputs(rows: number, models: FittedModel[]): Matrix {
  const rng = createRng(9);
  const missing = models.some((m) => 'ensemble' in m) ? 0.08 : 0; // only trees route missing values
  const data = Float64Array.from({ length: rows * F }, () => (rng.next() < missing ? NaN : Math.fround(rng.normal())));
  const thresholds = models.flatMap((m) => ('ensemble' in m ? m.ensemble.trees.flatMap((t) => Array.from(t.threshold)) : []));
  for (let r = 0; r < rows && thresholds.length > 0; r += 3) data[r * F + rng.int(F)] = Math.fround(thresholds[rng.int(thresholds.length)]!);
  return { rows, cols: F, data };
}

function tableOf(x: Matrix): ColumnTable {
  return { rows: x.rows, columns: Array.from({ length: F }, (_, f) => ({ name: `x${f}`, type: 'number' as const, values: Float64Array.from({ length: x.rows }, (_, r) => x.data[r * F + f]!) })) };
}

async function run(bytes: Uint8Array, table: ColumnTable): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  const feeds: Record<string, ort.Tensor> = {};
  for (const c of table.columns) feeds[c.name] = c.type === 'number' ? new ort.Tensor('float32', Float32Array.from(c.values), [table.rows, 1]) : new ort.Tensor('string', [...c.values], [table.rows, 1]);
  return session.run(feeds);
}

function maxDiff(got: ort.Tensor, want: ArrayLike<number>): number {
  const data = got.data as Float32Array;
  expect(data.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(data[i]! - want[i]!) / Math.max(1, Math.abs(want[i]!)));
  return worst;
}

async function expectModelParity(model: FittedModel): Promise<number> {
  const x = inputs(200, [model]);
  const table = tableOf(x);
  const bytes = compilePipeline({ pipelineId: 'p', columns: table.columns.map((c) => ({ name: c.name, type: c.type })), steps: [], model });
  const out = await run(bytes, table);
  const ref: ReferenceOutputs = predictReference(model, x);
  let worst = 0;
  for (const key of ['probabilities', 'variable', 'distances'] as const) if (ref[key]) worst = Math.max(worst, maxDiff(out[key]!, ref[key]!.data));
  if (ref.score) worst = Math.max(worst, maxDiff(out['score']!, ref.score));
  if (ref.label) expect(Array.from(out['label']!.data as ArrayLike<unknown>, (v) => (typeof v === 'bigint' ? Number(v) : v))).toEqual(ref.label);
  expect(worst).toBeLessThanOrEqual(1e-6);
  return worst;
}

function coef(seed: number, n: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => rng.normal());
}

describe('compilePipeline(...) model part equals predictReference to 1e-6 (onnxruntime-node)', () => {
  it('linearRegression with two outputs → LinearRegressor', async () => {
    await expectModelParity({ kind: 'linearRegression', coef: coef(1, 2 * F), intercept: coef(2, 2), nFeatures: F, nOutputs: 2 });
  });
  it('logisticRegression binary, multinomial and one-vs-rest → MatMul+Add+Sigmoid/Softmax', async () => {
    await expectModelParity({ kind: 'logisticRegression', coef: coef(3, F), intercept: coef(4, 1), nFeatures: F, classes: ['no', 'yes'], multinomial: false });
    await expectModelParity({ kind: 'logisticRegression', coef: coef(5, 3 * F), intercept: coef(6, 3), nFeatures: F, classes: [0, 1, 2], multinomial: true });
    await expectModelParity({ kind: 'logisticRegression', coef: coef(7, 3 * F), intercept: coef(8, 3), nFeatures: F, classes: [0.5, 1.5, 2.5], multinomial: false });
  });
  it('tree ensembles (sum/average, logistic/softmax/none) → TreeEnsembleRegressor with float32-floored thresholds', async () => {
    await expectModelParity({ kind: 'treeRegressor', ensemble: ensemble(10, 20, 1, 'sum', 'none') });
    await expectModelParity({ kind: 'treeClassifier', ensemble: ensemble(11, 20, 1, 'sum', 'logistic'), classes: [0, 1] });
    await expectModelParity({ kind: 'treeClassifier', ensemble: ensemble(12, 10, 3, 'sum', 'softmax'), classes: ['a', 'b', 'c'] });
    await expectModelParity({ kind: 'treeClassifier', ensemble: ensemble(13, 15, 3, 'average', 'none', (r) => r.next()), classes: ['a', 'b', 'c'] });
  });
  it('isolationForest → averaged path lengths and −2^(−h/c(ψ))', async () => {
    await expectModelParity({ kind: 'isolationForest', ensemble: ensemble(14, 25, 1, 'average', 'none', (r) => 1 + 8 * r.next()), sampleSize: 256 });
  });
  it('kmeans → Euclidean distances and nearest-centre label', async () => {
    await expectModelParity({ kind: 'kmeans', centers: { rows: 3, cols: F, data: coef(15, 3 * F) }, inertia: 0 });
  });
  it('naiveBayes → MatMul+Add+Softmax', async () => {
    await expectModelParity({ kind: 'naiveBayes', classLogPrior: Float64Array.from([Math.log(0.3), Math.log(0.7)]), featureLogProb: coef(16, 2 * F).map((v) => -Math.abs(v)), nFeatures: F, classes: ['ham', 'spam'] });
  });
});

function mixedTable(rows: number, seed: number): ColumnTable {
  const rng = createRng(seed);
  return {
    rows,
    columns: [
      { name: 'age', type: 'number', values: Float64Array.from({ length: rows }, () => (rng.next() < 0.1 ? NaN : 20 + rng.int(50))) },
      { name: 'city', type: 'string', values: Array.from({ length: rows }, () => ['oslo', 'lima', 'rome', ''][rng.int(4)]!) },
      { name: 'hour', type: 'number', values: Float64Array.from({ length: rows }, () => rng.int(24)) },
    ],
  };
}

function logisticPipeline() {
  const train = mixedTable(100, 1);
  const { steps, table } = fitSteps([
    { kind: 'impute', columns: ['age'], strategy: 'median' },
    { kind: 'scale', columns: ['age'], method: 'standard' },
    { kind: 'oneHot', columns: ['city'], handleUnknown: 'ignore' },
    { kind: 'cyclic', columns: ['hour'], period: 24 },
  ], train);
  const nFeatures = table.columns.length;
  const model: FittedModel = { kind: 'logisticRegression', coef: coef(20, nFeatures), intercept: Float64Array.from([0.1]), nFeatures, classes: ['no', 'yes'], multinomial: false };
  const columns = train.columns.map((c) => ({ name: c.name, type: c.type }));
  return { steps, model, columns, bytes: compilePipeline({ pipelineId: 'golden', columns, steps, model, metadata: { 'vajra.target': 'churn' } }) };
}

describe('compilePipeline(input) end to end', () => {
  it('compilePipeline(impute → scale → oneHot → cyclic → logistic) scores raw rows like transform + predict', async () => {
    const { steps, model, bytes } = logisticPipeline();
    const test = mixedTable(50, 2);
    const features = transformSteps(steps, test);
    const x: Matrix = { rows: test.rows, cols: features.columns.length, data: new Float64Array(test.rows * features.columns.length) };
    features.columns.forEach((c, j) => { for (let r = 0; r < test.rows; r++) x.data[r * x.cols + j] = c.values[r] as number; });
    const ref = predictReference(model, x);
    const out = await run(bytes, test);
    expect(maxDiff(out['probabilities']!, ref.probabilities!.data)).toBeLessThanOrEqual(1e-6);
    expect(Array.from(out['label']!.data as string[])).toEqual(ref.label);
  });

  it('compilePipeline(input) writes one input per raw column and the schema into metadata_props', () => {
    const info = readOnnxModel(logisticPipeline().bytes);
    expect(info.inputs.map((i) => `${i.name}:${i.elemType}[${i.shape.join(',')}]`)).toEqual(['age:float[N,1]', 'city:string[N,1]', 'hour:float[N,1]']);
    expect(info.outputs.map((o) => o.name)).toEqual(['label', 'probabilities']);
    expect(JSON.parse(info.metadata[METADATA_KEYS.columns]!)).toEqual([{ name: 'age', type: 'number' }, { name: 'city', type: 'string' }, { name: 'hour', type: 'number' }]);
    expect(info.metadata[METADATA_KEYS.pipelineId]).toBe('golden');
    expect(info.metadata['vajra.target']).toBe('churn');
  });

  it('compilePipeline(input) refuses text columns that reach the model, in plain words', () => {
    const { columns, model } = logisticPipeline();
    expect(() => compilePipeline({ pipelineId: 'p', columns, steps: [], model })).toThrow(/"city" still hold text/);
  });

  it('compilePipeline(logistic pipeline) matches the golden text dump', () => {
    const text = dumpOnnxModel(logisticPipeline().bytes);
    const golden = new URL('./__golden__/logistic-pipeline.onnx.txt', import.meta.url);
    const changed = new URL('./__golden__/logistic-pipeline.changed.onnx.txt', import.meta.url);
    if (process.env['UPDATE_GOLDEN'] === '1' || !existsSync(golden)) writeFileSync(golden, text);
    const expected = readFileSync(golden, 'utf8');
    if (text !== expected) writeFileSync(changed, text);
    expect(text, `golden mismatch: see ${changed.pathname}; rerun with UPDATE_GOLDEN=1 to accept`).toBe(expected);
  });
});
