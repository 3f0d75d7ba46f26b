import { UserInputError, throwIfAborted } from '../base/errors';
import type { CancelSignal, ProgressSink } from '../base/signal';
import type { ClassTarget } from './check';
import { kFold, stratifiedKFold, type Fold } from './split';
import type { Matrix } from './types';

/** A target of any trainer: regression values or class labels, one per row. */
export type Target = Float64Array | ClassTarget;

/** Per-fold scores and their mean and (population) standard deviation. */
export interface CrossValidation {
  scores: Float64Array;
  mean: number;
  std: number;
}

/** Rows `index` of `X`, in that order, as a new matrix. */
export function takeRows(X: Matrix, index: Int32Array): Matrix {
  const p = X.cols, data = new Float64Array(index.length * p);
  for (let r = 0; r < index.length; r++) {
    const i = index[r]!;
    if (!(i >= 0 && i < X.rows)) throw new UserInputError(`Row index ${i} is outside the ${X.rows} rows.`);
    data.set(X.data.subarray(i * p, i * p + p), r * p);
  }
  return { rows: index.length, cols: p, data };
}

/** Entries `index` of a target, keeping its kind (Float64Array, numbers or strings). */
export function takeTarget<T extends Target>(y: T, index: Int32Array): T;
export function takeTarget(y: Target, index: Int32Array): Target {
  if (y instanceof Float64Array) return Float64Array.from(index, (i) => y[i]!);
  if (isStrings(y)) return Array.from(index, (i) => y[i]!);
  return Array.from(index, (i) => y[i]!);
}

function isStrings(y: readonly number[] | readonly string[]): y is readonly string[] {
  return typeof y[0] === 'string';
}

/**
 * Fits on each fold's training rows and scores on its held-out rows. `fit` and `score` are plain
 * functions, so any trainer and any metric combine (e.g. fitLogisticRegression with accuracy).
 * Cancellable between folds; reports one progress step per fold.
 */
export function crossValidate<T extends Target, M>(
  X: Matrix,
  y: T,
  folds: readonly Fold[],
  fit: (X: Matrix, y: T) => M,
  score: (model: M, X: Matrix, y: T) => number,
  ctx: { signal?: CancelSignal; progress?: ProgressSink } = {},
): CrossValidation {
  if (y.length !== X.rows) throw new UserInputError(`Cross-validation got ${X.rows} rows of features but ${y.length} targets.`);
  if (folds.length === 0) throw new UserInputError('Cross-validation needs at least one fold.');
  const scores = new Float64Array(folds.length);
  folds.forEach((fold, f) => {
    throwIfAborted(ctx.signal);
    const model = fit(takeRows(X, fold.train), takeTarget(y, fold.train));
    scores[f] = score(model, takeRows(X, fold.test), takeTarget(y, fold.test));
    ctx.progress?.({ done: f + 1, total: folds.length, message: `fold ${f + 1} of ${folds.length}` });
  });
  let mean = 0;
  for (const s of scores) mean += s;
  mean /= scores.length;
  let v = 0;
  for (const s of scores) v += (s - mean) ** 2;
  return { scores, mean, std: Math.sqrt(v / scores.length) };
}

/**
 * k-fold cross-validation in one call: stratified folds for class targets when `stratified`
 * (sklearn's cross_val_score default for classifiers), plain k-fold otherwise.
 */
export function crossValidateKFold<T extends Target, M>(
  X: Matrix,
  y: T,
  k: number,
  fit: (X: Matrix, y: T) => M,
  score: (model: M, X: Matrix, y: T) => number,
  options: { stratified?: boolean; shuffle?: boolean; seed?: number; signal?: CancelSignal; progress?: ProgressSink } = {},
): CrossValidation {
  const foldOptions = { shuffle: options.shuffle ?? false, seed: options.seed ?? 0 };
  const folds = options.stratified ? stratifiedKFold(y, k, foldOptions) : kFold(y.length, k, foldOptions);
  return crossValidate(X, y, folds, fit, score, options);
}
