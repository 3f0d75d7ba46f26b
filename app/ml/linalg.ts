/**
 * Small dense linear algebra for the trainers: Householder QR with column pivoting on
 * column-major arrays (element (i, j) of an m×n matrix at `a[j * m + i]`).
 */

/** A QR factorisation A·P = Q·R kept in LAPACK's compact form. */
export interface QR {
  /** R in the upper triangle, Householder vectors below the diagonal (column-major m×n). */
  a: Float64Array;
  tau: Float64Array;
  /** perm[j] = original column at position j. */
  perm: Int32Array;
  m: number;
  n: number;
}

function swapColumns(a: Float64Array, m: number, j: number, k: number): void {
  const oj = j * m, ok = k * m;
  for (let i = 0; i < m; i++) {
    const t = a[oj + i]!;
    a[oj + i] = a[ok + i]!;
    a[ok + i] = t;
  }
}

function pivotColumn(a: Float64Array, m: number, n: number, j: number): number {
  let best = j, bestNorm = -1;
  for (let k = j; k < n; k++) {
    let s = 0;
    for (let i = j, o = k * m; i < m; i++) s += a[o + i]! * a[o + i]!;
    if (s > bestNorm) { bestNorm = s; best = k; }
  }
  return best;
}

/**
 * Factorises the column-major m×n matrix `a` in place. With `pivot`, the column of largest
 * remaining norm comes first at every step, so a rank deficiency shows as a tail of tiny |R_jj|.
 */
export function qrFactor(a: Float64Array, m: number, n: number, pivot: boolean): QR {
  const steps = Math.min(m, n);
  const tau = new Float64Array(steps);
  const perm = new Int32Array(n);
  for (let j = 0; j < n; j++) perm[j] = j;
  for (let j = 0; j < steps; j++) {
    if (pivot) {
      const p = pivotColumn(a, m, n, j);
      if (p !== j) {
        swapColumns(a, m, j, p);
        const t = perm[j]!; perm[j] = perm[p]!; perm[p] = t;
      }
    }
    const o = j * m;
    let norm = 0;
    for (let i = j; i < m; i++) norm += a[o + i]! * a[o + i]!;
    norm = Math.sqrt(norm);
    if (norm === 0) { tau[j] = 0; continue; }
    const alpha = a[o + j]! > 0 ? -norm : norm;
    const v0 = a[o + j]! - alpha;
    // Scale v so that v[j] = 1 (stored implicitly); tau = (alpha - a_jj) / alpha ... LAPACK form.
    for (let i = j + 1; i < m; i++) a[o + i] = a[o + i]! / v0;
    tau[j] = -v0 / alpha;
    a[o + j] = alpha;
    for (let k = j + 1; k < n; k++) {
      const ok = k * m;
      let s = a[ok + j]!;
      for (let i = j + 1; i < m; i++) s += a[o + i]! * a[ok + i]!;
      s *= tau[j]!;
      a[ok + j] = a[ok + j]! - s;
      for (let i = j + 1; i < m; i++) a[ok + i] = a[ok + i]! - s * a[o + i]!;
    }
  }
  return { a, tau, perm, m, n };
}

/** Overwrites the length-m vector `y` with Qᵀ·y. */
export function applyQt(qr: QR, y: Float64Array): void {
  const { a, tau, m } = qr;
  for (let j = 0; j < tau.length; j++) {
    if (tau[j] === 0) continue;
    const o = j * m;
    let s = y[j]!;
    for (let i = j + 1; i < m; i++) s += a[o + i]! * y[i]!;
    s *= tau[j]!;
    y[j] = y[j]! - s;
    for (let i = j + 1; i < m; i++) y[i] = y[i]! - s * a[o + i]!;
  }
}

/** Overwrites the length-m vector `y` with Q·y. */
export function applyQ(qr: QR, y: Float64Array): void {
  const { a, tau, m } = qr;
  for (let j = tau.length - 1; j >= 0; j--) {
    if (tau[j] === 0) continue;
    const o = j * m;
    let s = y[j]!;
    for (let i = j + 1; i < m; i++) s += a[o + i]! * y[i]!;
    s *= tau[j]!;
    y[j] = y[j]! - s;
    for (let i = j + 1; i < m; i++) y[i] = y[i]! - s * a[o + i]!;
  }
}

