import { describe, expect, it } from 'vitest';
import { createRng } from '../base/rng';
import { groupAttributions } from './group';
import { kernelShap } from './kernel-shap';
import { columnMeans, linearShap } from './linear-shap';
import { partialDependence } from './pdp';
import { permutationImportance } from './permutation';
import type { BatchPredict, RawTable } from './table';

/** A nonlinear model over 3 numbers and one text column: interactions on purpose. */
const model = (x0: number, x1: number, x2: number, t: string | null) => x0 * x1 + Math.sin(x2) + (t === 'a' ? 2 : t === 'b' ? -1 : 0) * x0;
const predict: BatchPredict = async (table) => {
  const [c0, c1, c2, c3] = table.columns as [Float64Array, Float64Array, Float64Array, (string | null)[]];
  return Float64Array.from({ length: table.rows }, (_, i) => model(c0[i]!, c1[i]!, c2[i]!, c3[i] ?? null));
};

function randomTable(rows: number, seed: number): RawTable {
  const rng = createRng(seed);
  const num = () => Float64Array.from({ length: rows }, () => rng.normal());
  return { names: ['x0', 'x1', 'x2', 't'], columns: [num(), num(), num(), Array.from({ length: rows }, () => ['a', 'b', 'c'][rng.int(3)]!)], rows };
}

/** Exact interventional Shapley values by enumerating all coalitions (reference, ≤ 10 features). */
async function bruteForceShapley(f: BatchPredict, background: RawTable, x: RawTable, row: number): Promise<Float64Array> {
  const m = x.columns.length;
  const value = async (mask: number) => {
    const columns = x.columns.map((col, j) =>
      col instanceof Float64Array
        ? Float64Array.from({ length: background.rows }, (_, b) => ((mask >> j) & 1 ? col[row]! : (background.columns[j] as Float64Array)[b]!))
        : Array.from({ length: background.rows }, (_, b) => ((mask >> j) & 1 ? col[row]! : (background.columns[j] as (string | null)[])[b]!)),
    );
    const out = await f({ names: x.names, columns, rows: background.rows });
    return out.reduce((a, b) => a + b, 0) / background.rows;
  };
  const v = new Float64Array(1 << m);
  for (let mask = 0; mask < 1 << m; mask++) v[mask] = await value(mask);
  const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));
  const phi = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    for (let mask = 0; mask < 1 << m; mask++) {
      if ((mask >> j) & 1) continue;
      const size = popcount(mask);
      phi[j]! += ((fact(size) * fact(m - size - 1)) / fact(m)) * (v[mask | (1 << j)]! - v[mask]!);
    }
  }
  return phi;
}

function popcount(n: number): number {
  let c = 0;
  for (; n; n &= n - 1) c++;
  return c;
}

describe('kernelShap(predict, background, x)', () => {
  it('equals brute-force Shapley values to 1e-9 when every coalition fits the budget, and is additive', async () => {
    const background = randomTable(12, 1);
    const x = randomTable(4, 2);
    const result = await kernelShap(predict, background, x, { nSamples: 1000 });
    expect(result.exact).toBe(true);
    for (let r = 0; r < x.rows; r++) {
      const reference = await bruteForceShapley(predict, background, x, r);
      for (let j = 0; j < 4; j++) expect(result.values[r * 4 + j]).toBeCloseTo(reference[j]!, 9);
      const total = result.baseValue + result.values.subarray(r * 4, r * 4 + 4).reduce((a, b) => a + b, 0);
      expect(total).toBeCloseTo(result.outputs[r]!, 9);
    }
  });

  it('converges to the exact values of an additive model with sampled coalitions (12 features)', async () => {
    const m = 12;
    const weights = Float64Array.from({ length: m }, (_, j) => j - 5);
    const additive: BatchPredict = async (t) => Float64Array.from({ length: t.rows }, (_, i) => t.columns.reduce((s, c, j) => s + weights[j]! * Math.tanh((c as Float64Array)[i]!), 0));
    const rng = createRng(3);
    const table = (rows: number): RawTable => ({ names: Array.from({ length: m }, (_, j) => `f${j}`), columns: Array.from({ length: m }, () => Float64Array.from({ length: rows }, () => rng.normal())), rows });
    const background = table(8);
    const x = table(2);
    const result = await kernelShap(additive, background, x, { nSamples: 600, seed: 5 });
    expect(result.exact).toBe(false);
    for (let r = 0; r < 2; r++) {
      for (let j = 0; j < m; j++) {
        const bgMean = (background.columns[j] as Float64Array).reduce((s, v) => s + Math.tanh(v), 0) / background.rows;
        const exact = weights[j]! * (Math.tanh((x.columns[j] as Float64Array)[r]!) - bgMean);
        expect(Math.abs(result.values[r * m + j]! - exact)).toBeLessThan(1e-6);
      }
    }
  });
});

