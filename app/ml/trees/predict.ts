import type { ClassLabels, FittedModel, Matrix, Tree, TreeEnsemble } from '../types';
import { assertNever } from '../../base/assert';
import { UserInputError } from '../../base/errors';

/** Index of the leaf that row `row` of `x` reaches in `tree` (NaN follows `missingLeft`). */
export function leafIndex(tree: Tree, x: Matrix, row: number): number {
  const { feature, threshold, left, right, missingLeft } = tree;
  const data = x.data;
  const base = row * x.cols;
  let node = 0;
  while (left[node] !== -1) {
    const v = data[base + feature[node]!]!;
    const goLeft = v <= threshold[node]! || (v !== v && missingLeft[node] === 1);
    node = goLeft ? left[node]! : right[node]!;
  }
  return node;
}

/**
 * Raw scores, row-major `rows × nOutputs`: baseScore + sum (or average) of leaf values. Trees are
 * the outer loop so each stays in cache while every row walks it.
 */
export function predictRaw(ensemble: TreeEnsemble, x: Matrix): Float64Array {
  if (x.cols !== ensemble.nFeatures) {
    throw new UserInputError(`The model expects ${ensemble.nFeatures} features, got ${x.cols}`);
  }
  const k = ensemble.nOutputs;
  const out = new Float64Array(x.rows * k);
  for (const tree of ensemble.trees) {
    const value = tree.value;
    for (let r = 0; r < x.rows; r++) {
      const leaf = leafIndex(tree, x, r) * k;
      for (let j = 0; j < k; j++) out[r * k + j]! += value[leaf + j]!;
    }
  }
  const scale = ensemble.aggregate === 'average' && ensemble.trees.length > 0 ? 1 / ensemble.trees.length : 1;
  for (let r = 0; r < x.rows; r++) {
    for (let j = 0; j < k; j++) out[r * k + j] = out[r * k + j]! * scale + ensemble.baseScore[j]!;
  }
  return out;
}

/**
 * Class probabilities, row-major `rows × nClasses`, in the order of `classes`. A logistic
 * ensemble with one output gives [1 − p, p].
 */
export function predictProba(ensemble: TreeEnsemble, x: Matrix): Float64Array {
  const raw = predictRaw(ensemble, x);
  const k = ensemble.nOutputs;
  switch (ensemble.postTransform) {
    case 'none':
      return raw;
    case 'logistic': {
      if (k !== 1) return raw.map((v) => 1 / (1 + Math.exp(-v)));
      const out = new Float64Array(x.rows * 2);
      for (let r = 0; r < x.rows; r++) {
        const p = 1 / (1 + Math.exp(-raw[r]!));
        out[2 * r] = 1 - p;
        out[2 * r + 1] = p;
      }
      return out;
    }
    case 'softmax':
      for (let r = 0; r < x.rows; r++) softmaxInPlace(raw, r * k, k);
      return raw;
    default:
      return assertNever(ensemble.postTransform, 'postTransform');
  }
}

/** Softmax of `values[offset … offset+k)`, in place, stable for large scores. */
export function softmaxInPlace(values: Float64Array, offset: number, k: number): void {
  let max = -Infinity;
  for (let j = 0; j < k; j++) max = Math.max(max, values[offset + j]!);
  let sum = 0;
  for (let j = 0; j < k; j++) {
    const e = Math.exp(values[offset + j]! - max);
    values[offset + j] = e;
    sum += e;
  }
  for (let j = 0; j < k; j++) values[offset + j] = values[offset + j]! / sum;
}

/** Index of the largest probability per row (first on ties, as numpy's argmax). */
export function argmaxRows(proba: Float64Array, rows: number, k: number): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (proba[r * k + j]! > proba[r * k + best]!) best = j;
    out[r] = best;
  }
  return out;
}

/** Predicted labels of a tree classifier, as values of its `classes`. */
export function predictLabels(model: { ensemble: TreeEnsemble; classes: ClassLabels }, x: Matrix): Array<string | number> {
  const proba = predictProba(model.ensemble, x);
  const k = model.classes.length;
  return Array.from(argmaxRows(proba, x.rows, k), (i) => model.classes[i]!);
}

/**
 * The model's natural output per row: regression value, positive-class probability (binary),
 * or isolation-forest `score_samples`; multiclass models are rejected (use predictProba).
 */
export function predictScores(model: FittedModel, x: Matrix): Float64Array {
  switch (model.kind) {
    case 'treeRegressor':
      return predictRaw(model.ensemble, x);
    case 'treeClassifier': {
      if (model.classes.length !== 2) throw new UserInputError('predictScores needs a binary classifier');
      const proba = predictProba(model.ensemble, x);
      return Float64Array.from({ length: x.rows }, (_, r) => proba[2 * r + 1]!);
    }
    case 'isolationForest':
      return isolationScores(model.ensemble, model.sampleSize, x);
    case 'linearRegression':
    case 'logisticRegression':
    case 'kmeans':
    case 'naiveBayes':
      throw new UserInputError(`predictScores handles tree models, not ${model.kind}`);
    default:
      return assertNever(model, 'model');
  }
}

/** c(n): average path length of an unsuccessful BST search among n points (0 for n ≤ 1). */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + 0.5772156649015329) - (2 * (n - 1)) / n;
}

/** sklearn's `score_samples`: −2^(−E[h(x)] / c(ψ)); leaf values already hold depth + c(leaf size). */
export function isolationScores(ensemble: TreeEnsemble, sampleSize: number, x: Matrix): Float64Array {
  const meanDepth = predictRaw(ensemble, x);
  const c = averagePathLength(sampleSize);
  return meanDepth.map((h) => -Math.pow(2, -h / c));
}
