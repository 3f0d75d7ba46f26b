/**
 * A warm start and preconditioner for logistic regression on many rows: fit a random subsample
 * first (a few percent of the cost of one pass over the data per evaluation), then run L-BFGS on
 * all rows from that point with the subsample's Hessian as its starting inverse-Hessian. The full
 * fit still stops by the full data's own rules, so it reaches the same optimum; it just takes about
 * a third of the full passes (the curvature is known from the first step on).
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
  /** Class codes 0…K−1 (binary: 1 = the modelled class). */
  codes: Int32Array;
  /** Rows of coefficients: 1 for a binary model, K for a multinomial one. */
  nOut: number;
  /** The penalty 1/C of the full objective (summed loss + ½λ‖W‖²). */
  lambda: number;
  fitIntercept: boolean;
  /** The coordinates the optimiser runs in; undefined = raw features. */
  std: Standardisation | undefined;
  seed: number;
  signal?: CancelSignal;
  /** The objective on `rows` with penalty `l2`, in the optimiser's coordinates (params as the full one's). */
  objective: (rows: Matrix, codes: Int32Array, l2: number) => Objective;
}

/** Below this many rows one pass is cheap enough that the subsample does not pay for itself. */
const MIN_ROWS = 20_000;

/** Parameter layout of the objectives: nOut×p coefficients row-major, then nOut intercepts. */
interface Layout { p: number; nOut: number; q: number; fitIntercept: boolean }
const coefIndex = (l: Layout, k: number, j: number): number => (j < l.p ? k * l.p + j : l.nOut * l.p + k);

function sampleRows(X: Matrix, codes: Int32Array, m: number, seed: number): { rows: Matrix; labels: Int32Array } {
  const n = X.rows, p = X.cols, rng = createRng(seed);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const rows = createMatrix(m, p), labels = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    const j = i + rng.int(n - i), pick = order[j]!;
    order[j] = order[i]!;
    rows.data.set(X.data.subarray(pick * p, pick * p + p), i * p);
    labels[i] = codes[pick]!;
  }
  return { rows, labels };
}

/** Raw coefficients and intercepts of a point `w` in the optimiser's coordinates. */
function rawWeights(w: Float64Array, std: Standardisation | undefined, l: Layout): Float64Array {
  if (!std) return w;
  const out = Float64Array.from(w);
  for (let k = 0; k < l.nOut; k++) {
    let shift = 0;
    for (let j = 0; j < l.p; j++) { out[k * l.p + j] = w[k * l.p + j]! / std.scale[j]!; shift += out[k * l.p + j]! * std.mean[j]!; }
    if (l.fitIntercept) out[coefIndex(l, k, l.p)] = w[coefIndex(l, k, l.p)]! - shift;
  }
  return out;
}

/**
 * H ← Tᵀ·H·T for the change of variables w_kj = w'_kj/s_j, b_k = b'_k − Σ m_j·w'_kj/s_j, so the
 * full symmetric H is in the optimiser's coordinates. O(q²) per side.
 */
function toStandardised(H: Float64Array, std: Standardisation, l: Layout): void {
  const { p, nOut, q, fitIntercept } = l;
  const mean = (j: number): number => (fitIntercept ? std.mean[j]! : 0);
  for (let a = 0; a < q; a++) {
    for (let k = 0; k < nOut; k++) {
      const last = fitIntercept ? H[a * q + coefIndex(l, k, p)]! : 0;
      for (let j = 0; j < p; j++) H[a * q + k * p + j] = (H[a * q + k * p + j]! - last * mean(j)) / std.scale[j]!;
    }
  }
  for (let c = 0; c < q; c++) {
    for (let k = 0; k < nOut; k++) {
      const last = fitIntercept ? H[coefIndex(l, k, p) * q + c]! : 0;
      for (let j = 0; j < p; j++) H[(k * p + j) * q + c] = (H[(k * p + j) * q + c]! - last * mean(j)) / std.scale[j]!;
    }
  }
}

/** Class probabilities of one row (binary: P(class 1) in out[0]) from raw scores z. */
function probabilities(z: Float64Array, nOut: number, out: Float64Array): void {
  if (nOut === 1) { out[0] = 1 / (1 + Math.exp(-z[0]!)); return; }
  let max = -Infinity, sum = 0;
  for (let k = 0; k < nOut; k++) max = Math.max(max, z[k]!);
  for (let k = 0; k < nOut; k++) { out[k] = Math.exp(z[k]! - max); sum += out[k]!; }
  for (let k = 0; k < nOut; k++) out[k] = out[k]! / sum;
}

