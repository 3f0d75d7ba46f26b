import { describe, expect, it } from 'vitest';
import { loadCounted, loadDiabetes, standardize } from '../../tools/fixtures/ml/datasets';
import { crossValidate, crossValidateKFold, takeRows } from './cross-validate';
import { fitLinearRegression } from './linear-regression';
import { fitLogisticRegression } from './logistic-regression';
import { accuracy, r2 } from './metrics';
import { predictClasses, predictLinearRegression } from './predict';
import { kFold } from './split';

describe('crossValidate', () => {
  it('crossValidateKFold(wine, 5, logistic, accuracy) scores every stratified fold high', () => {
    const { X, y } = loadCounted('wine_data.csv');
    const cv = crossValidateKFold(standardize(X), y, 5, (Xt, yt) => fitLogisticRegression(Xt, yt), (m, Xv, yv) => accuracy(yv, predictClasses(m, Xv)), { stratified: true });
    expect(cv.scores.length).toBe(5);
    expect(cv.mean).toBeGreaterThan(0.95);
    expect(cv.std).toBeLessThan(0.05);
  });

  it('crossValidate(diabetes, k-fold, OLS, r2) averages the per-fold R² it computed', () => {
    const { X, y } = loadDiabetes();
    const folds = kFold(X.rows, 5);
    const cv = crossValidate(X, y, folds, fitLinearRegression, (m, Xv, yv) => r2(yv, predictLinearRegression(m, Xv)));
    const f0 = folds[0]!;
    const m0 = fitLinearRegression(takeRows(X, f0.train), Float64Array.from(f0.train, (i) => y[i]!));
    expect(cv.scores[0]).toBe(r2(Float64Array.from(f0.test, (i) => y[i]!), predictLinearRegression(m0, takeRows(X, f0.test))));
    expect(cv.mean).toBeCloseTo(cv.scores.reduce((s, v) => s + v, 0) / 5, 12);
    expect(cv.mean).toBeGreaterThan(0.4);
  });

  it('crossValidate reports progress per fold and stops when cancelled', () => {
    const { X, y } = loadDiabetes();
    const controller = new AbortController();
    const seen: number[] = [];
    const run = () => crossValidate(X, y, kFold(X.rows, 4), fitLinearRegression, () => 0, {
      signal: controller.signal,
      progress: (p) => { seen.push(p.done); if (p.done === 2) controller.abort(); },
    });
    expect(run).toThrow(/Cancelled/);
    expect(seen).toEqual([1, 2]);
  });
});
