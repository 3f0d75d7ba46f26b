import { throwIfAborted } from '../../base/errors';
import type { CancelSignal } from '../../base/signal';

/** A smooth objective: returns f(x) and writes ∇f(x) into `grad` (length of x). Must not keep x. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

/** Stopping rules and hooks of L-BFGS; the defaults are scipy's L-BFGS-B defaults. */
export interface LbfgsOptions {
  /** Iterations at most (default 1000). */
  maxIter?: number;
  /** Correction pairs kept (default 10). */
  history?: number;
  /** Stop when max |∇f| ≤ gtol (default 1e-5). */
  gtol?: number;
  /** Stop when (f_k − f_k+1) / max(|f_k|, |f_k+1|, 1) ≤ ftol (default 2.22e-9, scipy's factr 1e7). */
  ftol?: number;
  /** Function evaluations per line search at most (default 50). */
  maxLineSearch?: number;
  signal?: CancelSignal;
  /**
   * An approximation of the inverse Hessian, applied in place (v ← H₀⁻¹·v). When given, it is the
   * two-loop recursion's starting matrix instead of the scaled identity, and the first step is a
   * full quasi-Newton step; a good one (e.g. the Hessian of a subsample) cuts iterations severalfold.
   */
  precondition?: (v: Float64Array) => void;
  /** Called after every iteration with the new objective value and gradient norm (∞-norm). */
  onIteration?: (iteration: number, f: number, gradNorm: number) => void;
}

/** Why the minimiser stopped. */
export type LbfgsStop = 'gradient' | 'function' | 'maxIter' | 'lineSearch';

/** The minimiser's end point. `converged` is true for the gradient and function stops. */
export interface LbfgsResult {
  x: Float64Array;
  f: number;
  gradNorm: number;
  iterations: number;
  evaluations: number;
  stop: LbfgsStop;
  converged: boolean;
}

interface Point { a: number; f: number; d: number }

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function infNorm(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) { const v = Math.abs(a[i]!); if (v > m) m = v; }
  return m;
}

/** Minimiser of the cubic through two points with slopes, kept inside the bracket. */
function cubicStep(lo: Point, hi: Point): number {
  const d1 = lo.d + hi.d - (3 * (lo.f - hi.f)) / (lo.a - hi.a);
  const disc = d1 * d1 - lo.d * hi.d;
  const left = Math.min(lo.a, hi.a), width = Math.abs(hi.a - lo.a);
  let a = NaN;
  if (disc >= 0) {
    const d2 = Math.sign(hi.a - lo.a) * Math.sqrt(disc);
    a = hi.a - ((hi.a - lo.a) * (hi.d + d2 - d1)) / (hi.d - lo.d + 2 * d2);
  }
  // Safeguard: stay 10% away from the bracket ends so the bracket always shrinks.
  if (!Number.isFinite(a) || a < left + 0.1 * width || a > left + 0.9 * width) a = left + 0.5 * width;
  return a;
}

/** Relative change of f below which a line search sees only rounding noise (≈ 1000 ulps). */
const FLAT = 1e3 * Number.EPSILON;

class LineSearch {
  evaluations = 0;
  /** Set when the search gave up because f did not change beyond rounding along the direction. */
  flat = false;
  constructor(
    private readonly fn: Objective,
    private readonly x: Float64Array,
    private readonly dir: Float64Array,
    readonly xt: Float64Array,
    readonly gt: Float64Array,
  ) {}

  eval(a: number): Point {
    const { x, dir, xt } = this;
    for (let i = 0; i < x.length; i++) xt[i] = x[i]! + a * dir[i]!;
    this.evaluations++;
    const f = this.fn(xt, this.gt);
    return { a, f, d: dot(this.gt, dir) };
  }

  /** Strong-Wolfe search (Nocedal & Wright, alg. 3.5/3.6); on success xt/gt hold the accepted point. */
  run(f0: number, d0: number, a1: number, maxEvals: number): Point | undefined {
    const c1 = 1e-4, c2 = 0.9;
    let prev: Point = { a: 0, f: f0, d: d0 };
    let a = a1;
    for (let i = 0; i < maxEvals; i++) {
      const cur = this.eval(a);
      if (!Number.isFinite(cur.f) || cur.f > f0 + c1 * cur.a * d0 || (i > 0 && cur.f >= prev.f)) return this.zoom(prev, cur, f0, d0, maxEvals, c1, c2);
      if (Math.abs(cur.d) <= -c2 * d0) return cur;
      if (cur.d >= 0) return this.zoom(cur, prev, f0, d0, maxEvals, c1, c2);
      prev = cur;
      a *= 2;
    }
    return undefined;
  }

