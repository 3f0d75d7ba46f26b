import { describe, expect, it } from 'vitest';
import { createRng } from '../../base/rng';
import { createMatrix, type FittedModel, type TreeEnsemble } from '../types';
import { crossValidate, mean, reference } from '../../../tools/fixtures/trees/reference';
import { binMatrix, fitBinMapper } from './binning';
import { encodeClasses } from './classes';
import {
  fitDecisionTreeClassifier,
  fitDecisionTreeRegressor,
  fitForestTree,
  fitRandomForestClassifier,
  fitRandomForestRegressor,
  resolveMaxFeatures,
} from './forest';
import { predictRaw } from './predict';

function ensembleOf(model: FittedModel): TreeEnsemble {
  if (model.kind !== 'treeClassifier' && model.kind !== 'treeRegressor') throw new Error('tree model expected');
  return model.ensemble;
}

describe('decision tree and random forest vs sklearn 1.2 (5-fold CV means)', () => {
  it.each(['breast_cancer', 'wine'] as const)('fitDecisionTreeClassifier / fitRandomForestClassifier on %s: accuracy (and AUC) within 0.01 of sklearn', (name) => {
    const ref = reference(name).metrics;
    const tree = crossValidate(name, (train, k) => fitDecisionTreeClassifier(train.x, train.y, {}, { seed: k }));
    const forest = crossValidate(name, (train, k) => fitRandomForestClassifier(train.x, train.y, {}, { seed: k }));
    expect(mean(tree, 'accuracy')).toBeGreaterThan(ref.decision_tree!.accuracy! - 0.01);
    expect(mean(forest, 'accuracy')).toBeGreaterThan(ref.random_forest!.accuracy! - 0.01);
    if (name === 'breast_cancer') expect(mean(forest, 'roc_auc')).toBeGreaterThan(ref.random_forest!.roc_auc! - 0.01);
  });

  it('fitDecisionTreeRegressor / fitRandomForestRegressor on diabetes: RMSE within 1% (forest) and 3% (single tree) of sklearn', () => {
    const ref = reference('diabetes').metrics;
    const tree = crossValidate('diabetes', (train, k) => fitDecisionTreeRegressor(train.x, train.y, {}, { seed: k }));
    const forest = crossValidate('diabetes', (train, k) => fitRandomForestRegressor(train.x, train.y, {}, { seed: k }));
    expect(mean(tree, 'rmse')).toBeLessThan(ref.decision_tree!.rmse! * 1.03);
    expect(mean(forest, 'rmse')).toBeLessThan(ref.random_forest!.rmse! * 1.01);
  });

  it('fitRandomForestClassifier on digits (fold 0, 10 classes): accuracy within 0.01 of sklearn', () => {
    const ref = reference('digits').per_fold;
    const [forest] = crossValidate('digits', (train) => fitRandomForestClassifier(train.x, train.y, {}, { seed: 0 }), [0]);
    expect(forest!.accuracy).toBeGreaterThan(ref.random_forest!.accuracy![0]! - 0.01);
  });
});

describe('fitRandomForest*', () => {
  const rng = createRng(9);
  const x = createMatrix(400, 5, Float64Array.from({ length: 2000 }, () => (rng.next() < 0.1 ? Number.NaN : rng.normal())));
  const y = Float64Array.from({ length: 400 }, (_, r) => ((x.data[r * 5] ?? 0) > 0.2 || Number.isNaN(x.data[r * 5 + 1]!) ? 1 : 0));

  it('fitForestTree(binned, …, seed, i) rebuilds tree i alone, so trees can be fitted on any worker', () => {
    const forest = ensembleOf(fitRandomForestClassifier(x, y, { nEstimators: 6 }, { seed: 42 }));
    const binned = binMatrix(x, fitBinMapper(x, { seed: 42 }));
    const target = { kind: 'classification' as const, y: encodeClasses(y).codes, nClasses: 2 };
    const params = { criterion: 'gini' as const, maxDepth: Infinity, minSamplesSplit: 2, minSamplesLeaf: 1, maxFeatures: resolveMaxFeatures('sqrt', 5) };
    const alone = fitForestTree(binned, target, params, true, 42, 4);
    expect(alone.threshold).toEqual(forest.trees[4]!.threshold);
    expect(alone.value).toEqual(forest.trees[4]!.value);
    expect(forest.trees[3]!.threshold).not.toEqual(forest.trees[4]!.threshold);
  });

  it('fitRandomForestClassifier(x with NaN) learns where missing values go and keeps thresholds float32-exact', () => {
    const forest = ensembleOf(fitRandomForestClassifier(x, y, { nEstimators: 20 }, { seed: 1 }));
    for (const tree of forest.trees) for (const t of tree.threshold) expect(Math.fround(t)).toBe(t);
    const probe = createMatrix(2, 5, Float64Array.from([-1, Number.NaN, 0, 0, 0, -1, 0.5, 0, 0, 0]));
    const proba = predictRaw(forest, probe);
    expect(proba[1]).toBeGreaterThan(0.7);
    expect(proba[3]).toBeLessThan(0.3);
  });

  it('fitDecisionTreeRegressor(x, y, { maxLeafNodes: 5 }) grows best-first to exactly 5 leaves', () => {
    const noisy = Float64Array.from(y, (v) => v + rng.normal());
    const tree = ensembleOf(fitDecisionTreeRegressor(x, noisy, { maxLeafNodes: 5 }, { seed: 1 })).trees[0]!;
    expect(Array.from(tree.left).filter((l) => l === -1).length).toBe(5);
    expect(tree.cover[0]).toBe(400);
  });
});
