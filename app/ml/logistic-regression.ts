import { UserInputError } from '../base/errors';
import { checkFeatures, encodeClassTarget, type ClassTarget, type FeatureNames } from './check';
import type { LogisticRegressionModel } from './models';
import { binaryObjective, multinomialObjective } from './logistic-objectives';
import { subsampleWarmStart, type Standardisation } from './logistic-precondition';
import { minimizeLbfgs, type LbfgsStop, type Objective } from './optim/lbfgs';
import type { Matrix, TrainContext } from './types';

/** Options of logistic regression; the defaults are sklearn's except `maxIter`. */
export interface LogisticRegressionOptions extends FeatureNames {
  /** Inverse L2 strength: minimises C·Σ log-loss + ½‖W‖² (intercepts unpenalised). Default 1. */
  C?: number;
  fitIntercept?: boolean;
  /**
   * Stop when the largest gradient entry of that objective is ≤ tol (sklearn's `tol`), taken with
   * respect to the raw coefficients, or to coefficients of standardised features when the fit
   * runs standardised (features of very different scale or offset). Default 1e-4.
   */
  tol?: number;
  /** L-BFGS iterations at most (sklearn's default is 100; 1000 lets unscaled data converge). */
  maxIter?: number;
}

/** A fitted logistic regression with how its optimisation ended. */
export interface LogisticFit {
  model: LogisticRegressionModel;
  iterations: number;
  /** Objective evaluations over all rows (each one pass; the subsample's cheaper ones not counted). */
  evaluations: number;
  converged: boolean;
  stop: LbfgsStop;
  /** Mean log-loss on the training rows (without the penalty). */
  trainLogLoss: number;
}

/** Rows (evenly spaced) that estimate the feature scales of a larger X. */
const STANDARDISE_ROWS = 50_000;

/**
 * The per-feature mean and scale of X when its features are far apart in scale (over 10×) or
 * offset (a mean over 10 scales from zero), else undefined. Raw L-BFGS crawls on such features; on
 * features of like scale standardising hurts, because the penalty's curvature becomes λ/s_j²,
 * flatter along directions X barely constrains (collinear columns).
 */
function featureStandardisation(X: Matrix, fitIntercept: boolean): Standardisation | undefined {
  const { rows: n, cols: p, data } = X;
  // Any mean and scale give an exact change of variables, so on many rows evenly spaced ones
  // estimate them (two passes over 1M rows would cost as much as a full objective evaluation).
  const m = Math.min(n, STANDARDISE_ROWS);
  const at = (k: number): number => Math.floor((k * n) / m) * p;
  const mean = new Float64Array(p), scale = new Float64Array(p).fill(1);
  if (fitIntercept) {
    for (let k = 0; k < m; k++) { const o = at(k); for (let j = 0; j < p; j++) mean[j] = mean[j]! + data[o + j]!; }
    for (let j = 0; j < p; j++) mean[j] = mean[j]! / m;
  }
  const sq = new Float64Array(p);
  for (let k = 0; k < m; k++) { const o = at(k); for (let j = 0; j < p; j++) { const d = data[o + j]! - mean[j]!; sq[j] = sq[j]! + d * d; } }
  let minScale = Infinity, maxScale = 0, maxOffset = 0;
  for (let j = 0; j < p; j++) {
    const sd = Math.sqrt(sq[j]! / m);
    if (sd > 0) scale[j] = sd;
    minScale = Math.min(minScale, scale[j]!);
    maxScale = Math.max(maxScale, scale[j]!);
    maxOffset = Math.max(maxOffset, Math.abs(mean[j]!) / scale[j]!);
  }
  return maxScale <= 10 * minScale && maxOffset <= 10 ? undefined : { mean, scale };
}

/**
 * Runs `raw` in standardised coordinates: w'_j = w_j·s_j and b' = b + Σ w_j·m_j, so the optimiser
 * sees unit-scale, centred features while the optimum maps back exactly: the objective is the
 * same function, only reparameterised. No copy of X is made.
 */
function standardisedObjective(raw: Objective, std: Standardisation, p: number, nOut: number, fitIntercept: boolean): { objective: Objective; toRaw: (w: Float64Array) => Float64Array } {
  const { mean, scale } = std;
  const size = nOut * p + (fitIntercept ? nOut : 0);
  const wRaw = new Float64Array(size), gRaw = new Float64Array(size);
  const toRaw = (w: Float64Array, out = new Float64Array(size)): Float64Array => {
    for (let k = 0; k < nOut; k++) {
      let shift = 0;
      for (let j = 0; j < p; j++) { const v = w[k * p + j]! / scale[j]!; out[k * p + j] = v; shift += v * mean[j]!; }
      if (fitIntercept) out[nOut * p + k] = w[nOut * p + k]! - shift;
    }
    return out;
  };
  const objective: Objective = (w, grad) => {
    const f = raw(toRaw(w, wRaw), gRaw);
    for (let k = 0; k < nOut; k++) {
      const gb = fitIntercept ? gRaw[nOut * p + k]! : 0;
      for (let j = 0; j < p; j++) grad[k * p + j] = (gRaw[k * p + j]! - mean[j]! * gb) / scale[j]!;
      if (fitIntercept) grad[nOut * p + k] = gb;
    }
    return f;
  };
  return { objective, toRaw: (w) => toRaw(w) };
}