  private zoom(lo: Point, hi: Point, f0: number, d0: number, maxEvals: number, c1: number, c2: number): Point | undefined {
    while (this.evaluations < maxEvals) {
      const a = Number.isFinite(hi.f) ? cubicStep(lo, hi) : 0.5 * (lo.a + hi.a);
      const cur = this.eval(a);
      if (!Number.isFinite(cur.f) || cur.f > f0 + c1 * a * d0 || cur.f >= lo.f) {
        hi = cur;
      } else {
        if (Math.abs(cur.d) <= -c2 * d0) return cur;
        if (cur.d * (hi.a - lo.a) >= 0) hi = lo;
        lo = cur;
      }
      if (Math.abs(hi.a - lo.a) <= 1e-16 * Math.max(1, lo.a)) break;
      // At the optimum to machine precision, f differences are rounding noise: bisecting further
      // would spend the whole budget (dozens of full passes) to learn nothing.
      if (Math.abs(cur.f - f0) <= FLAT * Math.abs(f0) && Math.abs(hi.f - f0) <= FLAT * Math.abs(f0)) { this.flat = true; break; }
    }
    // Out of budget: settle for the best sufficient-decrease point found, if it moved at all.
    if (lo.a === 0) return undefined;
    return this.eval(lo.a);
  }
}

/** Two-loop recursion: writes −H·g into `dir` from the stored pairs (newest at index `newest`). */
function twoLoop(g: Float64Array, dir: Float64Array, s: Float64Array[], y: Float64Array[], rho: Float64Array, count: number, newest: number, alpha: Float64Array, precondition?: (v: Float64Array) => void): void {
  const m = s.length;
  for (let i = 0; i < dir.length; i++) dir[i] = -g[i]!;
  for (let k = 0; k < count; k++) {
    const j = (newest - k + m) % m;
    const a = rho[j]! * dot(s[j]!, dir);
    alpha[j] = a;
    const yj = y[j]!;
    for (let i = 0; i < dir.length; i++) dir[i] = dir[i]! - a * yj[i]!;
  }
  if (precondition) {
    precondition(dir);
  } else if (count > 0) {
    const yn = y[newest]!;
    const gamma = dot(s[newest]!, yn) / dot(yn, yn);
    for (let i = 0; i < dir.length; i++) dir[i] = dir[i]! * gamma;
  }
  for (let k = count - 1; k >= 0; k--) {
    const j = (newest - k + m) % m;
    const b = rho[j]! * dot(y[j]!, dir);
    const sj = s[j]!, coef = alpha[j]! - b;
    for (let i = 0; i < dir.length; i++) dir[i] = dir[i]! + coef * sj[i]!;
  }
}

/**
 * Minimises a smooth function by limited-memory BFGS with a strong-Wolfe line search. Pure and
 * deterministic: the same objective and start give bit-identical results. Throws CancelledError
 * between iterations when `signal` fires.
 */
export function minimizeLbfgs(fn: Objective, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const n = x0.length, m = options.history ?? 10;
  const maxIter = options.maxIter ?? 1000, gtol = options.gtol ?? 1e-5, ftol = options.ftol ?? 2.220446049250313e-9;
  const x = Float64Array.from(x0), g = new Float64Array(n), dir = new Float64Array(n);
  const xt = new Float64Array(n), gt = new Float64Array(n);
  const s = Array.from({ length: m }, () => new Float64Array(n)), y = Array.from({ length: m }, () => new Float64Array(n));
  const rho = new Float64Array(m), alpha = new Float64Array(m);
  let f = fn(x, g), evaluations = 1, count = 0, newest = -1, iter = 0;
  let gradNorm = infNorm(g);
  let stop: LbfgsStop = 'maxIter';
  if (gradNorm <= gtol) stop = 'gradient';
  while (stop === 'maxIter' && iter < maxIter) {
    throwIfAborted(options.signal);
    twoLoop(g, dir, s, y, rho, count, newest, alpha, options.precondition);
    let d0 = dot(g, dir), steepest = false;
    if (!(d0 < 0)) {
      // Not a descent direction (lost curvature): restart from steepest descent.
      count = 0;
      steepest = true;
      for (let i = 0; i < n; i++) dir[i] = -g[i]!;
      d0 = dot(g, dir);
    }
    const first = count === 0 && (steepest || !options.precondition) ? Math.min(1, 1 / Math.sqrt(-d0)) : 1;
    const search = new LineSearch(fn, x, dir, xt, gt);
    const accepted = search.run(f, d0, first, options.maxLineSearch ?? 50);
    evaluations += search.evaluations;
    if (!accepted) { stop = search.flat ? 'function' : 'lineSearch'; break; }
    const next = (newest + 1) % m, sn = s[next]!, yn = y[next]!;
    for (let i = 0; i < n; i++) { sn[i] = xt[i]! - x[i]!; yn[i] = gt[i]! - g[i]!; }
    const sy = dot(sn, yn);
    if (sy > Number.EPSILON * dot(yn, yn)) {
      rho[next] = 1 / sy;
      newest = next;
      count = Math.min(count + 1, m);
    }
    x.set(xt);
    g.set(gt);
    const fPrev = f;
    f = accepted.f;
    gradNorm = infNorm(g);
    iter++;
    options.onIteration?.(iter, f, gradNorm);
    if (gradNorm <= gtol) stop = 'gradient';
    else if ((fPrev - f) / Math.max(Math.abs(fPrev), Math.abs(f), 1) <= ftol) stop = 'function';
  }
  return { x, f, gradNorm, iterations: iter, evaluations, stop, converged: stop === 'gradient' || stop === 'function' };
}
