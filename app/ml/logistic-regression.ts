import { UserInputError } from '../base/errors';
import { checkFeatures, encodeClassTarget, type ClassTarget, type FeatureNames } from './check';
import type { LogisticRegressionModel } from './models';
import { minimizeLbfgs, type LbfgsStop, type Objective } from './optim/lbfgs';
import type { Matrix, TrainContext } from './types';

/** Options of logistic regression; the defaults are sklearn's except `maxIter`. */
export interface LogisticRegressionOptions extends FeatureNames {
  /** Inverse L2 strength: minimises C·Σ log-loss + ½‖W‖² (intercepts unpenalised). Default 1. */
  C?: number;
  fitIntercept?: boolean;
  /**
   * Stop when the largest gradient entry of that objective, taken with respect to coefficients of
   * standardised features, is ≤ tol. Equals sklearn's `tol` on standardised data. Default 1e-4.
   */
  tol?: number;
  /** L-BFGS iterations at most (sklearn's default is 100; 1000 lets unscaled data converge). */
  maxIter?: number;
}

/** A fitted logistic regression with how its optimisation ended. */
export interface LogisticFit {
  model: LogisticRegressionModel;
  iterations: number;
  converged: boolean;
  stop: LbfgsStop;
  /** Mean log-loss on the training rows (without the penalty). */
  trainLogLoss: number;
}

/** log(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/**
 * Binary objective in sklearn's scale: Σ [log(1 + e^z) − y·z] + ½λ‖w‖², λ = 1/C, z = x·w + b.
 * Parameters: p weights, then the intercept. One fused pass over the rows per call.
 */
function binaryObjective(X: Matrix, y01: Uint8Array, lambda: number, fitIntercept: boolean): Objective {
  const { rows: n, cols: p, data } = X;
  return (w, grad) => {
    grad.fill(0);
    const b = fitIntercept ? w[p]! : 0;
    let loss = 0, gb = 0;
    for (let i = 0, o = 0; i < n; i++, o += p) {
      let z = b;
      for (let j = 0; j < p; j++) z += data[o + j]! * w[j]!;
      const t = y01[i]!;
      loss += softplus(z) - (t ? z : 0);
      const e = 1 / (1 + Math.exp(-z)) - t;
      gb += e;
      for (let j = 0; j < p; j++) grad[j] = grad[j]! + e * data[o + j]!;
    }
    for (let j = 0; j < p; j++) { loss += 0.5 * lambda * w[j]! * w[j]!; grad[j] = grad[j]! + lambda * w[j]!; }
    if (fitIntercept) grad[p] = gb;
    return loss;
  };
}

/**
 * Multinomial objective: Σ [logsumexp(z) − z_y] + ½λ‖W‖², z_k = x·w_k + b_k. Parameters: K×p
 * weights row-major, then K intercepts. `scratch` holds one row of logits (no per-row allocation).
 */
function multinomialObjective(X: Matrix, codes: Int32Array, K: number, lambda: number, fitIntercept: boolean): Objective {
  const { rows: n, cols: p, data } = X;
  const z = new Float64Array(K);
  return (w, grad) => {
    grad.fill(0);
    let loss = 0;
    for (let i = 0, o = 0; i < n; i++, o += p) {
      let max = -Infinity;
      for (let k = 0, wk = 0; k < K; k++, wk += p) {
        let s = fitIntercept ? w[K * p + k]! : 0;
        for (let j = 0; j < p; j++) s += data[o + j]! * w[wk + j]!;
        z[k] = s;
        if (s > max) max = s;
      }
      const c = codes[i]!;
      const zc = z[c]!;
      let sum = 0;
      for (let k = 0; k < K; k++) { const e = Math.exp(z[k]! - max); z[k] = e; sum += e; }
      loss += Math.log(sum) + max - zc;
      for (let k = 0, gk = 0; k < K; k++, gk += p) {
        const e = z[k]! / sum - (k === c ? 1 : 0);
        if (fitIntercept) grad[K * p + k] = grad[K * p + k]! + e;
        for (let j = 0; j < p; j++) grad[gk + j] = grad[gk + j]! + e * data[o + j]!;
      }
    }
    for (let q = 0; q < K * p; q++) { loss += 0.5 * lambda * w[q]! * w[q]!; grad[q] = grad[q]! + lambda * w[q]!; }
    return loss;
  };
}

