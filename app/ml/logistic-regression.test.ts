import { describe, expect, it } from 'vitest';
import { loadCounted, maxAbsError, readFixture, standardize } from '../../tools/fixtures/ml/datasets';
import { fitLogisticRegression, fitLogisticRegressionWithInfo } from './logistic-regression';
import { predictClasses, predictLogisticProba } from './predict';
import { createRng } from '../base/rng';
import type { Progress } from '../base/signal';
import type { Matrix } from './types';

interface Ref { C: number; coef: number[]; intercept: number[]; sklearnCoef: number[]; proba: number[]; classes: number[] }
const fx = readFixture<Record<'breastCancer' | 'wine' | 'wineRaw', Ref[]>>('logistic.json');
const cancer = loadCounted('breast_cancer.csv');
const wine = loadCounted('wine_data.csv');
const cancerX = standardize(cancer.X), wineX = standardize(wine.X);

function firstRows(X: Matrix, n: number): Matrix {
  return { rows: n, cols: X.cols, data: X.data.slice(0, n * X.cols) };
}

describe('fitLogisticRegression', () => {
  it.each(fx.breastCancer.map((r) => [r.C, r] as const))('fitLogisticRegression(breast cancer, C=%s) matches sklearn coefficients to 1e-4', (_, ref) => {
    const fit = fitLogisticRegressionWithInfo(cancerX, cancer.y, { C: ref.C });
    expect(fit.converged).toBe(true);
    expect(fit.model.multinomial).toBe(false);
    expect(fit.model.classes).toEqual(ref.classes);
    expect(maxAbsError(fit.model.coef, ref.coef)).toBeLessThan(1e-4);
    expect(maxAbsError(fit.model.intercept, ref.intercept)).toBeLessThan(1e-4);
    expect(maxAbsError(predictLogisticProba(fit.model, firstRows(cancerX, 20)), ref.proba)).toBeLessThan(1e-5);
  });

  it.each(fx.wine.map((r) => [r.C, r] as const))('fitLogisticRegression(wine, C=%s) matches sklearn multinomial coefficients to 1e-4', (_, ref) => {
    const fit = fitLogisticRegressionWithInfo(wineX, wine.y, { C: ref.C });
    expect(fit.model.multinomial).toBe(true);
    expect(maxAbsError(fit.model.coef, ref.coef)).toBeLessThan(1e-4);
    expect(maxAbsError(fit.model.intercept, ref.intercept)).toBeLessThan(1e-4);
    expect(maxAbsError(predictLogisticProba(fit.model, firstRows(wineX, 20)), ref.proba)).toBeLessThan(1e-5);
  });

  it('fitLogisticRegression(X, y, {tol: 1e-8}) reaches sklearn\'s optimum to 1e-6', () => {
    for (const [X, y, refs] of [[cancerX, cancer.y, fx.breastCancer], [wineX, wine.y, fx.wine]] as const) {
      for (const ref of refs) expect(maxAbsError(fitLogisticRegression(X, y, { C: ref.C, tol: 1e-8 }).coef, ref.coef)).toBeLessThan(1e-6);
    }
  });

  it('fitLogisticRegression(unscaled wine) reaches sklearn\'s optimum to 1e-4 in few iterations', () => {
    // sklearn's own lbfgs stops 3.8e-3 away here (see make_fixtures.py output).
    const ref = fx.wineRaw[0]!;
    const fit = fitLogisticRegressionWithInfo(wine.X, wine.y, { C: ref.C });
    expect(fit.converged).toBe(true);
    expect(fit.iterations).toBeLessThan(300);
    expect(maxAbsError(fit.model.coef, ref.coef)).toBeLessThan(1e-4);
    expect(maxAbsError(fit.model.intercept, ref.intercept)).toBeLessThan(1e-3);
  });

  it('fitLogisticRegression(X, string labels) keeps the labels sorted and predicts them', () => {
    const names = Array.from(wine.y, (c) => ['barolo', 'grignolino', 'barbera'][c]!);
    const m = fitLogisticRegression(wineX, names);
    expect(m.classes).toEqual(['barbera', 'barolo', 'grignolino']);
    const pred = predictClasses(m, wineX);
    let right = 0;
    pred.forEach((p, i) => { if (p === names[i]) right++; });
    expect(right / names.length).toBeGreaterThan(0.98);
  });

  it('fitLogisticRegression is deterministic: two fits are bit-identical', () => {
    const a = fitLogisticRegression(wineX, wine.y), b = fitLogisticRegression(wineX, wine.y);
    expect(Buffer.from(a.coef.buffer)).toEqual(Buffer.from(b.coef.buffer));
    expect(Buffer.from(a.intercept.buffer)).toEqual(Buffer.from(b.intercept.buffer));
  });

  it('fitLogisticRegression reports progress per iteration and stops when cancelled', () => {
    const seen: Progress[] = [];
    fitLogisticRegression(cancerX, cancer.y, {}, { progress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThan(3);
    expect(seen.map((p) => p.done)).toEqual(seen.map((_, i) => i + 1));
    const controller = new AbortController();
    let calls = 0;
    const run = () => fitLogisticRegression(cancerX, cancer.y, { tol: 1e-12 }, {
      signal: controller.signal,
      progress: () => { if (++calls === 3) controller.abort(); },
    });
    expect(run).toThrow(/Cancelled/);
    expect(calls).toBe(3);
  });

  it('fitLogisticRegression refuses one class, empty input and NaN, in plain words', () => {
    const X: Matrix = { rows: 3, cols: 2, data: Float64Array.of(1, 2, 3, 4, 5, 6) };
    expect(() => fitLogisticRegression(X, Float64Array.of(1, 1, 1))).toThrow(/at least two classes.*every row has the class 1/);
    expect(() => fitLogisticRegression({ rows: 0, cols: 2, data: new Float64Array(0) }, [])).toThrow(/at least one row/);
    const withNaN: Matrix = { rows: 3, cols: 2, data: Float64Array.of(1, 2, 3, NaN, 5, 6) };
    expect(() => fitLogisticRegression(withNaN, Float64Array.of(0, 1, 0), { featureNames: ['x', 'income'] })).toThrow(/column 'income' has a missing value \(NaN\) in row 1; logistic regression does not accept/);
    expect(() => fitLogisticRegression(X, Float64Array.of(0, 1, 0), { C: 0 })).toThrow(/C must be a finite number above 0/);
  });

  it('fitLogisticRegression(collinear features of like scale) reaches its optimum to 1e-5 in few iterations', () => {
    // make_classification's redundant columns: standardising here flattened the penalty along the
    // collinear directions and stalled L-BFGS 7e-4 short after 65 iterations.
    const rng = createRng(5), n = 20_000, p = 12;
    const data = new Float64Array(n * p), y = new Float64Array(n), mix = Array.from({ length: 12 }, () => rng.next() * 2 - 1);
    for (let i = 0; i < n; i++) {
      const o = i * p, cls = rng.int(2);
      for (let j = 0; j < 4; j++) data[o + j] = (cls === 1 ? 1 : -1) * (j % 2 === 0 ? 1 : -1) + rng.normal();
      for (let r = 0; r < 3; r++) data[o + 4 + r] = data[o]! * mix[r * 4]! + data[o + 1]! * mix[r * 4 + 1]! + data[o + 2]! * mix[r * 4 + 2]! + data[o + 3]! * mix[r * 4 + 3]!;
      for (let j = 7; j < p; j++) data[o + j] = rng.normal();
      y[i] = rng.next() < 0.05 ? rng.int(2) : cls;
    }
    const X: Matrix = { rows: n, cols: p, data };
    const fit = fitLogisticRegressionWithInfo(X, y), exact = fitLogisticRegression(X, y, { tol: 1e-9 });
    expect(fit.converged).toBe(true);
    expect(fit.iterations).toBeLessThan(40);
    expect(maxAbsError(fit.model.coef, exact.coef)).toBeLessThan(1e-5);
    expect(maxAbsError(fit.model.intercept, exact.intercept)).toBeLessThan(1e-5);
  });

  it('fitLogisticRegression(20k×20) fits in well under a second per 100k rows', () => {
    const rng = createRng(3), n = 20_000, p = 20;
    const data = new Float64Array(n * p), y = new Float64Array(n), w = Array.from({ length: p }, () => rng.normal());
    for (let i = 0; i < n; i++) {
      let z = rng.normal();
      for (let j = 0; j < p; j++) { const v = rng.normal(); data[i * p + j] = v; z += v * w[j]!; }
      y[i] = z > 0 ? 1 : 0;
    }
    const fit = fitLogisticRegressionWithInfo({ rows: n, cols: p, data }, y);
    expect(fit.converged).toBe(true);
    let err = 0;
    for (let j = 0; j < p; j++) err = Math.max(err, Math.abs(fit.model.coef[j]! / fit.model.coef[0]! - w[j]! / w[0]!));
    expect(err).toBeLessThan(0.1);
  });
});
