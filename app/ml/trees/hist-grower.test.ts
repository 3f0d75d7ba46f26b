import { describe, expect, it } from 'vitest';
import { createRng } from '../../base/rng';
import { createMatrix } from '../types';
import { binMatrix, fitBinMapper } from './binning';
import { lossAndGradients } from './boosting-loss';
import { HistGrower, type HistTreeParams } from './hist-grower';
import { binCounts } from './hist-kernels';
import { sparseBins } from './sparse-bins';

describe('HistGrower', () => {
  it('grow(g, h) on one-hot data (log loss and squared error): the sparse histograms give the same trees as the all-dense ones', () => {
    const rng = createRng(8);
    const rows = 5000, groups = 3, levels = 6, cols = groups * levels + 2;
    const data = new Float64Array(rows * cols);
    const y = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      let score = 0;
      for (let k = 0; k < groups; k++) {
        // Skewed categories: level 0 for half the rows, so most one-hot columns are mostly 0.
        const level = rng.next() < 0.5 ? 0 : 1 + rng.int(levels - 1);
        data[r * cols + k * levels + level] = 1;
        score += (level - 2) * (k + 1) * 0.3;
      }
      data[r * cols + cols - 2] = rng.normal();
      data[r * cols + cols - 1] = rng.next() < 0.2 ? Number.NaN : rng.normal();
      score += data[r * cols + cols - 2]!;
      y[r] = score + rng.normal() > 0 ? 1 : 0;
    }
    const x = createMatrix(rows, cols, data);
    const binned = binMatrix(x, fitBinMapper(x));
    expect(sparseBins(binned, binCounts(binned))!.sparse.length).toBe(groups * (levels - 1));
    const params: HistTreeParams = { maxLeafNodes: 31, maxDepth: Infinity, minSamplesLeaf: 20, l2Regularization: 0, minHessianToSplit: 1e-3, learningRate: 0.1 };
    const sparse = new HistGrower(binned, params);
    const dense = new HistGrower(binned, { ...params, sparse: false });
    const raw = new Float64Array(rows);
    const g = new Float64Array(rows), h = new Float64Array(rows);
    for (let iter = 0; iter < 12; iter++) {
      // Log loss, then squared error (constant hessian: the counts stand in for Σh).
      const hess = iter < 8 ? h : undefined;
      lossAndGradients(hess ? 'log_loss' : 'squared_error', y, raw, 1, g, h);
      const a = sparse.grow(g, hess, 1, 0);
      const b = dense.grow(g, hess, 1, 0);
      expect(Array.from(a.feature)).toEqual(Array.from(b.feature));
      expect(Array.from(a.threshold)).toEqual(Array.from(b.threshold));
      expect(Array.from(a.missingLeft)).toEqual(Array.from(b.missingLeft));
      for (let i = 0; i < b.value.length; i++) expect(a.value[i]).toBeCloseTo(b.value[i]!, 12);
      sparse.addLeafValues(raw, 0);
    }
    expect(new Set(Array.from(sparse.grow(g, h, 1, 0).feature).filter((f) => f >= 0 && f < groups * levels)).size).toBeGreaterThan(3);
  });
});
