import { describe, expect, it } from 'vitest';
import { loadDiabetes, maxRelError, readFixture } from '../../tools/fixtures/ml/datasets';
import { fitLinearRegression, fitRidge } from './linear-regression';
import { predictLinearRegression } from './predict';
import type { Matrix } from './types';

interface Ref { coef: number[]; intercept: number; alpha?: number }
const fx = readFixture<Record<string, Ref>>('linear.json');
const { X, y } = loadDiabetes();

describe('fitLinearRegression', () => {
  it('fitLinearRegression(diabetes) matches sklearn LinearRegression coefficients to 1e-8 relative', () => {
    const m = fitLinearRegression(X, y);
    expect(maxRelError(m.coef, fx.ols!.coef)).toBeLessThan(1e-8);
    expect(maxRelError(m.intercept, [fx.ols!.intercept])).toBeLessThan(1e-8);
  });

  it('fitLinearRegression(X with a duplicated column) gives the minimum-norm solution like lstsq', () => {
    const p = 5, data = new Float64Array(X.rows * p);
    for (let i = 0; i < X.rows; i++) {
      for (let j = 0; j < 4; j++) data[i * p + j] = X.data[i * X.cols + j]!;
      data[i * p + 4] = X.data[i * X.cols + 3]!;
    }
    const m = fitLinearRegression({ rows: X.rows, cols: p, data }, y);
    expect(maxRelError(m.coef, fx.collinear!.coef, 1e-6)).toBeLessThan(1e-8);
    expect(maxRelError(m.intercept, [fx.collinear!.intercept])).toBeLessThan(1e-8);
  });

  it('predictLinearRegression(model, X) equals X·coef + intercept', () => {
    const m = fitLinearRegression(X, y);
    const pred = predictLinearRegression(m, X);
    let manual = m.intercept[0]!;
    for (let j = 0; j < X.cols; j++) manual += X.data[j]! * m.coef[j]!;
    expect(pred[0]).toBeCloseTo(manual, 10);
    expect(pred.length).toBe(X.rows);
  });

  it('fitLinearRegression(empty or NaN input) refuses in plain words, naming the column', () => {
    expect(() => fitLinearRegression({ rows: 0, cols: 3, data: new Float64Array(0) }, new Float64Array(0))).toThrow(/at least one row/);
    const bad: Matrix = { rows: 2, cols: 2, data: Float64Array.of(1, 2, 3, NaN) };
    expect(() => fitLinearRegression(bad, Float64Array.of(1, 2), { featureNames: ['age', 'bmi'] })).toThrow(/column 'bmi' has a missing value \(NaN\) in row 1/);
    expect(() => fitLinearRegression(bad, Float64Array.of(1, 2))).toThrow(/column 1 has a missing value/);
    expect(() => fitLinearRegression(X, y.subarray(1))).toThrow(/442 rows of features but 441 target values/);
  });
});

describe('fitRidge', () => {
  it.each(['ridge_1', 'ridge_100'])('fitRidge(diabetes, %s) matches sklearn Ridge to 1e-8 relative', (key) => {
    const ref = fx[key]!;
    const m = fitRidge(X, y, { alpha: ref.alpha! });
    expect(maxRelError(m.coef, ref.coef)).toBeLessThan(1e-8);
    expect(maxRelError(m.intercept, [ref.intercept])).toBeLessThan(1e-8);
  });

  it('fitRidge(X, y, {alpha: -1}) refuses a negative penalty', () => {
    expect(() => fitRidge(X, y, { alpha: -1 })).toThrow(/alpha must be a finite number ≥ 0/);
  });
});