function checkOptions(o: LogisticRegressionOptions): void {
  const C = o.C ?? 1;
  if (!(C > 0) || !Number.isFinite(C)) throw new UserInputError(`Logistic regression C must be a finite number above 0; got ${C}.`);
  if (o.tol !== undefined && !(o.tol > 0)) throw new UserInputError(`Logistic regression tol must be above 0; got ${o.tol}.`);
  if (o.maxIter !== undefined && !(o.maxIter >= 1)) throw new UserInputError(`Logistic regression maxIter must be at least 1; got ${o.maxIter}.`);
}

/**
 * Logistic regression like sklearn's LogisticRegression(solver='lbfgs'): binary for two classes
 * (one coefficient row for the larger class), multinomial softmax for more. L2 penalty on the
 * coefficients only. Optimises over standardised features (an exact change of variables) when
 * feature scales or offsets differ by over 10×, so unscaled data converge as fast as scaled.
 * Fits of 20,000 rows or more start from a seeded subsample's fit and use its Hessian as
 * L-BFGS's starting curvature (logistic-precondition.ts): same optimum, about a third of the
 * passes. Deterministic for a seed; cancellable between iterations; reports progress per
 * iteration (total = maxIter). Refuses one class, empty input and NaN features.
 */
export function fitLogisticRegressionWithInfo(X: Matrix, y: ClassTarget, options: LogisticRegressionOptions = {}, ctx: Partial<TrainContext> = {}): LogisticFit {
  checkOptions(options);
  checkFeatures(X, 'logistic regression', options.featureNames);
  const { classes, codes } = encodeClassTarget(y, X.rows, 'logistic regression');
  const K = classes.length;
  if (K < 2) throw new UserInputError(`Logistic regression needs at least two classes in the target; every row has the class ${String(classes[0])}.`);
  const p = X.cols, fitIntercept = options.fitIntercept ?? true, lambda = 1 / (options.C ?? 1);
  const multinomial = K > 2;
  const nOut = multinomial ? K : 1;
  const std = featureStandardisation(X, fitIntercept);
  const inCoordinates = (raw: Objective): { objective: Objective; toRaw: (w: Float64Array) => Float64Array } => (std ? standardisedObjective(raw, std, p, nOut, fitIntercept) : { objective: raw, toRaw: (w) => w });
  const objectiveOn = (rows: Matrix, labels: Int32Array, l2: number): Objective => (multinomial
    ? multinomialObjective(rows, labels, K, l2, fitIntercept)
    : binaryObjective(rows, Uint8Array.from(labels), l2, fitIntercept));
  const { objective, toRaw } = inCoordinates(objectiveOn(X, codes, lambda));
  const warm = subsampleWarmStart({
    X, codes, nOut, lambda, fitIntercept, std, seed: ctx.seed ?? 0, signal: ctx.signal,
    objective: (rows, labels, l2) => inCoordinates(objectiveOn(rows, labels, l2)).objective,
  });
  const maxIter = options.maxIter ?? 1000;
  const result = minimizeLbfgs(objective, warm?.x0 ?? new Float64Array(nOut * p + (fitIntercept ? nOut : 0)), {
    precondition: warm?.precondition,
    maxIter,
    gtol: options.tol ?? 1e-4,
    // scipy's default ftol (2.2e-9) stops sklearn 1.2 up to ~1e-4 short of the optimum whatever
    // `tol` says; newer sklearn passes 64·eps, so `tol` alone decides, as here.
    ftol: 64 * Number.EPSILON,
    signal: ctx.signal,
    onIteration: (iteration, f, gradNorm) => ctx.progress?.({ done: iteration, total: maxIter, message: `loss ${f.toPrecision(6)}, gradient ${gradNorm.toExponential(2)}` }),
  });
  const w = toRaw(result.x);
  const coef = w.slice(0, nOut * p);
  const intercept = fitIntercept ? w.slice(nOut * p) : new Float64Array(nOut);
  let penalty = 0;
  for (let q = 0; q < coef.length; q++) penalty += 0.5 * lambda * coef[q]! * coef[q]!;
  return {
    model: { kind: 'logisticRegression', coef, intercept, nFeatures: p, classes, multinomial },
    iterations: result.iterations,
    evaluations: result.evaluations,
    converged: result.converged,
    stop: result.stop,
    trainLogLoss: (result.f - penalty) / X.rows,
  };
}

/** `fitLogisticRegressionWithInfo` returning the model only. */
export function fitLogisticRegression(X: Matrix, y: ClassTarget, options: LogisticRegressionOptions = {}, ctx: Partial<TrainContext> = {}): LogisticRegressionModel {
  return fitLogisticRegressionWithInfo(X, y, options, ctx).model;
}
