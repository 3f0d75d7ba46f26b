/**
 * Objectives of logistic regression in sklearn's scale (summed log-loss + ½λ‖W‖², intercepts
 * unpenalised) over a row-major matrix: f(w) and ∇f(w) for L-BFGS. Each allocates its buffers
 * once per fit, never per evaluation.
 */
import type { Objective } from './optim/lbfgs';
import type { Matrix } from './types';

/** Row-major n×nOut scores S = X·Wᵀ + b into `out` (W is nOut×p, b after the K·p weights). */
function scoreRows(X: Matrix, w: Float64Array, nOut: number, fitIntercept: boolean, out: Float64Array): void {
  const { rows: n, cols: p, data } = X;
  for (let i = 0, o = 0, q = 0; i < n; i++, o += p) {
    for (let k = 0, wk = 0; k < nOut; k++, wk += p, q++) {
      let z = fitIntercept ? w[nOut * p + k]! : 0;
      for (let j = 0; j < p; j++) z += data[o + j]! * w[wk + j]!;
      out[q] = z;
    }
  }
}

/**
 * grad[k·p + j] += Σ_i r[i, k]·x[i, j], and the intercept gradients Σ_i r[i, k], for residuals r
 * (n×nOut). Four rows per step: a quarter of the loads and stores on `grad`, about 2× faster.
 */
function accumulateGradient(X: Matrix, r: Float64Array, nOut: number, fitIntercept: boolean, grad: Float64Array): void {
  const { rows: n, cols: p, data } = X;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const o0 = i * p, o1 = o0 + p, o2 = o1 + p, o3 = o2 + p;
    for (let k = 0, gk = 0; k < nOut; k++, gk += p) {
      const q = i * nOut + k;
      const e0 = r[q]!, e1 = r[q + nOut]!, e2 = r[q + 2 * nOut]!, e3 = r[q + 3 * nOut]!;
      for (let j = 0; j < p; j++) {
        grad[gk + j] = grad[gk + j]! + ((e0 * data[o0 + j]! + e1 * data[o1 + j]!) + (e2 * data[o2 + j]! + e3 * data[o3 + j]!));
      }
    }
  }
  for (; i < n; i++) {
    for (let k = 0, gk = 0; k < nOut; k++, gk += p) {
      const e = r[i * nOut + k]!;
      for (let j = 0; j < p; j++) grad[gk + j] = grad[gk + j]! + e * data[i * p + j]!;
    }
  }
  if (!fitIntercept) return;
  for (let k = 0; k < nOut; k++) {
    let s = 0;
    for (let q = k; q < n * nOut; q += nOut) s += r[q]!;
    grad[nOut * p + k] = s;
  }
}

function addPenalty(w: Float64Array, grad: Float64Array, count: number, lambda: number): number {
  let penalty = 0;
  for (let q = 0; q < count; q++) { penalty += 0.5 * lambda * w[q]! * w[q]!; grad[q] = grad[q]! + lambda * w[q]!; }
  return penalty;
}

/**
 * Binary log-loss of one row at score z and label t ∈ {0, 1}: writes the residual σ(z) − t into
 * `out[0]` and returns log(1 + e^z) − t·z. One exp per row: e = e^−|z| gives both the loss and
 * the sigmoid without overflow.
 */
function rowLoss(z: number, t: number, out: Float64Array): number {
  const e = Math.exp(-Math.abs(z));
  const positive = z > 0;
  out[0] = (positive ? 1 / (1 + e) : e / (1 + e)) - t;
  return (positive ? z : 0) + Math.log1p(e) - t * z;
}

/**
 * Binary objective: Σ [log(1 + e^z) − y·z] + ½λ‖w‖², z = x·w + b. Parameters: p weights, then
 * the intercept. One fused pass, four rows at a time: their scores are four independent dot
 * chains, and the four rows, still in L1, feed the gradient at once — X is read once per call.
 */
export function binaryObjective(X: Matrix, y01: Uint8Array, lambda: number, fitIntercept: boolean): Objective {
  const { rows: n, cols: p, data } = X;
  const r = new Float64Array(1);
  return (w, grad) => {
    const b = fitIntercept ? w[p]! : 0;
    grad.fill(0);
    let loss = 0, gb = 0, i = 0;
    for (; i + 3 < n; i += 4) {
      const o0 = i * p, o1 = o0 + p, o2 = o1 + p, o3 = o2 + p;
      let z0 = b, z1 = b, z2 = b, z3 = b;
      for (let j = 0; j < p; j++) {
        const wj = w[j]!;
        z0 += data[o0 + j]! * wj;
        z1 += data[o1 + j]! * wj;
        z2 += data[o2 + j]! * wj;
        z3 += data[o3 + j]! * wj;
      }
      loss += rowLoss(z0, y01[i]!, r);
      const e0 = r[0]!;
      loss += rowLoss(z1, y01[i + 1]!, r);
      const e1 = r[0]!;
      loss += rowLoss(z2, y01[i + 2]!, r);
      const e2 = r[0]!;
      loss += rowLoss(z3, y01[i + 3]!, r);
      const e3 = r[0]!;
      gb += (e0 + e1) + (e2 + e3);
      for (let j = 0; j < p; j++) {
        grad[j] = grad[j]! + ((e0 * data[o0 + j]! + e1 * data[o1 + j]!) + (e2 * data[o2 + j]! + e3 * data[o3 + j]!));
      }
    }
    for (; i < n; i++) {
      const o = i * p;
      let z = b;
      for (let j = 0; j < p; j++) z += data[o + j]! * w[j]!;
      loss += rowLoss(z, y01[i]!, r);
      const e = r[0]!;
      gb += e;
      for (let j = 0; j < p; j++) grad[j] = grad[j]! + e * data[o + j]!;
    }
    if (fitIntercept) grad[p] = gb;
    return loss + addPenalty(w, grad, p, lambda);
  };
}

/**
 * Multinomial objective: Σ [logsumexp(z) − z_y] + ½λ‖W‖², z_k = x·w_k + b_k. Parameters: K×p
 * weights row-major, then K intercepts. Three passes (scores, softmax, gradient) over one n×K buffer.
 */
export function multinomialObjective(X: Matrix, codes: Int32Array, K: number, lambda: number, fitIntercept: boolean): Objective {
  const n = X.rows, p = X.cols;
  const r = new Float64Array(n * K);
  return (w, grad) => {
    scoreRows(X, w, K, fitIntercept, r);
    let loss = 0;
    for (let i = 0, o = 0; i < n; i++, o += K) {
      let max = -Infinity;
      for (let k = 0; k < K; k++) if (r[o + k]! > max) max = r[o + k]!;
      const c = codes[i]!, zc = r[o + c]!;
      let sum = 0;
      for (let k = 0; k < K; k++) { const e = Math.exp(r[o + k]! - max); r[o + k] = e; sum += e; }
      loss += Math.log(sum) + max - zc;
      for (let k = 0; k < K; k++) r[o + k] = r[o + k]! / sum;
      r[o + c] = r[o + c]! - 1;
    }
    grad.fill(0);
    accumulateGradient(X, r, K, fitIntercept, grad);
    return loss + addPenalty(w, grad, K * p, lambda);
  };
}