/**
 * Runs `raw` in standardised coordinates: w'_j = w_j·s_j and b' = b + Σ w_j·m_j, so the optimiser
 * sees unit-scale, centred features (well conditioned) while the optimum maps back exactly: the
 * objective is the same function, only reparameterised. No copy of X is made.
 */
function standardisedObjective(raw: Objective, X: Matrix, nOut: number, fitIntercept: boolean): { objective: Objective; toRaw: (w: Float64Array) => Float64Array } {
  const { rows: n, cols: p, data } = X;
  const mean = new Float64Array(p), scale = new Float64Array(p).fill(1);
  if (fitIntercept) {
    for (let i = 0, o = 0; i < n; i++, o += p) for (let j = 0; j < p; j++) mean[j] = mean[j]! + data[o + j]!;
    for (let j = 0; j < p; j++) mean[j] = mean[j]! / n;
  }
  const sq = new Float64Array(p);
  for (let i = 0, o = 0; i < n; i++, o += p) for (let j = 0; j < p; j++) { const d = data[o + j]! - mean[j]!; sq[j] = sq[j]! + d * d; }
  for (let j = 0; j < p; j++) { const sd = Math.sqrt(sq[j]! / n); if (sd > 0) scale[j] = sd; }
  const size = nOut * p + (fitIntercept ? nOut : 0);
  const wRaw = new Float64Array(size), gRaw = new Float64Array(size);
  const toRaw = (w: Float64Array): Float64Array => {
    const out = new Float64Array(size);
    for (let k = 0; k < nOut; k++) {
      let shift = 0;
      for (let j = 0; j < p; j++) { const v = w[k * p + j]! / scale[j]!; out[k * p + j] = v; shift += v * mean[j]!; }
      if (fitIntercept) out[nOut * p + k] = w[nOut * p + k]! - shift;
    }
    return out;
  };
  const objective: Objective = (w, grad) => {
    wRaw.set(toRaw(w));
    const f = raw(wRaw, gRaw);
    for (let k = 0; k < nOut; k++) {
      const gb = fitIntercept ? gRaw[nOut * p + k]! : 0;
      for (let j = 0; j < p; j++) grad[k * p + j] = (gRaw[k * p + j]! - mean[j]! * gb) / scale[j]!;
      if (fitIntercept) grad[nOut * p + k] = gb;
    }
    return f;
  };
  return { objective, toRaw };
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
 * coefficients only. Optimises internally over standardised features (an exact change of
 * variables, so unscaled data converge as fast as scaled). Deterministic (starts from zeros); cancellable between iterations; reports
 * progress per iteration (total = maxIter). Refuses one class, empty input and NaN features.
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
  const raw = multinomial
    ? multinomialObjective(X, codes, K, lambda, fitIntercept)
    : binaryObjective(X, Uint8Array.from(codes), lambda, fitIntercept);
  const { objective, toRaw } = standardisedObjective(raw, X, nOut, fitIntercept);
  const maxIter = options.maxIter ?? 1000;
  const result = minimizeLbfgs(objective, new Float64Array(nOut * p + (fitIntercept ? nOut : 0)), {
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
    converged: result.converged,
    stop: result.stop,
    trainLogLoss: (result.f - penalty) / X.rows,
  };
}

/** `fitLogisticRegressionWithInfo` returning the model only. */
export function fitLogisticRegression(X: Matrix, y: ClassTarget, options: LogisticRegressionOptions = {}, ctx: Partial<TrainContext> = {}): LogisticRegressionModel {
  return fitLogisticRegressionWithInfo(X, y, options, ctx).model;
}
