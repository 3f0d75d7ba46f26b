import { describe, expect, it } from 'vitest';
import { createMatrix, type Tree } from '../types';
import { anomalyReference, rocAuc } from '../../../tools/fixtures/trees/reference';
import { fitIsolationForest } from './isolation-forest';
import { averagePathLength, isolationScores, predictScores } from './predict';

function leafDepths(tree: Tree): Map<number, number> {
  const depths = new Map<number, number>([[0, 0]]);
  for (let i = 0; i < tree.left.length; i++) {
    if (tree.left[i] === -1) continue;
    depths.set(tree.left[i]!, depths.get(i)! + 1);
    depths.set(tree.right[i]!, depths.get(i)! + 1);
  }
  return depths;
}

describe('fitIsolationForest', () => {
  const ref = anomalyReference();
  const x = createMatrix(ref.x.length, 4, Float64Array.from(ref.x.flat()));

  it('fitIsolationForest(anomaly set) ranks outliers with ROC AUC within 0.01 of sklearn (mean of 5 seeds)', () => {
    const aucs = [0, 1, 2, 3, 4].map((seed) => {
      const model = fitIsolationForest(x, {}, { seed });
      return rocAuc(predictScores(model, x).map((s) => -s), ref.y);
    });
    expect(aucs.reduce((a, b) => a + b) / aucs.length).toBeGreaterThan(ref.sklearn_auc - 0.01);
  });

  it('fitIsolationForest(x) leaves hold depth + c(leaf size) and scores are −2^(−E[h]/c(256))', () => {
    const model = fitIsolationForest(x, { nEstimators: 10 }, { seed: 1 });
    if (model.kind !== 'isolationForest') throw new Error('isolation forest expected');
    expect(model.sampleSize).toBe(256);
    for (const tree of model.ensemble.trees) {
      const depths = leafDepths(tree);
      expect(Math.max(...depths.values())).toBeLessThanOrEqual(8);
      for (let i = 0; i < tree.left.length; i++) {
        if (tree.left[i] !== -1) continue;
        expect(tree.value[i]).toBeCloseTo(depths.get(i)! + averagePathLength(tree.cover[i]!), 12);
      }
      expect(tree.cover[0]).toBe(256);
    }
    const scores = isolationScores(model.ensemble, 256, x);
    expect(scores.every((s) => s < 0 && s > -1)).toBe(true);
    expect(averagePathLength(256)).toBeCloseTo(10.244770920116851, 10);
  });
});
