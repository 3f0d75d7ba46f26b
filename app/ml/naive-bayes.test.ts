import { describe, expect, it } from 'vitest';
import { loadDigits, maxAbsError, readFixture } from '../../tools/fixtures/ml/datasets';
import { fitNaiveBayes } from './naive-bayes';
import { predictClasses, predictNaiveBayesLogProba, predictNaiveBayesProba } from './predict';
import type { Matrix } from './types';

interface Ref { alpha: number; classLogPrior: number[]; featureLogProb: number[]; logProba: number[]; predict: number[] }
const fx = readFixture<Record<string, Ref>>('naive-bayes.json');
const { X, y } = loadDigits();

describe('fitNaiveBayes', () => {
  it.each(Object.keys(fx))('fitNaiveBayes(digits counts, %s) matches sklearn MultinomialNB log probabilities to 1e-8', (key) => {
    const ref = fx[key]!;
    const m = fitNaiveBayes(X, y, { alpha: ref.alpha });
    expect(maxAbsError(m.classLogPrior, ref.classLogPrior)).toBeLessThan(1e-8);
    expect(maxAbsError(m.featureLogProb, ref.featureLogProb)).toBeLessThan(1e-8);
    const first: Matrix = { rows: 50, cols: X.cols, data: X.data.slice(0, 50 * X.cols) };
    expect(maxAbsError(predictNaiveBayesLogProba(m, first), ref.logProba)).toBeLessThan(1e-8);
    expect(predictClasses(m, X)).toEqual(ref.predict);
  });

  it('predictNaiveBayesProba rows sum to 1 and equal exp of the log probabilities', () => {
    const m = fitNaiveBayes(X, y);
    const first: Matrix = { rows: 5, cols: X.cols, data: X.data.slice(0, 5 * X.cols) };
    const p = predictNaiveBayesProba(m, first), lp = predictNaiveBayesLogProba(m, first);
    for (let i = 0; i < 5; i++) {
      let s = 0;
      for (let c = 0; c < 10; c++) { s += p[i * 10 + c]!; expect(p[i * 10 + c]).toBeCloseTo(Math.exp(lp[i * 10 + c]!), 12); }
      expect(s).toBeCloseTo(1, 12);
    }
  });

  it('fitNaiveBayes refuses negative and missing values, naming the column', () => {
    const neg: Matrix = { rows: 2, cols: 2, data: Float64Array.of(1, 2, -1, 0) };
    expect(() => fitNaiveBayes(neg, ['a', 'b'], { featureNames: ['spam', 'ham'] })).toThrow(/column 'spam' has a negative value in row 1/);
    const nan: Matrix = { rows: 2, cols: 2, data: Float64Array.of(1, NaN, 1, 0) };
    expect(() => fitNaiveBayes(nan, ['a', 'b'])).toThrow(/column 1 has a missing value \(NaN\) in row 0; naive Bayes/);
  });
});
