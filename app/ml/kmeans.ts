import { assertNever } from '../base/assert';
import { UserInputError, throwIfAborted } from '../base/errors';
import { createRng, type Rng } from '../base/rng';
import { checkFeatures, type FeatureNames } from './check';
import type { KMeansModel } from './models';
import { assignHamerly, assignLloyd, createAssignState, forgetBounds, resetAssignState, rowSquaredNorms, sqDist, type AssignState } from './kmeans-assign';
import type { Matrix, TrainContext } from './types';

/** k-means options; the defaults are sklearn's KMeans (n_init 10, max_iter 300, tol 1e-4). */
export interface KMeansOptions extends FeatureNames {
  k: number;
  /** Independent k-means++ starts; the one with the lowest inertia wins. */
  nInit?: number;
  maxIter?: number;
  /** Stop when the centers move less than tol × (mean feature variance), summed squared. */
  tol?: number;
  /** Assignment step; both give bit-identical results, 'hamerly' (default) skips most distances. */
  algorithm?: KMeansAlgorithm;
}

/** 'lloyd' scans every center for every row; 'hamerly' uses distance bounds to skip rows. */
export type KMeansAlgorithm = 'lloyd' | 'hamerly';

/** A k-means fit with each training row's cluster and the Lloyd iterations of the winning start. */
export interface KMeansFit {
  model: KMeansModel;
  labels: Int32Array;
  iterations: number;
}

/** Index of the first cumulative weight above `target` (binary search), clipped to n − 1. */
function searchCumulative(cum: Float64Array, target: number): number {
  let lo = 0, hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid]! <= target) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/**
 * For each candidate t (rows[t·p …]) and row i: candidate[t·n + i] = min(closest[i], ‖x_i − c_t‖²),
 * summed into pot[t]. Four candidates at a time: four independent distance chains per row (one
 * chain is bound by add latency); each distance still sums its columns in order.
 */
function scoreCandidates(data: Float64Array, n: number, p: number, rows: Float64Array, trials: number, closest: Float64Array, candidate: Float64Array, pot: Float64Array): void {
  let t = 0;
  for (; t + 3 < trials; t += 4) {
    const r0 = t * p, r1 = r0 + p, r2 = r1 + p, r3 = r2 + p;
    const q0 = t * n, q1 = q0 + n, q2 = q1 + n, q3 = q2 + n;
    let p0 = 0, p1 = 0, p2 = 0, p3 = 0;
    for (let i = 0, o = 0; i < n; i++, o += p) {
      let d0 = 0, d1 = 0, d2 = 0, d3 = 0;
      for (let j = 0; j < p; j++) {
        const x = data[o + j]!;
        const a = x - rows[r0 + j]!, b = x - rows[r1 + j]!, c = x - rows[r2 + j]!, e = x - rows[r3 + j]!;
        d0 += a * a;
        d1 += b * b;
        d2 += c * c;
        d3 += e * e;
      }
      const own = closest[i]!;
      d0 = Math.min(own, d0); d1 = Math.min(own, d1); d2 = Math.min(own, d2); d3 = Math.min(own, d3);
      candidate[q0 + i] = d0; candidate[q1 + i] = d1; candidate[q2 + i] = d2; candidate[q3 + i] = d3;
      p0 += d0; p1 += d1; p2 += d2; p3 += d3;
    }
    pot[t] = p0; pot[t + 1] = p1; pot[t + 2] = p2; pot[t + 3] = p3;
  }
  for (; t < trials; t++) {
    let acc = 0;
    for (let i = 0, o = 0; i < n; i++, o += p) {
      const d = Math.min(closest[i]!, sqDist(data, o, rows, t * p, p));
      candidate[t * n + i] = d;
      acc += d;
    }
    pot[t] = acc;
  }
}

/**
 * Greedy k-means++ seeding as sklearn does it: each new center is the best (lowest potential) of
 * 2 + ⌊ln k⌋ candidates drawn with probability ∝ squared distance to the nearest chosen center.
 */
