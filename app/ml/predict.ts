import { UserInputError } from '../base/errors';
import { assertNever } from '../base/assert';
import { checkFeatures } from './check';
import type { KMeansModel, LinearRegressionModel, LogisticRegressionModel, NaiveBayesModel } from './models';
import type { ClassLabels, Matrix } from './types';

/** The fitted models whose prediction lives here (trees predict in app/ml/trees). */
export type LinearFamilyModel = LinearRegressionModel | LogisticRegressionModel | KMeansModel | NaiveBayesModel;

function checkInput(X: Matrix, nFeatures: number, model: string): void {
  checkFeatures(X, model);
  if (X.cols !== nFeatures) throw new UserInputError(`The ${model} was trained on ${nFeatures} features but the input has ${X.cols} columns.`);
}

/** Row-major n×nOut affine scores X·Wᵀ + b for coefficients W (nOut×p). */
function affine(X: Matrix, coef: Float64Array, intercept: Float64Array, nOut: number): Float64Array {
  const { rows: n, cols: p, data } = X;
  const out = new Float64Array(n * nOut);
  for (let i = 0, o = 0; i < n; i++, o += p) {
    for (let k = 0, w = 0; k < nOut; k++, w += p) {
      let s = intercept[k]!;
      for (let j = 0; j < p; j++) s += data[o + j]! * coef[w + j]!;
      out[i * nOut + k] = s;
    }
  }
  return out;
}

/** Predicted values of a linear regression, row-major n×nOutputs. */
export function predictLinearRegression(model: LinearRegressionModel, X: Matrix): Float64Array {
  checkInput(X, model.nFeatures, 'linear regression');
  return affine(X, model.coef, model.intercept, model.nOutputs);
}

/** Logits: n×1 (positive class) for a binary model, n×k for a multinomial one. */
export function logisticDecisionFunction(model: LogisticRegressionModel, X: Matrix): Float64Array {
  checkInput(X, model.nFeatures, 'logistic regression');
  return affine(X, model.coef, model.intercept, model.multinomial ? model.classes.length : 1);
}

/** Row-wise softmax in place over rows of width k. */
function softmaxRows(z: Float64Array, k: number): void {
  for (let o = 0; o < z.length; o += k) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) if (z[o + c]! > max) max = z[o + c]!;
    let sum = 0;
    for (let c = 0; c < k; c++) { const e = Math.exp(z[o + c]! - max); z[o + c] = e; sum += e; }
    for (let c = 0; c < k; c++) z[o + c] = z[o + c]! / sum;
  }
}

/** Class probabilities, row-major n×k in the order of `model.classes` (binary: [1 − p, p]). */
export function predictLogisticProba(model: LogisticRegressionModel, X: Matrix): Float64Array {
  const z = logisticDecisionFunction(model, X);
  if (model.multinomial) {
    softmaxRows(z, model.classes.length);
    return z;
  }
  const out = new Float64Array(X.rows * 2);
  for (let i = 0; i < X.rows; i++) {
    const p = 1 / (1 + Math.exp(-z[i]!));
    out[2 * i] = 1 - p;
    out[2 * i + 1] = p;
  }
  return out;
}

/** Joint log-likelihoods log P(c) + x·log θ_c, row-major n×k. */
export function naiveBayesJointLogLikelihood(model: NaiveBayesModel, X: Matrix): Float64Array {
  checkInput(X, model.nFeatures, 'naive Bayes model');
  return affine(X, model.featureLogProb, model.classLogPrior, model.classes.length);
}

/** Normalised log-probabilities log P(c | x), row-major n×k, like sklearn's predict_log_proba. */
export function predictNaiveBayesLogProba(model: NaiveBayesModel, X: Matrix): Float64Array {
  const jll = naiveBayesJointLogLikelihood(model, X);
  const k = model.classes.length;
  for (let o = 0; o < jll.length; o += k) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) if (jll[o + c]! > max) max = jll[o + c]!;
    let sum = 0;
    for (let c = 0; c < k; c++) sum += Math.exp(jll[o + c]! - max);
    const lse = max + Math.log(sum);
    for (let c = 0; c < k; c++) jll[o + c] = jll[o + c]! - lse;
  }
  return jll;
}

/** Class probabilities of a naive Bayes model, row-major n×k. */
export function predictNaiveBayesProba(model: NaiveBayesModel, X: Matrix): Float64Array {
  const z = naiveBayesJointLogLikelihood(model, X);
  softmaxRows(z, model.classes.length);
  return z;
}

/** Nearest center per row and the Euclidean distance to every center (row-major n×k). */
export function predictKMeans(model: KMeansModel, X: Matrix): { labels: Int32Array; distances: Float64Array } {
  const { centers } = model;
  checkInput(X, centers.cols, 'k-means model');
  const { rows: n, cols: p, data } = X;
  const k = centers.rows, c = centers.data;
  const labels = new Int32Array(n), distances = new Float64Array(n * k);
  for (let i = 0, o = 0; i < n; i++, o += p) {
    let best = Infinity;
    for (let q = 0, co = 0; q < k; q++, co += p) {
      let d = 0;
      for (let j = 0; j < p; j++) { const t = data[o + j]! - c[co + j]!; d += t * t; }
      if (d < best) { best = d; labels[i] = q; }
      distances[i * k + q] = Math.sqrt(d);
    }
  }
  return { labels, distances };
}

/** Index of the largest value in each row of width k (first on ties, like numpy argmax). */
export function argmaxRows(values: Float64Array, k: number): Int32Array {
  const n = values.length / k;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (values[i * k + c]! > values[i * k + best]!) best = c;
    out[i] = best;
  }
  return out;
}

/** Maps class indices to their labels. */
export function labelsOf(classes: ClassLabels, index: Int32Array): ClassLabels {
  const picked: (string | number)[] = [];
  for (let i = 0; i < index.length; i++) picked.push(classes[index[i]!]!);
  return isStringLabels(classes) ? picked.map(String) : picked.map(Number);
}

function isStringLabels(classes: ClassLabels): classes is readonly string[] {
  return typeof classes[0] === 'string';
}

/** Predicted class label per row of a classifier (most probable class). */
export function predictClasses(model: LogisticRegressionModel | NaiveBayesModel, X: Matrix): ClassLabels {
  const k = model.classes.length;
  const scores = model.kind === 'logisticRegression' ? predictLogisticProba(model, X) : naiveBayesJointLogLikelihood(model, X);
  return labelsOf(model.classes, argmaxRows(scores, k));
}

/**
 * The model's numeric output, row-major: linear regression → n×nOutputs values; logistic and
 * naive Bayes → n×k class probabilities; k-means → n×k Euclidean distances to the centers.
 */
export function predictOutputs(model: LinearFamilyModel, X: Matrix): Float64Array {
  switch (model.kind) {
    case 'linearRegression': return predictLinearRegression(model, X);
    case 'logisticRegression': return predictLogisticProba(model, X);
    case 'naiveBayes': return predictNaiveBayesProba(model, X);
    case 'kmeans': return predictKMeans(model, X).distances;
    default: return assertNever(model, 'model kind');
  }
}
