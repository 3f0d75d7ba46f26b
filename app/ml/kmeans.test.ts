import { describe, expect, it } from 'vitest';
import { loadCounted, loadDigits, readFixture, standardize } from '../../tools/fixtures/ml/datasets';
import { fitKMeans, fitKMeansWithInfo } from './kmeans';
import { predictKMeans } from './predict';
import type { Matrix } from './types';
import { createRng } from '../base/rng';

interface Ref { k: number; nInit: number; inertia: number; inertias: number[] }
const fx = readFixture<Record<'digits_k10' | 'wine_k3', Ref>>('kmeans.json');
const digits = loadDigits().X;
const wine = standardize(loadCounted('wine_data.csv').X);

describe('fitKMeans', () => {
  it('fitKMeans(digits, k=10, nInit=10) has inertia within 1% of sklearn KMeans (dense and zero-skipping)', () => {
    const ref = fx.digits_k10;
    for (const [seed, skipZeros] of [[1, false], [2, false], [1, true]] as const) {
      const m = fitKMeans(digits, { k: ref.k, nInit: ref.nInit, skipZeros }, { seed });
      expect(Math.abs(m.inertia - ref.inertia) / ref.inertia).toBeLessThan(0.01);
    }
  });

  it('fitKMeans(standardised wine, k=3) finds sklearn\'s inertia to 1e-6', () => {
    const ref = fx.wine_k3;
    const m = fitKMeans(wine, { k: ref.k, nInit: ref.nInit }, { seed: 5 });
    expect(Math.abs(m.inertia - ref.inertia) / ref.inertia).toBeLessThan(1e-6);
  });

  it('fitKMeans reports inertia equal to the labels\' summed squared distances, and predictKMeans agrees', () => {
    const fit = fitKMeansWithInfo(wine, { k: 4, nInit: 2 }, { seed: 9 });
    const { labels, distances } = predictKMeans(fit.model, wine);
    expect(Array.from(labels)).toEqual(Array.from(fit.labels));
    let inertia = 0;
    for (let i = 0; i < wine.rows; i++) inertia += distances[i * 4 + labels[i]!]! ** 2;
    expect(Math.abs(inertia - fit.model.inertia) / inertia).toBeLessThan(1e-12);
    for (let i = 0; i < wine.rows; i++) {
      for (let c = 0; c < 4; c++) expect(distances[i * 4 + c]!).toBeGreaterThanOrEqual(distances[i * 4 + labels[i]!]!);
    }
  });

  it('fitKMeans(X, {algorithm: \'hamerly\'}) gives bit-identical labels, centers, inertia and iterations to plain Lloyd', () => {
    const rng = createRng(3);
    const ties: Matrix = { rows: 600, cols: 3, data: Float64Array.from({ length: 1800 }, () => rng.int(4)) };
    const offset: Matrix = { rows: 400, cols: 2, data: Float64Array.from({ length: 800 }, () => 1e6 + rng.next()) };
    const cases: [Matrix, number][] = [[digits, 10], [wine, 3], [wine, 8], [loadCounted('wine_data.csv').X, 5], [ties, 6], [offset, 4], [wine, 1]];
    for (const [X, k] of cases) {
      const fast = fitKMeansWithInfo(X, { k, nInit: 2 }, { seed: 7 }), plain = fitKMeansWithInfo(X, { k, nInit: 2, algorithm: 'lloyd' }, { seed: 7 });
      expect(Buffer.from(fast.labels.buffer)).toEqual(Buffer.from(plain.labels.buffer));
      expect(Buffer.from(fast.model.centers.data.buffer)).toEqual(Buffer.from(plain.model.centers.data.buffer));
      expect(fast.model.inertia).toBe(plain.model.inertia);
      expect(fast.iterations).toBe(plain.iterations);
    }
  });

  it('fitKMeans keeps cluster sums incrementally: converged centers equal the means of their rows to 1e-12', () => {
    for (const [X, k] of [[digits, 10], [wine, 8]] as const) {
      const fit = fitKMeansWithInfo(X, { k, nInit: 2, tol: 0 }, { seed: 4 });
      expect(fit.iterations).toBeLessThan(300);
      const { cols: p, data } = X, c = fit.model.centers.data;
      const sums = new Float64Array(k * p), counts = new Float64Array(k);
      for (let i = 0; i < X.rows; i++) {
        const l = fit.labels[i]!;
        counts[l]!++;
        for (let j = 0; j < p; j++) sums[l * p + j]! += data[i * p + j]!;
      }
      let scale = 0;
      for (const v of data) scale = Math.max(scale, Math.abs(v));
      for (let q = 0; q < k * p; q++) expect(Math.abs(c[q]! - sums[q]! / counts[Math.floor(q / p)]!)).toBeLessThan(1e-12 * scale);
    }
  });

  it('fitKMeans(X, {skipZeros}) gives the same fit bit for bit as the dense path, for one-hot data and digits', () => {
    const rng = createRng(12);
    const levels = [3, 5, 4, 6], p = 1 + levels.reduce((a, b) => a + b, 0), n = 700;
    const data = new Float64Array(n * p);
    for (let i = 0; i < n; i++) {
      data[i * p] = rng.normal();
      let o = 1;
      for (const l of levels) { data[i * p + o + rng.int(l)] = 1; o += l; }
    }
    const oneHot: Matrix = { rows: n, cols: p, data };
    for (const [X, k] of [[oneHot, 6], [digits, 10], [{ rows: 6, cols: 1, data: Float64Array.of(0, 0, 0, 10, 10, 20) }, 3]] as const) {
      for (const algorithm of ['hamerly', 'lloyd'] as const) {
        const sparse = fitKMeansWithInfo(X, { k, nInit: 2, algorithm, skipZeros: true }, { seed: 3 });
        const dense = fitKMeansWithInfo(X, { k, nInit: 2, algorithm, skipZeros: false }, { seed: 3 });
        expect(Buffer.from(sparse.labels.buffer)).toEqual(Buffer.from(dense.labels.buffer));
        expect(Buffer.from(sparse.model.centers.data.buffer)).toEqual(Buffer.from(dense.model.centers.data.buffer));
        expect(sparse.model.inertia).toBe(dense.model.inertia);
        expect(sparse.iterations).toBe(dense.iterations);
      }
    }
  });

  it('fitKMeans with the same seed is bit-identical, and another seed may differ', () => {
    const a = fitKMeans(wine, { k: 5, nInit: 3 }, { seed: 11 }), b = fitKMeans(wine, { k: 5, nInit: 3 }, { seed: 11 });
    expect(Buffer.from(a.centers.data.buffer)).toEqual(Buffer.from(b.centers.data.buffer));
    expect(a.inertia).toBe(b.inertia);
  });

  it('fitKMeans gives an empty-looking cluster a row: k equal to the number of distinct points', () => {
    const X: Matrix = { rows: 6, cols: 1, data: Float64Array.of(0, 0, 0, 10, 10, 20) };
    const fit = fitKMeansWithInfo(X, { k: 3, nInit: 1 }, { seed: 0 });
    expect(new Set(fit.labels).size).toBe(3);
    expect(fit.model.inertia).toBe(0);
  });

  it('fitKMeans reports progress, stops when cancelled, and refuses bad input in plain words', () => {
    let calls = 0;
    fitKMeans(wine, { k: 3, nInit: 2 }, { seed: 1, progress: (p) => { calls++; expect(p.total).toBe(600); } });
    expect(calls).toBeGreaterThan(2);
    const controller = new AbortController();
    controller.abort();
    expect(() => fitKMeans(wine, { k: 3 }, { seed: 1, signal: controller.signal })).toThrow(/Cancelled/);
    expect(() => fitKMeans(wine, { k: 500 })).toThrow(/cannot make 500 clusters out of 178 rows/);
    expect(() => fitKMeans({ rows: 2, cols: 1, data: Float64Array.of(1, NaN) }, { k: 1 })).toThrow(/column 0 has a missing value \(NaN\) in row 1; k-means/);
  });
});
