/**
 * A warm start and preconditioner for binary logistic regression on many rows: fit a random
 * subsample first (a few percent of the cost of one pass over the data per evaluation), then run
 * L-BFGS on all rows from that point with the subsample's Hessian as its starting inverse-Hessian.
 * The full fit still stops by the full data's own rules, so it reaches the same optimum; it just
 * takes about a third of the full passes (the curvature is known from the first step on).
 */
import { createRng } from '../base/rng';
import type { CancelSignal } from '../base/signal';
import { choleskyInPlace, choleskySolveInPlace } from './linalg';
import { minimizeLbfgs, type Objective } from './optim/lbfgs';
import { createMatrix, type Matrix } from './types';

/** Per-feature mean and scale of the optimiser's coordinates (x − mean) / scale. */
export interface Standardisation { mean: Float64Array; scale: Float64Array }

/** What `subsampleWarmStart` needs: the full problem and how to build its objective on other rows. */
export interface WarmStartInput {
  X: Matrix;
  y01: Uint8Array;
  /** The penalty 1/C of the full objective (summed loss + ½λ‖w‖²). */
  lambda: number;
  fitIntercept: boolean;
  /** The coordinates the optimiser runs in; undefined = raw features. */
  std: Standardisation | undefined;
  seed: number;
  signal?: CancelSignal;
  /** The objective on `rows` with penalty `l2`, in the optimiser's coordinates. */
  objective: (rows: Matrix, y01: Uint8Array, l2: number) => Objective;
}

/** Below this many rows one pass is cheap enough that the subsample does not pay for itself. */
const MIN_ROWS = 20_000;
/** Beyond this many parameters the Hessian (m·q²/2) costs more than the passes it saves. */
const MAX_PARAMS = 160;

function sampleRows(X: Matrix, y01: Uint8Array, m: number, seed: number): { rows: Matrix; labels: Uint8Array } {
  const n = X.rows, p = X.cols, rng = createRng(seed);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const rows = createMatrix(m, p), labels = new Uint8Array(m);
  for (let i = 0; i < m; i++) {
    const j = i + rng.int(n - i), pick = order[j]!;
    order[j] = order[i]!;
    rows.data.set(X.data.subarray(pick * p, pick * p + p), i * p);
    labels[i] = y01[pick]!;
  }
  return { rows, labels };
}

/** Raw coefficients (and intercept last) of a point `w` in the optimiser's coordinates. */
function rawWeights(w: Float64Array, std: Standardisation | undefined, p: number, fitIntercept: boolean): Float64Array {
  if (!std) return w;
  const out = Float64Array.from(w);
  let shift = 0;
  for (let j = 0; j < p; j++) { out[j] = w[j]! / std.scale[j]!; shift += out[j]! * std.mean[j]!; }
  if (fitIntercept) out[p] = w[p]! - shift;
  return out;
}

/**
 * H ← Tᵀ·H·T for the change of variables w_j = w'_j/s_j, b = b' − Σ m_j·w'_j/s_j (T is identity
 * but for the diagonal and the intercept row), so H is in the optimiser's coordinates. O(q²).
 */
function toStandardised(H: Float64Array, std: Standardisation, p: number, q: number): void {
  const m = (j: number): number => (q > p ? std.mean[j]! : 0);
  for (let a = 0; a < q; a++) for (let b = a + 1; b < q; b++) H[a * q + b] = H[b * q + a]!;
  for (let a = 0; a < q; a++) {
    const last = q > p ? H[a * q + p]! : 0;
    for (let j = 0; j < p; j++) H[a * q + j] = (H[a * q + j]! - last * m(j)) / std.scale[j]!;
  }
  for (let j = 0; j < q; j++) {
    const last = q > p ? H[p * q + j]! : 0;
    for (let i = 0; i < p; i++) H[i * q + j] = (H[i * q + j]! - last * m(i)) / std.scale[i]!;
  }
}

/**
 * The Hessian of the full objective estimated from the subsample at `w` (optimiser coordinates):
 * (n/m)·Σ σ(1−σ)·x·xᵀ + λ on the coefficients, built in raw coordinates over each row's non-zero
 * entries only (one-hot columns are mostly zero), then carried to the optimiser's. Row-major q×q;
 * the lower triangle is what `choleskyInPlace` reads.
 */
function subsampleHessian(input: WarmStartInput, rows: Matrix, w: Float64Array, q: number): Float64Array {
  const { X, lambda, fitIntercept, std } = input;
  const p = X.cols, m = rows.rows, weight = X.rows / m, raw = rawWeights(w, std, p, fitIntercept);
  const H = new Float64Array(q * q), nz = new Int32Array(q), vals = new Float64Array(q);
  for (let i = 0, o = 0; i < m; i++, o += p) {
    let z = fitIntercept ? raw[p]! : 0, count = 0;
    for (let j = 0; j < p; j++) {
      const v = rows.data[o + j]!;
      if (v === 0) continue;
      z += v * raw[j]!;
      nz[count] = j;
      vals[count++] = v;
    }
    if (fitIntercept) { nz[count] = p; vals[count++] = 1; }
    const s = 1 / (1 + Math.exp(-z)), c = weight * s * (1 - s);
    for (let a = 0; a < count; a++) {
      const ca = c * vals[a]!, row = nz[a]! * q;
      for (let b = 0; b <= a; b++) H[row + nz[b]!] = H[row + nz[b]!]! + ca * vals[b]!;
    }
  }
  for (let j = 0; j < p; j++) H[j * q + j] = H[j * q + j]! + lambda;
  if (std) toStandardised(H, std, p, q);
  return H;
}

/**
 * Fits a seeded random subsample of max(2,000, n/20, 50·q) rows (at most 20,000; penalty scaled by
 * m/n so its optimum estimates the full one; 20 iterations: the Hessian there needs no more) and
 * factors its Hessian there. Returns the start point and
 * the preconditioner for the full L-BFGS, or undefined when the data are too small, the model has
 * too many parameters, or the Hessian is not positive definite (then plain L-BFGS from zero).
 */
export function subsampleWarmStart(input: WarmStartInput): { x0: Float64Array; precondition: (v: Float64Array) => void } | undefined {
  const { X, y01, lambda, fitIntercept } = input;
  const n = X.rows, q = X.cols + (fitIntercept ? 1 : 0);
  if (n < MIN_ROWS || q > MAX_PARAMS) return undefined;
  const m = Math.min(20_000, Math.max(2_000, Math.round(n / 20), 50 * q));
  const { rows, labels } = sampleRows(X, y01, m, input.seed);
  const fit = minimizeLbfgs(input.objective(rows, labels, (lambda * m) / n), new Float64Array(q), {
    maxIter: 20, gtol: (1e-4 * m) / n, ftol: 1e-8, signal: input.signal,
  });
  const factor = subsampleHessian(input, rows, fit.x, q);
  if (!choleskyInPlace(factor, q)) return undefined;
  return { x0: fit.x, precondition: (v) => choleskySolveInPlace(factor, q, v) };
}
