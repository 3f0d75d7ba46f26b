import { describe, expect, it } from 'vitest';
import { createRng } from '../base/rng';
import { fitLogisticRegression, fitLogisticRegressionWithInfo } from './logistic-regression';
import { binaryObjective, multinomialObjective } from './logistic-objectives';
import { minimizeLbfgs } from './optim/lbfgs';
import type { Matrix } from './types';

/** n rows of p noisy features (mean `offset`, scale `scale`) labelled by a random hyperplane, 3% flipped. */
function problem(n: number, p: number, seed: number, offset = 0, scale = 1): { X: Matrix; y: Float64Array } {
  const rng = createRng(seed), w = Array.from({ length: p }, () => rng.normal());
  const data = new Float64Array(n * p), y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = 0.3 * rng.normal();
    for (let j = 0; j < p; j++) { const v = rng.normal(); data[i * p + j] = offset + scale * v; z += v * w[j]!; }
    y[i] = rng.next() < 0.03 ? 1 - Number(z > 0) : Number(z > 0);
  }
  return { X: { rows: n, cols: p, data }, y };
}

/** max |∇| of the summed objective (loss + ½‖w‖², C = 1) at a fitted model, in raw coordinates. */
function gradientAt(X: Matrix, y: Float64Array, coef: Float64Array, intercept: number): number {
  const w = Float64Array.of(...coef, intercept), g = new Float64Array(w.length);
  binaryObjective(X, Uint8Array.from(y), 1, true)(w, g);
  return Math.max(...g.map(Math.abs));
}

describe('logistic regression subsample warm start', () => {
  it('fitLogisticRegression(60k×15) reaches plain L-BFGS\'s optimum to 1e-6 in at most half its passes', () => {
    const { X, y } = problem(60_000, 15, 11);
    const plain = minimizeLbfgs(binaryObjective(X, Uint8Array.from(y), 1, true), new Float64Array(16), { gtol: 1e-4, ftol: 64 * Number.EPSILON });
    const fit = fitLogisticRegressionWithInfo(X, y);
    expect(fit.converged).toBe(true);
    expect(fit.evaluations).toBeLessThanOrEqual(plain.evaluations / 2);
    for (let j = 0; j < 15; j++) expect(Math.abs(fit.model.coef[j]! - plain.x[j]!)).toBeLessThan(1e-6);
    expect(Math.abs(fit.model.intercept[0]! - plain.x[15]!)).toBeLessThan(1e-6);
    expect(gradientAt(X, y, fit.model.coef, fit.model.intercept[0]!)).toBeLessThan(1e-3);
  });

  it('fitLogisticRegression(unscaled 40k×10, standardised run) ends at a zero gradient of the raw objective', () => {
    const { X, y } = problem(40_000, 10, 12, 500, 40);
    const fit = fitLogisticRegressionWithInfo(X, y);
    expect(fit.converged).toBe(true);
    expect(fit.evaluations).toBeLessThan(15);
    // The raw gradient is large along the offset directions by construction; in the coordinates
    // of centred, unit-scale features (g_j − m_j·g_b)/s_j, where the fit's tol applies, it is ~0.
    const p = X.cols, w = Float64Array.of(...fit.model.coef, fit.model.intercept[0]!), g = new Float64Array(p + 1);
    binaryObjective(X, Uint8Array.from(y), 1, true)(w, g);
    for (let j = 0; j < p; j++) {
      let m = 0, v = 0;
      for (let i = 0; i < X.rows; i++) m += X.data[i * p + j]! / X.rows;
      for (let i = 0; i < X.rows; i++) v += (X.data[i * p + j]! - m) ** 2 / X.rows;
      expect(Math.abs((g[j]! - m * g[p]!) / Math.sqrt(v))).toBeLessThan(1e-3);
    }
    expect(Math.abs(g[p]!)).toBeLessThan(1e-3);
  });

  it('fitLogisticRegression(40k×12, 3 classes) reaches plain L-BFGS\'s multinomial optimum to 1e-5 in at most half its passes', () => {
    const rng = createRng(14), n = 40_000, p = 12, K = 3;
    const W = Array.from({ length: K * p }, () => rng.normal());
    const data = new Float64Array(n * p), y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < p; j++) data[i * p + j] = rng.normal() + (j === 0 ? 3 : 0);
      const z = Array.from({ length: K }, (_, k) => W.slice(k * p, k * p + p).reduce((s, w, j) => s + w * data[i * p + j]!, 0) + rng.normal());
      y[i] = z.indexOf(Math.max(...z));
    }
    const X: Matrix = { rows: n, cols: p, data };
    const plain = minimizeLbfgs(multinomialObjective(X, Int32Array.from(y), K, 1, true), new Float64Array(K * (p + 1)), { gtol: 1e-4, ftol: 64 * Number.EPSILON });
    const fit = fitLogisticRegressionWithInfo(X, y);
    expect(fit.converged).toBe(true);
    expect(fit.evaluations).toBeLessThanOrEqual(plain.evaluations / 2);
    // Both stop at tol 1e-4 on a summed gradient of 40k rows: each ~1e-6 from the optimum.
    for (let c = 0; c < K * p; c++) expect(Math.abs(fit.model.coef[c]! - plain.x[c]!)).toBeLessThan(1e-5);
    // Intercepts are unique only up to a common shift (unpenalised softmax): compare their differences.
    for (let k = 1; k < K; k++) expect(Math.abs(fit.model.intercept[k]! - fit.model.intercept[0]! - (plain.x[K * p + k]! - plain.x[K * p]!))).toBeLessThan(1e-5);
  });

  it('fitLogisticRegression(40k rows) is bit-identical for the same seed', () => {
    const { X, y } = problem(40_000, 8, 13);
    const a = fitLogisticRegression(X, y, {}, { seed: 4 }), b = fitLogisticRegression(X, y, {}, { seed: 4 });
    expect(Array.from(a.coef)).toEqual(Array.from(b.coef));
    expect(Array.from(a.intercept)).toEqual(Array.from(b.intercept));
  });
});
