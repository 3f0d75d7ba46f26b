import { describe, expect, it } from 'vitest';
import { createRng } from '../../base/rng';
import { createMatrix } from '../types';
import { binMatrix, fitBinMapper } from './binning';
import { BIN_STRIDE, binCounts, nodeHistogram, rootHistogram } from './hist-kernels';
import { fillModeBins, sparseBins, sparseNodeHistogram, sparseRootHistogram } from './sparse-bins';

const rng = createRng(21);
const rows = 4000, cols = 12;
// Columns 0–7 one-hot-like (mostly 0), 8 mostly missing, 9 a mostly-zero amount, 10–11 dense.
const x = createMatrix(rows, cols, Float64Array.from({ length: rows * cols }, (_, i) => {
  const f = i % cols;
  if (f < 8) return rng.next() < 0.1 ? 1 : 0;
  if (f === 8) return rng.next() < 0.85 ? Number.NaN : rng.normal();
  if (f === 9) return rng.next() < 0.8 ? 0 : Math.exp(rng.normal());
  return rng.normal();
}));
const binned = binMatrix(x, fitBinMapper(x));
const counts = binCounts(binned);
const all = Int32Array.from({ length: cols }, (_, f) => f);
const g = Float64Array.from({ length: rows }, () => rng.normal());
const h = Float64Array.from({ length: rows }, () => 0.25 * rng.next());

function expectClose(got: Float64Array, want: Float64Array): void {
  for (let i = 0; i < want.length; i++) if (Math.abs(got[i]! - want[i]!) > 1e-9) expect([i, got[i]]).toEqual([i, want[i]]);
}

describe('sparseBins', () => {
  const sp = sparseBins(binned, counts)!;

  it('sparseBins(binned) indexes the features whose common bin holds ≥ 75 % of rows, and none of dense data', () => {
    expect(Array.from(sp.sparse)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(sp.dense)).toEqual([10, 11]);
    expect(sp.mode[8]).toBe(255);
    const x2 = createMatrix(rows, 2, x.data.filter((_, i) => i % cols >= 10));
    const dense = binMatrix(x2, fitBinMapper(x2));
    expect(sparseBins(dense, binCounts(dense))).toBeUndefined();
  });

  it('sparse root histograms plus fillModeBins equal the dense ones (to 1e-9)', () => {
    for (const hess of [h, undefined]) {
      const want = new Float64Array(cols * 256 * BIN_STRIDE);
      rootHistogram(want, binned, all, g, hess);
      const got = new Float64Array(want.length);
      rootHistogram(got, binned, sp.dense, g, hess);
      sparseRootHistogram(got, sp, g, hess);
      let sumG = 0, sumH = 0;
      for (let r = 0; r < rows; r++) { sumG += g[r]!; sumH += hess ? hess[r]! : 1; }
      if (!hess) for (let q = 0; q < counts.length; q++) want[q * BIN_STRIDE + 1] = got[q * BIN_STRIDE + 1] = counts[q]!;
      fillModeBins(got, sp, binned.nBins, [sumG, sumH], hess ? 2 : 1);
      expectClose(got, want);
    }
  });

  it('sparse node histograms (a row subset) plus fillModeBins equal the dense ones, counts exactly', () => {
    const idx = Uint32Array.from({ length: rows }, (_, r) => r).filter(() => rng.next() < 0.3);
    const og = Float64Array.from(idx, (r) => g[r]!), oh = Float64Array.from(idx, (r) => h[r]!);
    const want = new Float64Array(cols * 256 * BIN_STRIDE);
    nodeHistogram(want, binned, all, idx, 0, idx.length, og, oh);
    const got = new Float64Array(want.length);
    nodeHistogram(got, binned, sp.dense, idx, 0, idx.length, og, oh);
    sparseNodeHistogram(got, sp, idx, 0, idx.length, og, oh);
    fillModeBins(got, sp, binned.nBins, [og.reduce((a, b) => a + b, 0), oh.reduce((a, b) => a + b, 0), idx.length], 3);
    expectClose(got, want);
    for (let q = 2; q < want.length; q += BIN_STRIDE) expect(got[q]).toBe(want[q]);
  });
});
