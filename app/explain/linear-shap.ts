import { UserInputError } from '../base/errors';
import type { Matrix } from '../ml/types';

/**
 * Exact SHAP values of a linear model f(x) = w·x + b under feature independence with a background
 * of mean μ: φ_j = w_j (x_j − μ_j), base = w·μ + b. For logistic regression this explains the
 * log-odds (margin), where the model is linear. `values[r * p + j]`.
 */
export function linearShap(coef: Float64Array, intercept: number, backgroundMean: Float64Array, x: Matrix): { values: Float64Array; baseValue: number } {
  const p = coef.length;
  if (x.cols !== p || backgroundMean.length !== p) throw new UserInputError(`The model has ${p} features; got ${x.cols} columns and a background of ${backgroundMean.length}.`);
  let baseValue = intercept;
  for (let j = 0; j < p; j++) baseValue += coef[j]! * backgroundMean[j]!;
  const values = new Float64Array(x.rows * p);
  for (let r = 0; r < x.rows; r++) for (let j = 0; j < p; j++) values[r * p + j] = coef[j]! * (x.data[r * p + j]! - backgroundMean[j]!);
  return { values, baseValue };
}

/** Column means of a matrix, ignoring NaN (the independence background of linear SHAP). */
export function columnMeans(x: Matrix): Float64Array {
  const sums = new Float64Array(x.cols);
  const counts = new Float64Array(x.cols);
  for (let r = 0; r < x.rows; r++) {
    for (let j = 0; j < x.cols; j++) {
      const v = x.data[r * x.cols + j]!;
      if (!Number.isNaN(v)) {
        sums[j]! += v;
        counts[j]!++;
      }
    }
  }
  return sums.map((s, j) => (counts[j]! > 0 ? s / counts[j]! : 0));
}
