import { UserInputError } from '../base/errors';
import { checkFeatures, encodeClassTarget, columnLabel, type ClassTarget, type FeatureNames } from './check';
import type { NaiveBayesModel } from './models';
import type { Matrix } from './types';

/** Multinomial naive Bayes options, as sklearn's MultinomialNB. */
export interface NaiveBayesOptions extends FeatureNames {
  /** Additive (Laplace/Lidstone) smoothing, ≥ 0; sklearn clips values below 1e-10 to 1e-10. Default 1. */
  alpha?: number;
  /** Learn class priors from the data (true, default) or use uniform priors. */
  fitPrior?: boolean;
}

/**
 * Multinomial naive Bayes like sklearn's MultinomialNB for counts or TF-IDF weights:
 * log θ_cj = log(N_cj + α) − log(Σ_j N_cj + α·p), log prior = log(n_c / n). Features must be
 * finite and ≥ 0 (the error names the first bad column).
 */
export function fitNaiveBayes(X: Matrix, y: ClassTarget, options: NaiveBayesOptions = {}): NaiveBayesModel {
  checkFeatures(X, 'naive Bayes', options.featureNames);
  const { rows: n, cols: p, data } = X;
  for (let i = 0; i < data.length; i++) {
    if (data[i]! < 0) {
      throw new UserInputError(`${columnLabel(i % p, options.featureNames)} has a negative value in row ${Math.floor(i / p)}; multinomial naive Bayes needs counts or other non-negative weights.`, { column: i % p, row: Math.floor(i / p) });
    }
  }
  const alphaIn = options.alpha ?? 1;
  if (!(alphaIn >= 0) || !Number.isFinite(alphaIn)) throw new UserInputError(`Naive Bayes alpha must be a finite number ≥ 0; got ${alphaIn}.`);
  // sklearn (force_alpha=False) raises tiny alphas to 1e-10 so that no log(0) appears.
  const alpha = Math.max(alphaIn, 1e-10);
  const { classes, codes } = encodeClassTarget(y, n, 'naive Bayes model');
  const k = classes.length;
  const counts = new Float64Array(k * p), classCount = new Float64Array(k);
  for (let i = 0, o = 0; i < n; i++, o += p) {
    const c = codes[i]!;
    classCount[c]!++;
    for (let j = 0; j < p; j++) counts[c * p + j] = counts[c * p + j]! + data[o + j]!;
  }
  const featureLogProb = new Float64Array(k * p);
  for (let c = 0; c < k; c++) {
    let total = 0;
    for (let j = 0; j < p; j++) total += counts[c * p + j]! + alpha;
    const logTotal = Math.log(total);
    for (let j = 0; j < p; j++) featureLogProb[c * p + j] = Math.log(counts[c * p + j]! + alpha) - logTotal;
  }
  const classLogPrior = new Float64Array(k);
  const fitPrior = options.fitPrior ?? true;
  for (let c = 0; c < k; c++) classLogPrior[c] = fitPrior ? Math.log(classCount[c]!) - Math.log(n) : -Math.log(k);
  return { kind: 'naiveBayes', classLogPrior, featureLogProb, nFeatures: p, classes };
}
