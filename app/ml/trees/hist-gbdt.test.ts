import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../base/errors';
import { createRng } from '../../base/rng';
import { createMatrix } from '../types';
import { crossValidate, mean, reference } from '../../../tools/fixtures/trees/reference';
import { fitHistGradientBoostingClassifier, fitHistGradientBoostingRegressor, type BoostingStep } from './hist-gbdt';
import { predictProba, predictRaw } from './predict';

describe('histogram gradient boosting vs sklearn 1.2 HistGradientBoosting* (defaults, 5-fold CV)', () => {
  it.each(['breast_cancer', 'wine'] as const)('fitHistGradientBoostingClassifier on %s: accuracy (and AUC) within 0.01 of sklearn', (name) => {
    const ref = reference(name).metrics.hist_gbdt!;
    const ours = crossValidate(name, (train, k) => fitHistGradientBoostingClassifier(train.x, train.y, {}, { seed: k }).model);
    expect(Math.abs(mean(ours, 'accuracy') - ref.accuracy!)).toBeLessThan(0.01);
    if (ref.roc_auc !== undefined) expect(Math.abs(mean(ours, 'roc_auc') - ref.roc_auc)).toBeLessThan(0.01);
  });

  it.each(['diabetes', 'wine_quality'] as const)('fitHistGradientBoostingRegressor on %s: RMSE within 1% of sklearn', (name) => {
    const ref = reference(name).metrics.hist_gbdt!;
    const ours = crossValidate(name, (train, k) => fitHistGradientBoostingRegressor(train.x, train.y, {}, { seed: k }).model);
    expect(Math.abs(mean(ours, 'rmse') / ref.rmse! - 1)).toBeLessThan(0.01);
  });

  it('fitHistGradientBoostingClassifier on digits (softmax, 10 trees per iteration, fold 0): accuracy within 0.01', () => {
    const ref = reference('digits').per_fold.hist_gbdt!;
    const [ours] = crossValidate('digits', (train) => fitHistGradientBoostingClassifier(train.x, train.y, { maxIter: 100 }, { seed: 0 }).model, [0]);
    expect(Math.abs(ours!.accuracy! - ref.accuracy![0]!)).toBeLessThan(0.01);
  });
});

describe('fitHistGradientBoosting* training control', () => {
  const rng = createRng(3);
  const rows = 3000;
  const x = createMatrix(rows, 4, Float64Array.from({ length: rows * 4 }, () => (rng.next() < 0.05 ? Number.NaN : rng.normal())));
  const y = Float64Array.from({ length: rows }, (_, r) => (Math.abs(x.data[r * 4]!) + 0.3 * rng.normal() > 0.8 ? 1 : 0));

  it('fitHistGradientBoostingClassifier(x, y, { validation }) reports both losses per iteration and stops early', () => {
    const steps: BoostingStep[] = [];
    const validation = { x: createMatrix(1000, 4, x.data.slice(0, 4000)), y: y.slice(0, 1000) };
    const train = createMatrix(2000, 4, x.data.slice(4000));
    const result = fitHistGradientBoostingClassifier(train, y.slice(1000), { maxIter: 300, learningRate: 0.3, validation, onIteration: (s) => steps.push(s) }, { seed: 1 });
    expect(result.nIter).toBeLessThan(300);
    expect(steps.length).toBe(result.nIter);
    expect(steps.every((s) => s.validLoss !== undefined)).toBe(true);
    expect(steps.at(-1)!.trainLoss).toBeLessThan(result.history[0]!.trainLoss);
    const best = Math.min(...steps.map((s) => s.validLoss!));
    expect(steps.slice(-10).every((s) => s.validLoss! > best - 1e-7)).toBe(true);
    if (result.model.kind !== 'treeClassifier') throw new Error('classifier expected');
    expect(result.model.ensemble.trees.length).toBe(result.nIter);
  });

  it('fitHistGradientBoostingRegressor(…, { signal }) throws CancelledError once the signal fires', () => {
    const controller = new AbortController();
    const run = () =>
      fitHistGradientBoostingRegressor(x, y, { maxIter: 50, onIteration: (s) => s.iteration === 3 && controller.abort() }, { seed: 1, signal: controller.signal });
    expect(run).toThrow(CancelledError);
  });

  it('fitHistGradientBoostingClassifier(x with NaN) routes missing values, and raw + logistic = predictProba', () => {
    const { model } = fitHistGradientBoostingClassifier(x, y, { maxIter: 20 }, { seed: 1 });
    if (model.kind !== 'treeClassifier') throw new Error('classifier expected');
    expect(model.ensemble.trees.some((t) => t.missingLeft.some((m) => m === 1))).toBe(true);
    const raw = predictRaw(model.ensemble, x);
    const proba = predictProba(model.ensemble, x);
    for (let r = 0; r < 50; r++) expect(proba[2 * r + 1]).toBeCloseTo(1 / (1 + Math.exp(-raw[r]!)), 12);
  });
});
