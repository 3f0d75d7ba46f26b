import { describe, expect, it } from 'vitest';
import { createRng } from '../../base/rng';
import { compilePipeline } from '../compile';
import { fitModelJob } from './train';
import type { ModelJob } from './train';

function job(kind: ModelJob['kind'], params: Record<string, unknown>, y: ModelJob['y']): ModelJob {
  const rng = createRng(3);
  const n = 300;
  const data = Float64Array.from({ length: n * 3 }, () => rng.normal());
  return { kind, params: { target: 'y', ...params }, x: { rows: n, cols: 3, data }, y, featureNames: ['a', 'b', 'c'] };
}

function labels(n: number): string[] {
  const rng = createRng(5);
  return Array.from({ length: n }, () => (rng.next() < 0.4 ? 'yes' : 'no'));
}

describe('fitModelJob(job)', () => {
  it('fitModelJob(same job) twice compiles to identical ONNX bytes (boosting, forest, logistic)', () => {
    for (const [kind, params] of [['histGradientBoosting', { maxIter: 10 }], ['randomForest', { nTrees: 5 }], ['logisticRegression', {}]] as const) {
      const compile = () => compilePipeline({ pipelineId: 'p', columns: ['a', 'b', 'c'].map((name) => ({ name, type: 'number' as const })), steps: [], model: fitModelJob(job(kind, params, labels(300))).model });
      expect(Buffer.compare(Buffer.from(compile()), Buffer.from(compile()))).toBe(0);
    }
  });

  it('fitModelJob(classifier on text labels) keeps the labels; boosting reports its training curve', () => {
    const fit = fitModelJob(job('histGradientBoosting', { maxIter: 5 }, labels(300)));
    expect(fit.model.kind === 'treeClassifier' && fit.model.classes).toEqual(['no', 'yes']);
    expect(fit.history.map((s) => s.iteration)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('fitModelJob refuses a one-class target and a text regression target in plain words', () => {
    expect(() => fitModelJob(job('logisticRegression', {}, Array.from({ length: 300 }, () => 'no')))).toThrow('The target "y" has only one class ("no") in the training rows; a classifier needs at least two.');
    expect(() => fitModelJob(job('ridge', {}, labels(300)))).toThrow('A regression needs a number target, but "y" holds text.');
  });
});
