import { describe, expect, it } from 'vitest';
import { createRng } from '../base/rng';
import { createMatrix, type Matrix, type Tree, type TreeEnsemble } from '../ml/types';
import { fitRandomForestRegressor, fitRandomForestClassifier } from '../ml/trees/forest';
import { fitHistGradientBoostingClassifier } from '../ml/trees/hist-gbdt';
import { predictRaw } from '../ml/trees/predict';
import { treeShap } from './tree-shap';

function randomData(rows: number, cols: number, seed: number): { x: Matrix; y: Float64Array; labels: Float64Array } {
  const rng = createRng(seed);
  const x = createMatrix(rows, cols);
  const y = new Float64Array(rows);
  const labels = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) x.data[r * cols + c] = rng.next() < 0.05 ? Number.NaN : Math.round(rng.normal() * 100) / 100;
    const v = (i: number) => (Number.isNaN(x.data[r * cols + i]!) ? 0 : x.data[r * cols + i]!);
    y[r] = v(0) * 2 + v(1) * v(2) + Math.sin(v(3)) + 0.1 * rng.normal();
    labels[r] = y[r]! > 0.3 ? (y[r]! > 1.5 ? 2 : 1) : 0;
  }
  return { x, y, labels };
}

/** E[f(x) | x_S] with the path-dependent rule: unknown features follow both children by cover. */
function conditional(tree: Tree, x: Float64Array, known: number, k: number, j: number, node = 0): number {
  const l = tree.left[node]!;
  if (l === -1) return tree.value[node * k + j]!;
  const f = tree.feature[node]!;
  const r = tree.right[node]!;
  if (known & (1 << f)) {
    const v = x[f]!;
    const goLeft = v <= tree.threshold[node]! || (Number.isNaN(v) && tree.missingLeft[node] === 1);
    return conditional(tree, x, known, k, j, goLeft ? l : r);
  }
  const c = tree.cover[node]!;
  return (tree.cover[l]! * conditional(tree, x, known, k, j, l) + tree.cover[r]! * conditional(tree, x, known, k, j, r)) / c;
}

/** Shapley values over all 2^M coalitions, straight from the definition. */
function bruteForce(ensemble: TreeEnsemble, x: Float64Array): Float64Array {
  const m = ensemble.nFeatures;
  const k = ensemble.nOutputs;
  const scale = ensemble.aggregate === 'average' ? 1 / ensemble.trees.length : 1;
  const v = (set: number, j: number) => ensemble.trees.reduce((sum, t) => sum + scale * conditional(t, x, set, k, j), 0);
  const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));
  const phi = new Float64Array(m * k);
  for (let i = 0; i < m; i++) {
    for (let set = 0; set < 1 << m; set++) {
      if (set & (1 << i)) continue;
      let size = 0;
      for (let b = 0; b < m; b++) if (set & (1 << b)) size++;
      const weight = (fact(size) * fact(m - size - 1)) / fact(m);
      for (let j = 0; j < k; j++) phi[i * k + j]! += weight * (v(set | (1 << i), j) - v(set, j));
    }
  }
  return phi;
}

function expectMatchesBruteForce(ensemble: TreeEnsemble, x: Matrix, rows: number): void {
  const shap = treeShap(ensemble, x);
  const k = ensemble.nOutputs;
  for (let r = 0; r < rows; r++) {
    const expected = bruteForce(ensemble, x.data.subarray(r * x.cols, (r + 1) * x.cols));
    const got = shap.values.subarray(r * x.cols * k, (r + 1) * x.cols * k);
    for (let i = 0; i < expected.length; i++) expect(got[i]).toBeCloseTo(expected[i]!, 9);
  }
}

function expectAdditive(ensemble: TreeEnsemble, x: Matrix): void {
  const shap = treeShap(ensemble, x);
  const raw = predictRaw(ensemble, x);
  const k = ensemble.nOutputs;
  let worst = 0;
  for (let r = 0; r < x.rows; r++) {
    for (let j = 0; j < k; j++) {
      let total = shap.expectedValue[j]!;
      for (let f = 0; f < x.cols; f++) total += shap.values[(r * x.cols + f) * k + j]!;
      worst = Math.max(worst, Math.abs(total - raw[r * k + j]!));
    }
  }
  expect(worst).toBeLessThan(1e-6);
}

describe('treeShap', () => {
  it('treeShap(forest, x) equals brute-force Shapley values over all coalitions (6 features, NaN, repeated splits)', () => {
    const { x, y } = randomData(300, 6, 1);
    const model = fitRandomForestRegressor(x, y, { nEstimators: 5, maxDepth: 6 }, { seed: 3 });
    if (model.kind !== 'treeRegressor') throw new Error('regressor expected');
    expectMatchesBruteForce(model.ensemble, x, 20);
  });

  it('treeShap(multiclass forest, x) matches brute force for every class output (8 features)', () => {
    const { x, labels } = randomData(200, 8, 2);
    const model = fitRandomForestClassifier(x, labels, { nEstimators: 3, maxDepth: 5 }, { seed: 4 });
    if (model.kind !== 'treeClassifier') throw new Error('classifier expected');
    expect(model.ensemble.nOutputs).toBe(3);
    expectMatchesBruteForce(model.ensemble, x, 10);
  });

  it('treeShap(boosted softmax trees, x) is additive: expectedValue + Σφ = raw score to 1e-6', () => {
    const { x, labels } = randomData(400, 7, 3);
    const { model } = fitHistGradientBoostingClassifier(x, labels, { maxIter: 8, minSamplesLeaf: 5 }, { seed: 5 });
    if (model.kind !== 'treeClassifier') throw new Error('classifier expected');
    expectAdditive(model.ensemble, x);
    const firstIterations = { ...model.ensemble, trees: model.ensemble.trees.slice(0, 6) };
    expectMatchesBruteForce(firstIterations, x, 2);
  });

  it('treeShap(deep forest, x) stays additive on trees with 15+ levels', () => {
    const { x, y } = randomData(2000, 10, 4);
    const model = fitRandomForestRegressor(x, y, { nEstimators: 5, minSamplesLeaf: 3 }, { seed: 6 });
    if (model.kind !== 'treeRegressor') throw new Error('regressor expected');
    expectAdditive(model.ensemble, createMatrix(30, 10, x.data.slice(0, 300)));
  });
});
