import { UserInputError } from '../base/errors';
import { checkFeatures, checkRegressionTarget, type FeatureNames } from './check';
import { leastSquares } from './linalg';
import type { LinearRegressionModel } from './models';
import type { Matrix } from './types';

/** Options of ordinary least squares and ridge. */
export interface LinearRegressionOptions extends FeatureNames {
  /** Fit an unpenalised intercept by centering X and y first (sklearn's default). Default true. */
  fitIntercept?: boolean;
}

/** Ridge options: `alpha` ≥ 0 is the L2 penalty on the coefficients (not the intercept), as in sklearn's Ridge. */
export interface RidgeOptions extends LinearRegressionOptions {
  alpha: number;
}

/**
 * Copies X into a column-major (n + extraRows)×p array, centred by column means when
 * `center`; the extra rows are left zero for the caller.
 */
function centredColumns(X: Matrix, center: boolean, extraRows: number): { a: Float64Array; means: Float64Array } {
  const { rows: n, cols: p, data } = X;
  const m = n + extraRows;
  const means = new Float64Array(p);
  if (center) {
    for (let i = 0; i < n; i++) for (let j = 0, o = i * p; j < p; j++) means[j] = means[j]! + data[o + j]!;
    for (let j = 0; j < p; j++) means[j] = means[j]! / n;
  }
  const a = new Float64Array(m * p);
  for (let i = 0; i < n; i++) for (let j = 0, o = i * p; j < p; j++) a[j * m + i] = data[o + j]! - means[j]!;
  return { a, means };
}

function solve(X: Matrix, y: Float64Array, alpha: number, fitIntercept: boolean): LinearRegressionModel {
  const n = X.rows, p = X.cols;
  const extra = alpha > 0 ? p : 0;
  const { a, means } = centredColumns(X, fitIntercept, extra);
  let yMean = 0;
  if (fitIntercept) {
    for (let i = 0; i < n; i++) yMean += y[i]!;
    yMean /= n;
  }
  const rhs = new Float64Array(n + extra);
  for (let i = 0; i < n; i++) rhs[i] = y[i]! - yMean;
  // Ridge as least squares on [X; √α·I] · w ≈ [y; 0]: as exact as QR, no normal equations.
  const root = Math.sqrt(alpha);
  for (let j = 0; j < extra; j++) a[j * (n + extra) + n + j] = root;
  const { x: coef } = leastSquares(a, n + extra, p, rhs);
  let intercept = yMean;
  for (let j = 0; j < p; j++) intercept -= means[j]! * coef[j]!;
  return { kind: 'linearRegression', coef, intercept: Float64Array.of(fitIntercept ? intercept : 0), nFeatures: p, nOutputs: 1 };
}

/**
 * Ordinary least squares like sklearn's LinearRegression: intercept by centering, coefficients by
 * pivoted Householder QR (minimum-norm solution when columns are collinear, as lstsq gives).
 * Refuses empty input and non-finite values, naming the column.
 */
export function fitLinearRegression(X: Matrix, y: Float64Array, options: LinearRegressionOptions = {}): LinearRegressionModel {
  checkFeatures(X, 'linear regression', options.featureNames);
  checkRegressionTarget(y, X.rows, 'linear regression');
  return solve(X, y, 0, options.fitIntercept ?? true);
}

/**
 * Ridge regression like sklearn's Ridge: minimises ‖y − Xw − b‖² + α‖w‖² with b unpenalised
 * (centering), solved by QR of the augmented system.
 */
export function fitRidge(X: Matrix, y: Float64Array, options: RidgeOptions): LinearRegressionModel {
  if (!(options.alpha >= 0) || !Number.isFinite(options.alpha)) throw new UserInputError(`Ridge alpha must be a finite number ≥ 0; got ${options.alpha}.`);
  checkFeatures(X, 'ridge regression', options.featureNames);
  checkRegressionTarget(y, X.rows, 'ridge regression');
  return solve(X, y, options.alpha, options.fitIntercept ?? true);
}