describe('linearShap(coef, intercept, mean, X)', () => {
  it('equals brute-force Shapley values with a mean background and is additive', async () => {
    const coef = Float64Array.from([1.5, -2, 0.25]);
    const X = { rows: 3, cols: 3, data: Float64Array.from([1, 2, 3, -1, 0, 5, 0.5, 0.5, 0.5]) };
    const mean = columnMeans({ rows: 3, cols: 3, data: Float64Array.from([0, 1, 2, 2, 1, 0, 1, 1, 1]) });
    const { values, baseValue } = linearShap(coef, 0.7, mean, X);
    const f: BatchPredict = async (t) => Float64Array.from({ length: t.rows }, (_, i) => 0.7 + t.columns.reduce((s, c, j) => s + coef[j]! * (c as Float64Array)[i]!, 0));
    const asTable = (m: typeof X): RawTable => ({ names: ['a', 'b', 'c'], columns: [0, 1, 2].map((j) => Float64Array.from({ length: m.rows }, (_, r) => m.data[r * 3 + j]!)), rows: m.rows });
    const background: RawTable = { names: ['a', 'b', 'c'], columns: [0, 1, 2].map((j) => Float64Array.of(mean[j]!)), rows: 1 };
    for (let r = 0; r < 3; r++) {
      const reference = await bruteForceShapley(f, background, asTable(X), r);
      for (let j = 0; j < 3; j++) expect(values[r * 3 + j]).toBeCloseTo(reference[j]!, 12);
    }
    expect(baseValue + values[0]! + values[1]! + values[2]!).toBeCloseTo(0.7 + 1.5 - 4 + 0.75, 12);
  });
});

describe('permutationImportance(predict, table, y, score)', () => {
  it('gives exactly zero to columns the model ignores and a positive drop to the one it uses, reproducibly', async () => {
    const table = randomTable(200, 9);
    const onlyX0: BatchPredict = async (t) => Float64Array.from(t.columns[0] as Float64Array);
    const y = Float64Array.from(table.columns[0] as Float64Array);
    const negMse = (a: Float64Array, b: Float64Array) => -a.reduce((s, v, i) => s + (v - b[i]!) ** 2, 0) / a.length;
    const first = await permutationImportance(onlyX0, table, y, negMse, { repeats: 5, seed: 1 });
    const second = await permutationImportance(onlyX0, table, y, negMse, { repeats: 5, seed: 1 });
    expect(first.baseline === 0).toBe(true);
    expect(first.importances[0]!.mean).toBeGreaterThan(1);
    for (const imp of first.importances.slice(1)) expect(imp.mean === 0, imp.column).toBe(true);
    expect([...second.importances[0]!.drops]).toEqual([...first.importances[0]!.drops]);
  });
});

describe('partialDependence(predict, table, column)', () => {
  it('recovers the slope of an additive term and returns parallel ICE curves', async () => {
    const table = randomTable(100, 4);
    const additive: BatchPredict = async (t) => Float64Array.from({ length: t.rows }, (_, i) => 2 * (t.columns[0] as Float64Array)[i]! + Math.sin((t.columns[1] as Float64Array)[i]!));
    const pd = await partialDependence(additive, table, 'x0', { gridResolution: 10, iceCurves: 3 });
    expect(pd.grid).toHaveLength(10);
    for (let g = 1; g < 10; g++) expect((pd.average[g]! - pd.average[g - 1]!) / (Number(pd.grid[g]) - Number(pd.grid[g - 1]))).toBeCloseTo(2, 9);
    const ice = pd.ice!;
    for (let i = 1; i < 3; i++) expect(ice[i * 10 + 5]! - ice[i * 10]!).toBeCloseTo(ice[5]! - ice[0]!, 9);
  });

  it('uses the categories of a text column as its grid', async () => {
    const pd = await partialDependence(predict, randomTable(50, 6), 't');
    expect(pd.grid).toEqual(['a', 'b', 'c']);
  });
});

describe('groupAttributions(values, features, lineage, raw)', () => {
  it('sums derived features into their raw column and keeps each row total', () => {
    const grouped = groupAttributions(Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]), 4, [0, 1, 1, 0], 2);
    expect([...grouped]).toEqual([5, 5, 13, 13]);
  });
});