/** Numerical rank: the count of |R_jj| above `rcond · |R_00|` (pivoted factorisations only). */
export function qrRank(qr: QR, rcond: number): number {
  const { a, m } = qr;
  const steps = qr.tau.length;
  const top = Math.abs(a[0]!);
  let r = 0;
  while (r < steps && Math.abs(a[r * m + r]!) > rcond * top) r++;
  return r;
}

/** Solves R[0:r,0:r]·x = b[0:r] by back substitution; returns x (length r). */
export function solveUpper(qr: QR, r: number, b: Float64Array): Float64Array {
  const { a, m } = qr;
  const x = new Float64Array(r);
  for (let i = r - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < r; k++) s -= a[k * m + i]! * x[k]!;
    x[i] = s / a[i * m + i]!;
  }
  return x;
}

/** Solves R[0:r,0:r]ᵀ·x = b[0:r] by forward substitution; returns x (length r). */
export function solveUpperTransposed(qr: QR, r: number, b: Float64Array): Float64Array {
  const { a, m } = qr;
  const x = new Float64Array(r);
  for (let i = 0; i < r; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= a[i * m + k]! * x[k]!;
    x[i] = s / a[i * m + i]!;
  }
  return x;
}

/**
 * Minimum-norm least-squares solution of A·x ≈ y for a column-major m×n `a` (overwritten), as
 * LAPACK's complete orthogonal decomposition gives it: exact QR for full column rank, and for a
 * rank-deficient A the smallest ‖x‖ among all minimisers (what numpy/scipy lstsq return).
 */
export function leastSquares(a: Float64Array, m: number, n: number, y: Float64Array): { x: Float64Array; rank: number } {
  const qr = qrFactor(a, m, n, true);
  const qty = Float64Array.from(y);
  applyQt(qr, qty);
  const rank = qrRank(qr, Math.max(m, n) * Number.EPSILON);
  const z = new Float64Array(n);
  if (rank === n) {
    z.set(solveUpper(qr, n, qty));
  } else if (rank > 0) {
    // T = R[0:r, 0:n] is r×n; its transpose Tᵀ = Q2·R2, so T·z = c has min-norm z = Q2·R2⁻ᵀ·c.
    const tt = new Float64Array(n * rank);
    for (let i = 0; i < rank; i++) for (let j = i; j < n; j++) tt[i * n + j] = qr.a[j * m + i]!;
    const qr2 = qrFactor(tt, n, rank, false);
    const w = new Float64Array(n);
    w.set(solveUpperTransposed(qr2, rank, qty));
    applyQ(qr2, w);
    z.set(w);
  }
  const x = new Float64Array(n);
  for (let j = 0; j < n; j++) x[qr.perm[j]!] = z[j]!;
  return { x, rank };
}

/**
 * Cholesky factor L (lower, row-major q×q, in place) of a symmetric positive definite matrix of
 * which only the lower triangle is read. Returns false when a pivot is not positive (the matrix
 * is not numerically positive definite); the array then holds garbage.
 */
export function choleskyInPlace(a: Float64Array, q: number): boolean {
  for (let j = 0; j < q; j++) {
    let d = a[j * q + j]!;
    for (let k = 0; k < j; k++) d -= a[j * q + k]! * a[j * q + k]!;
    if (!(d > 0)) return false;
    const l = Math.sqrt(d);
    a[j * q + j] = l;
    for (let i = j + 1; i < q; i++) {
      let t = a[i * q + j]!;
      for (let k = 0; k < j; k++) t -= a[i * q + k]! * a[j * q + k]!;
      a[i * q + j] = t / l;
    }
  }
  return true;
}

/** Solves L·Lᵀ·x = v in place, for the factor `choleskyInPlace` left in `l`. */
export function choleskySolveInPlace(l: Float64Array, q: number, v: Float64Array): void {
  for (let i = 0; i < q; i++) {
    let t = v[i]!;
    for (let k = 0; k < i; k++) t -= l[i * q + k]! * v[k]!;
    v[i] = t / l[i * q + i]!;
  }
  for (let i = q - 1; i >= 0; i--) {
    let t = v[i]!;
    for (let k = i + 1; k < q; k++) t -= l[k * q + i]! * v[k]!;
    v[i] = t / l[i * q + i]!;
  }
}
