import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { createRng } from '../../base/rng';
import { compileFeatures } from '../compile';
import { fitSteps, transformSteps } from './index';
import type { ColumnTable, StepSpec, StepTarget } from './types';

const CITIES = ['paris', 'oslo', 'lima', 'rome', ''];
const WORDS = ['Good', 'bad', 'movie', 'plot', 'actor', 'a', 'the', 'great', 'Boring', 'x_y'];

function makeTable(rows: number, seed: number, extraCity = false): ColumnTable {
  const rng = createRng(seed);
  const f32 = (v: number) => Math.fround(v);
  const age = Float64Array.from({ length: rows }, () => (rng.next() < 0.1 ? NaN : f32(18 + rng.int(60))));
  const income = Float64Array.from({ length: rows }, () => (rng.next() < 0.1 ? NaN : f32(rng.normal() * 20 + 50)));
  const hour = Float64Array.from({ length: rows }, () => rng.int(24));
  const rooms = Float64Array.from({ length: rows }, () => (rng.next() < 0.05 ? NaN : 1 + rng.int(5)));
  const city = Array.from({ length: rows }, (_, i) => (extraCity && i % 7 === 0 ? 'tokyo' : CITIES[rng.int(CITIES.length)]!));
  const review = Array.from({ length: rows }, () => Array.from({ length: rng.int(6) }, () => WORDS[rng.int(WORDS.length)]!).join(rng.next() < 0.5 ? ' ' : ', '));
  return {
    rows,
    columns: [
      { name: 'age', type: 'number', values: age }, { name: 'income', type: 'number', values: income },
      { name: 'hour', type: 'number', values: hour }, { name: 'rooms', type: 'number', values: rooms },
      { name: 'city', type: 'string', values: city }, { name: 'review', type: 'string', values: review },
    ],
  };
}

async function runFeatures(bytes: Uint8Array, table: ColumnTable): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  const feeds: Record<string, ort.Tensor> = {};
  for (const c of table.columns) {
    feeds[c.name] = c.type === 'number' ? new ort.Tensor('float32', Float32Array.from(c.values), [table.rows, 1]) : new ort.Tensor('string', [...c.values], [table.rows, 1]);
  }
  const out = (await session.run(feeds))['features']!;
  return { data: out.data as Float32Array, dims: out.dims };
}

/** Fits `specs` on a training table, then checks ONNX features == TS transform on a test table. */
async function expectParity(specs: StepSpec[], target?: StepTarget, tolerance = 1e-6, test = makeTable(60, 2)): Promise<number> {
  const train = makeTable(300, 1);
  const { steps } = fitSteps(specs, train, target);
  const expected = transformSteps(steps, test);
  const bytes = compileFeatures({ pipelineId: 'p', columns: train.columns.map((c) => ({ name: c.name, type: c.type })), steps: [...steps, { kind: 'selectColumns', keep: expected.columns.filter((c) => c.type === 'number').map((c) => c.name) }] });
  const numeric = expected.columns.filter((c) => c.type === 'number');
  const got = await runFeatures(bytes, test);
  expect(got.dims).toEqual([test.rows, numeric.length]);
  let maxDiff = 0;
  numeric.forEach((c, j) => {
    for (let r = 0; r < test.rows; r++) {
      const want = c.values[r]!, have = got.data[r * numeric.length + j]!;
      if (Number.isNaN(want)) { expect(have, `${c.name} row ${r}`).toBeNaN(); continue; }
      const diff = Math.abs(want - have) / Math.max(1, Math.abs(want));
      maxDiff = Math.max(maxDiff, diff);
      expect(diff, `${c.name} row ${r}: ${want} vs ${have}`).toBeLessThanOrEqual(tolerance);
    }
  });
  return maxDiff;
}