function kmeansPlusPlus(X: Matrix, k: number, rng: Rng): Float64Array {
  const { rows: n, cols: p, data } = X;
  const centers = new Float64Array(k * p);
  const trials = 2 + Math.floor(Math.log(k));
  const first = rng.int(n);
  centers.set(data.subarray(first * p, first * p + p), 0);
  const closest = new Float64Array(n), cum = new Float64Array(n);
  // All candidates are scored in one pass over the rows: each row is read once, not once per trial.
  const candidate = new Float64Array(trials * n), ids = new Int32Array(trials), rows = new Float64Array(trials * p), pot = new Float64Array(trials);
  for (let i = 0; i < n; i++) closest[i] = sqDist(data, i * p, centers, 0, p);
  for (let c = 1; c < k; c++) {
    let acc = 0;
    for (let i = 0; i < n; i++) { acc += closest[i]!; cum[i] = acc; }
    for (let t = 0; t < trials; t++) {
      ids[t] = searchCumulative(cum, rng.next() * acc);
      rows.set(data.subarray(ids[t]! * p, ids[t]! * p + p), t * p);
    }
    pot.fill(0);
    scoreCandidates(data, n, p, rows, trials, closest, candidate, pot);
    let bestPot = Infinity, bestT = -1;
    for (let t = 0; t < trials; t++) if (pot[t]! < bestPot) { bestPot = pot[t]!; bestT = t; }
    const bestId = bestT < 0 ? 0 : ids[bestT]!;
    centers.set(data.subarray(bestId * p, bestId * p + p), c * p);
    if (bestT >= 0) closest.set(candidate.subarray(bestT * n, bestT * n + n));
  }
  return centers;
}

/** dist[i] = exact squared distance from row i to its own center. */
function ownDistances(X: Matrix, centers: Float64Array, labels: Int32Array, dist: Float64Array): void {
  const { rows: n, cols: p, data } = X;
  for (let i = 0, o = 0; i < n; i++, o += p) dist[i] = sqDist(data, o, centers, labels[i]! * p, p);
}

/**
 * An empty cluster takes the row farthest from its own center (as sklearn relocates them); that
 * row's bounds are reset so the next assignment scans it.
 */
function relocateEmpty(X: Matrix, k: number, s: AssignState, centers: Float64Array, dist: Float64Array): void {
  const { rows: n, cols: p, data } = X;
  const { labels, sums, counts } = s;
  ownDistances(X, centers, labels, dist);
  for (let c = 0; c < k; c++) {
    if (counts[c]! > 0) continue;
    let far = -1;
    for (let i = 0; i < n; i++) if (counts[labels[i]!]! > 1 && (far < 0 || dist[i]! > dist[far]!)) far = i;
    if (far < 0) continue;
    const old = labels[far]!;
    for (let j = 0; j < p; j++) { sums[old * p + j] = sums[old * p + j]! - data[far * p + j]!; sums[c * p + j] = data[far * p + j]!; }
    counts[old]!--;
    counts[c] = 1;
    labels[far] = c;
    dist[far] = 0;
    forgetBounds(s, far);
  }
}

/**
 * Recomputes centers as cluster means from the sums of the last assignment step (relocating
 * empty clusters first), records how far each center moved in `s.moved`, and returns the summed
 * squared center shift.
 */
function update(X: Matrix, k: number, s: AssignState, dist: Float64Array, centers: Float64Array): number {
  const p = X.cols;
  const { moved, sums, counts } = s;
  let empty = false;
  for (let c = 0; c < k; c++) if (counts[c] === 0) empty = true;
  if (empty) relocateEmpty(X, k, s, centers, dist);
  let shift = 0;
  for (let c = 0; c < k; c++) {
    // An empty cluster's incremental sum may hold rounding residue: start it from exact zero.
    if (counts[c] === 0) sums.fill(0, c * p, c * p + p);
    let own = 0;
    for (let j = 0; j < p; j++) {
      const v = counts[c]! > 0 ? sums[c * p + j]! / counts[c]! : centers[c * p + j]!;
      const t = v - centers[c * p + j]!;
      shift += t * t;
      own += t * t;
      centers[c * p + j] = v;
    }
    moved[c] = Math.sqrt(own);
  }
  return shift;
}

