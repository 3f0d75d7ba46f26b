import { describe, expect, it } from 'vitest';
import { createRng } from '../base/rng';
import { fitLogisticRegression } from '../ml/logistic-regression';
import { logisticDecisionFunction } from '../ml/predict';
import { fitHistGradientBoostingClassifier } from '../ml/trees/hist-gbdt';
import { predictRaw } from '../ml/trees/predict';
import type { Matrix } from '../ml/types';
import { buildExplainer, explainFeatures, featureLineage, fromBase64, toBase64 } from './explainer';

function data(rows: number, cols: number): { x: Matrix; y: Float64Array } {
  const rng = createRng(3);
  const d = Float64Array.from({ length: rows * cols }, () => rng.normal());
  const y = Float64Array.from({ length: rows }, (_, r) => (d[r * cols]! - d[r * cols + 1]! + 0.5 * d[r * cols + 2]! * d[r * cols + 3]! + 0.3 * rng.normal() > 0 ? 1 : 0));
  return { x: { rows, cols, data: d }, y };
}

const COLUMNS = ['a', 'b', 'c'];
const FEATURES = ['a', 'b=x', 'b=y', 'c:term', 'c_sin'];
const base = (x: Matrix) => ({ columns: COLUMNS, features: FEATURES, featuresOnnx: Uint8Array.of(1, 2, 3), background: x });

/** Shapley values by enumerating every coalition, absent features at the background mean. */
function bruteForce(f: (z: Float64Array) => number, x: Float64Array, mean: Float64Array): Float64Array {
  const p = x.length;
  const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));
  const phi = new Float64Array(p);
  for (let mask = 0; mask < 1 << p; mask++) {
    const z = Float64Array.from(mean, (m, j) => ((mask >> j) & 1 ? x[j]! : m));
    const size = [...Array(p).keys()].filter((j) => (mask >> j) & 1).length;
    for (let j = 0; j < p; j++) {
      if ((mask >> j) & 1) continue;
      const w = (fact(size) * fact(p - size - 1)) / fact(p);
      const withJ = Float64Array.from(z);
      withJ[j] = x[j]!;
      phi[j]! += w * (f(withJ) - f(z));
    }
  }
  return phi;
}

describe('explainer', () => {
  it('featureLineage(features, columns) maps one-hot, text and cyclic names to the longest raw column', () => {
    expect(featureLineage(FEATURES, COLUMNS)).toEqual([0, 1, 1, 2, 2]);
    expect(featureLineage(['education=HS', 'education_num'], ['education', 'education_num'])).toEqual([0, 1]);
    expect(() => featureLineage(['zzz'], COLUMNS)).toThrow(/does not derive/);
  });

  it('toBase64/fromBase64 round-trip bytes of every length', () => {
    for (let n = 0; n < 9; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + 13) & 255);
      expect(fromBase64(toBase64(bytes))).toEqual(bytes);
    }
    expect(toBase64(Uint8Array.of(77, 97))).toBe('TWE=');
  });

  it('explainFeatures(logistic) equals brute-force Shapley of the log-odds (1e-9), grouped to raw columns', () => {
    const { x, y } = data(200, 5);
    const model = fitLogisticRegression(x, y);
    const e = buildExplainer(model, base(x))!;
    expect(e.method).toBe('linear');
    expect(e.output).toBe('log_odds');
    const result = explainFeatures(e, x);
    const margin = logisticDecisionFunction(model, x);
    const mean = Float64Array.from(e.linear!.mean);
    const f = (z: Float64Array) => logisticDecisionFunction(model, { rows: 1, cols: 5, data: z })[0]!;
    for (const r of [0, 7, 42]) {
      expect(Math.abs(result.output[r]! - margin[r]!)).toBeLessThan(1e-9);
      const exact = bruteForce(f, x.data.subarray(r * 5, r * 5 + 5), mean);
      for (let j = 0; j < 5; j++) expect(Math.abs(result.detail[r * 5 + j]! - exact[j]!)).toBeLessThan(1e-9);
      expect(Math.abs(result.values[r * 3 + 1]! - exact[1]! - exact[2]!)).toBeLessThan(1e-9);
    }
  });

  it('explainFeatures(boosted trees) adds up to the raw log-odds for every row (1e-6), after a JSON round trip', () => {
    const { x, y } = data(400, 5);
    const model = fitHistGradientBoostingClassifier(x, y, { maxIter: 20, earlyStopping: false }, { seed: 0 }).model;
    if (model.kind !== 'treeClassifier') throw new Error('expected trees');
    const e = JSON.parse(JSON.stringify(buildExplainer(model, base(x)))) as ReturnType<typeof buildExplainer> & object;
    expect(e.output).toBe('log_odds');
    const result = explainFeatures(e, x);
    const margin = predictRaw(model.ensemble, x);
    for (let r = 0; r < x.rows; r++) {
      let sum = result.baseValue;
      for (let c = 0; c < 3; c++) sum += result.values[r * 3 + c]!;
      expect(Math.abs(sum - margin[r]!)).toBeLessThan(1e-6);
    }
  });
});