describe('steps: ONNX output equals the TypeScript transform', () => {
  it('impute (mean, median, most_frequent, constant; numbers and text) fills missing values identically', async () => {
    await expectParity([{ kind: 'impute', columns: ['age', 'city'], strategy: 'most_frequent' }, { kind: 'impute', columns: ['income'], strategy: 'median' }, { kind: 'impute', columns: ['rooms'], strategy: 'constant', fillValue: -1 }, { kind: 'ordinal', columns: ['city'] }]);
    await expectParity([{ kind: 'impute', columns: ['age', 'income'], strategy: 'mean' }, { kind: 'impute', columns: ['city'], strategy: 'constant', fillValue: 'none' }, { kind: 'oneHot', columns: ['city'], handleUnknown: 'ignore' }], undefined, 1e-6, makeTable(60, 2, true));
  });
  it('scale (standard, minmax, robust) keeps NaN and matches to 1e-6', async () => {
    for (const method of ['standard', 'minmax', 'robust'] as const) await expectParity([{ kind: 'scale', columns: ['age', 'income', 'hour'], method }]);
  });
  it('oneHot(ignore) gives all zeros for an unseen city and encodes integer columns', async () => {
    await expectParity([{ kind: 'oneHot', columns: ['city', 'rooms'], handleUnknown: 'ignore' }], undefined, 0, makeTable(60, 2, true));
  });
  it('oneHot(error) fails in both TS and ONNX on an unseen value', async () => {
    await expect(expectParity([{ kind: 'oneHot', columns: ['city'], handleUnknown: 'error' }], undefined, 0, makeTable(60, 2, true))).rejects.toThrow();
    await expectParity([{ kind: 'oneHot', columns: ['city'], handleUnknown: 'error' }], undefined, 0);
  });
  it('ordinal maps text and numbers to category indexes, unknown to -1', async () => {
    await expectParity([{ kind: 'ordinal', columns: ['city', 'rooms'] }], undefined, 0, makeTable(60, 2, true));
  });
  it('bucketize (quantile, uniform) counts boundaries ≤ x and keeps NaN', async () => {
    await expectParity([{ kind: 'bucketize', columns: ['age', 'income'], bins: 5, strategy: 'quantile' }], undefined, 0);
    await expectParity([{ kind: 'bucketize', columns: ['age', 'income'], bins: 4, strategy: 'uniform' }], undefined, 0);
  });
  it('log1p and cyclic match to 1e-6', async () => {
    await expectParity([{ kind: 'log1p', columns: ['age', 'rooms'] }, { kind: 'cyclic', columns: ['hour'], period: 24 }]);
  });
  it('textVectorizer (tfidf with bigrams, counts) tokenizes and weights like the TS twin', async () => {
    const tfidf = await expectParity([{ kind: 'textVectorizer', column: 'review', mode: 'tfidf', lowercase: true, minTokenLength: 2, maxFeatures: 30, ngramMax: 2 }]);
    expect(tfidf).toBeLessThan(1e-6);
    await expectParity([{ kind: 'textVectorizer', column: 'review', mode: 'count', lowercase: false, minTokenLength: 1, maxFeatures: 50, ngramMax: 1 }], undefined, 0);
  });
  it('hashingVectorizer (alternate sign, l2) hashes tokens like the TS twin', async () => {
    await expectParity([{ kind: 'hashingVectorizer', column: 'review', lowercase: true, minTokenLength: 2, nFeatures: 32, alternateSign: true }]);
    await expectParity([{ kind: 'hashingVectorizer', column: 'review', lowercase: false, minTokenLength: 1, nFeatures: 8, alternateSign: false }]);
  });
  it('selectColumns and featureSelect (variance, kbest anova/chi2/mutual_info) gather the kept columns', async () => {
    const train = makeTable(300, 1);
    const labels: StepTarget = { type: 'string', values: Array.from({ length: 300 }, (_, i) => ((train.columns[2]!.values[i] as number) > 11 ? 'late' : 'early')) };
    await expectParity([{ kind: 'selectColumns', columns: ['review', 'city'], mode: 'drop' }, { kind: 'impute', columns: ['age', 'income', 'rooms'], strategy: 'mean' }, { kind: 'featureSelect', method: 'kbest', k: 2, score: 'anova' }], labels);
    await expectParity([{ kind: 'oneHot', columns: ['city'], handleUnknown: 'ignore' }, { kind: 'featureSelect', method: 'variance', threshold: 0.2 }, { kind: 'selectColumns', columns: ['review'], mode: 'drop' }]);
    await expectParity([{ kind: 'oneHot', columns: ['city'], handleUnknown: 'ignore' }, { kind: 'selectColumns', columns: ['review', 'age', 'income', 'rooms'], mode: 'drop' }, { kind: 'featureSelect', method: 'kbest', k: 3, score: 'chi2' }], labels);
    await expectParity([{ kind: 'impute', columns: ['age', 'income', 'rooms'], strategy: 'mean' }, { kind: 'featureSelect', method: 'kbest', k: 1, score: 'mutual_info' }], labels);
  });
});