/**
 * The Hessian of the full objective estimated from the subsample at `w` (optimiser coordinates):
 * (n/m)·Σ_i (diag(π) − ππᵀ) ⊗ x·xᵀ (binary: π(1−π)·x·xᵀ) plus λ on the coefficients, built in raw
 * coordinates over each row's non-zero entries only (one-hot columns are mostly zero), then carried
 * to the optimiser's. Row-major q×q, full. Unpenalised multinomial intercepts are singular along
 * "all classes shift together", so their diagonal gets a tiny ridge: H only has to precondition.
 */
function subsampleHessian(input: WarmStartInput, rows: Matrix, w: Float64Array, l: Layout): Float64Array {
  const { lambda, std } = input;
  const { p, nOut, q, fitIntercept } = l;
  const m = rows.rows, weight = input.X.rows / m, raw = rawWeights(w, std, l);
  const H = new Float64Array(q * q), nz = new Int32Array(p + 1), vals = new Float64Array(p + 1);
  const z = new Float64Array(nOut), pi = new Float64Array(nOut);
  for (let i = 0, o = 0; i < m; i++, o += p) {
    let count = 0;
    for (let j = 0; j < p; j++) { const v = rows.data[o + j]!; if (v !== 0) { nz[count] = j; vals[count++] = v; } }
    if (fitIntercept) { nz[count] = p; vals[count++] = 1; }
    for (let k = 0; k < nOut; k++) {
      let s = 0;
      for (let a = 0; a < count; a++) s += vals[a]! * raw[coefIndex(l, k, nz[a]!)]!;
      z[k] = s;
    }
    probabilities(z, nOut, pi);
    for (let k = 0; k < nOut; k++) {
      for (let kk = 0; kk < nOut; kk++) {
        const c = weight * (nOut === 1 ? pi[0]! * (1 - pi[0]!) : pi[k]! * ((k === kk ? 1 : 0) - pi[kk]!));
        for (let a = 0; a < count; a++) {
          const ca = c * vals[a]!, row = coefIndex(l, k, nz[a]!) * q;
          for (let b = 0; b < count; b++) H[row + coefIndex(l, kk, nz[b]!)] = H[row + coefIndex(l, kk, nz[b]!)]! + ca * vals[b]!;
        }
      }
    }
  }
  for (let c = 0; c < nOut * p; c++) H[c * q + c] = H[c * q + c]! + lambda;
  if (std) toStandardised(H, std, l);
  if (nOut > 1 && fitIntercept) {
    let trace = 0;
    for (let c = 0; c < q; c++) trace += H[c * q + c]!;
    for (let k = 0; k < nOut; k++) { const c = coefIndex(l, k, p); H[c * q + c] = H[c * q + c]! + 1e-6 * trace / q; }
  }
  return H;
}

/** Average non-zero features per row of the subsample (one-hot data are sparse). */
function nonZerosPerRow(rows: Matrix): number {
  let count = 0;
  for (let i = 0; i < rows.data.length; i++) if (rows.data[i] !== 0) count++;
  return count / rows.rows;
}

/**
 * Fits a seeded random subsample of max(2,000, n/20, 50·q) rows (at most 10,000; penalty scaled by
 * m/n so its optimum estimates the full one; 20 iterations: the Hessian there needs no more) and
 * factors its Hessian there. Returns the start point and the preconditioner for the full L-BFGS,
 * or undefined when the data are too small, the Hessian would cost more than four full passes, or
 * it is not positive definite (then plain L-BFGS from zero).
 */
export function subsampleWarmStart(input: WarmStartInput): { x0: Float64Array; precondition: (v: Float64Array) => void } | undefined {
  const { X, codes, nOut, lambda, fitIntercept } = input;
  const n = X.rows, p = X.cols, layout: Layout = { p, nOut, q: nOut * (p + (fitIntercept ? 1 : 0)), fitIntercept };
  if (n < MIN_ROWS) return undefined;
  const m = Math.min(10_000, Math.max(2_000, Math.round(n / 20), 50 * layout.q));
  if (m * 2 > n) return undefined;
  const { rows, labels } = sampleRows(X, codes, m, input.seed);
  const width = nOut * (nonZerosPerRow(rows) + (fitIntercept ? 1 : 0));
  if (m * width * width > 4 * (2 * n * p * nOut)) return undefined;
  const fit = minimizeLbfgs(input.objective(rows, labels, (lambda * m) / n), new Float64Array(layout.q), {
    maxIter: 20, gtol: (1e-4 * m) / n, ftol: 1e-8, signal: input.signal,
  });
  const factor = subsampleHessian(input, rows, fit.x, layout);
  if (!choleskyInPlace(factor, layout.q)) return undefined;
  return { x0: fit.x, precondition: (v) => choleskySolveInPlace(factor, layout.q, v) };
}