function meanVariance(X: Matrix): number {
  const { rows: n, cols: p, data } = X;
  let total = 0;
  for (let j = 0; j < p; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += data[i * p + j]!;
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) { const t = data[i * p + j]! - m; v += t * t; }
    total += v / n;
  }
  return total / p;
}

interface Run { centers: Float64Array; labels: Int32Array; inertia: number; iterations: number }

function assignStep(algorithm: KMeansAlgorithm): typeof assignLloyd {
  switch (algorithm) {
    case 'lloyd': return assignLloyd;
    case 'hamerly': return assignHamerly;
    default: return assertNever(algorithm, 'k-means algorithm');
  }
}

function lloyd(X: Matrix, centers: Float64Array, s: AssignState, options: LloydOptions, ctx: Partial<TrainContext>, onIter: (it: number) => void): Run {
  const n = X.rows, p = X.cols, data = X.data, k = centers.length / p;
  resetAssignState(s);
  const dist = new Float64Array(n);
  const assign = assignStep(options.algorithm);
  let updates = 0, strict = false;
  for (let it = 0; it < options.maxIter; it++) {
    throwIfAborted(ctx.signal);
    const changed = assign(data, n, p, centers, k, s);
    if (it > 0 && changed === 0) { strict = true; break; }
    const shift = update(X, k, s, dist, centers);
    onIter(++updates);
    if (shift <= options.tol) break;
  }
  // Centers moved after the last assignment unless labels were already stable: reassign.
  if (!strict) assign(data, n, p, centers, k, s);
  ownDistances(X, centers, s.labels, dist);
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += dist[i]!;
  return { centers, labels: s.labels.slice(), inertia, iterations: updates };
}

interface LloydOptions { maxIter: number; tol: number; algorithm: KMeansAlgorithm }

/**
 * k-means (Lloyd) with greedy k-means++ seeding, like sklearn's KMeans: `nInit` seeded starts,
 * best inertia (sum of squared distances to the nearest center) kept. Same seed → bit-identical
 * model. Progress counts Lloyd iterations over all starts (total nInit × maxIter); cancellable.
 */
export function fitKMeansWithInfo(X: Matrix, options: KMeansOptions, ctx: Partial<TrainContext> = {}): KMeansFit {
  checkFeatures(X, 'k-means', options.featureNames);
  const { k } = options, nInit = options.nInit ?? 10, maxIter = options.maxIter ?? 300;
  if (!Number.isInteger(k) || k < 1) throw new UserInputError(`k-means needs a whole number of clusters ≥ 1; got ${k}.`);
  if (k > X.rows) throw new UserInputError(`k-means cannot make ${k} clusters out of ${X.rows} rows.`);
  if (!Number.isInteger(nInit) || nInit < 1) throw new UserInputError(`k-means nInit must be a whole number ≥ 1; got ${nInit}.`);
  const tol = (options.tol ?? 1e-4) * meanVariance(X);
  const algorithm = options.algorithm ?? 'hamerly';
  const rng = createRng(ctx.seed ?? 0);
  const state = createAssignState(rowSquaredNorms(X.data, X.rows, X.cols), X.cols, k, algorithm === 'hamerly');
  let best: Run | undefined;
  let done = 0;
  for (let r = 0; r < nInit; r++) {
    const runRng = rng.fork();
    throwIfAborted(ctx.signal);
    const run = lloyd(X, kmeansPlusPlus(X, k, runRng), state, { maxIter, tol, algorithm }, ctx, () => ctx.progress?.({ done: ++done, total: nInit * maxIter, message: `start ${r + 1} of ${nInit}` }));
    if (!best || run.inertia < best.inertia) best = run;
  }
  const winner = best!;
  return {
    model: { kind: 'kmeans', centers: { rows: k, cols: X.cols, data: winner.centers }, inertia: winner.inertia },
    labels: winner.labels,
    iterations: winner.iterations,
  };
}

/** `fitKMeansWithInfo` returning the model only. */
export function fitKMeans(X: Matrix, options: KMeansOptions, ctx: Partial<TrainContext> = {}): KMeansModel {
  return fitKMeansWithInfo(X, options, ctx).model;
}
