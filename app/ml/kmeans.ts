import { UserInputError, throwIfAborted } from '../base/errors';
import { createRng, type Rng } from '../base/rng';
import { checkFeatures, type FeatureNames } from './check';
import type { KMeansModel } from './models';
import type { Matrix, TrainContext } from './types';

/** k-means options; the defaults are sklearn's KMeans (n_init 10, max_iter 300, tol 1e-4). */
export interface KMeansOptions extends FeatureNames {
  k: number;
  /** Independent k-means++ starts; the one with the lowest inertia wins. */
  nInit?: number;
  maxIter?: number;
  /** Stop when the centers move less than tol × (mean feature variance), summed squared. */
  tol?: number;
}

/** A k-means fit with each training row's cluster and the Lloyd iterations of the winning start. */
export interface KMeansFit {
  model: KMeansModel;
  labels: Int32Array;
  iterations: number;
}

function sqDist(a: Float64Array, ao: number, b: Float64Array, bo: number, p: number): number {
  let d = 0;
  for (let j = 0; j < p; j++) { const t = a[ao + j]! - b[bo + j]!; d += t * t; }
  return d;
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
 * Greedy k-means++ seeding as sklearn does it: each new center is the best (lowest potential) of
 * 2 + ⌊ln k⌋ candidates drawn with probability ∝ squared distance to the nearest chosen center.
 */
function kmeansPlusPlus(X: Matrix, k: number, rng: Rng): Float64Array {
  const { rows: n, cols: p, data } = X;
  const centers = new Float64Array(k * p);
  const trials = 2 + Math.floor(Math.log(k));
  const first = rng.int(n);
  centers.set(data.subarray(first * p, first * p + p), 0);
  const closest = new Float64Array(n), candidate = new Float64Array(n), best = new Float64Array(n), cum = new Float64Array(n);
  for (let i = 0; i < n; i++) closest[i] = sqDist(data, i * p, centers, 0, p);
  for (let c = 1; c < k; c++) {
    let acc = 0;
    for (let i = 0; i < n; i++) { acc += closest[i]!; cum[i] = acc; }
    let bestPot = Infinity, bestId = 0;
    for (let t = 0; t < trials; t++) {
      const id = searchCumulative(cum, rng.next() * acc);
      let pot = 0;
      for (let i = 0; i < n; i++) {
        const d = Math.min(closest[i]!, sqDist(data, i * p, data, id * p, p));
        candidate[i] = d;
        pot += d;
      }
      if (pot < bestPot) { bestPot = pot; bestId = id; best.set(candidate); }
    }
    centers.set(data.subarray(bestId * p, bestId * p + p), c * p);
    closest.set(best);
  }
  return centers;
}

/**
 * Assigns each row to its nearest center (‖c‖² − 2x·c, the expanded form sklearn uses too) and
 * returns how many labels changed. `dist` gets each row's exact squared distance to its center.
 */
function assign(X: Matrix, centers: Float64Array, k: number, labels: Int32Array, dist: Float64Array, norms: Float64Array): number {
  const { rows: n, cols: p, data } = X;
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < p; j++) s += centers[c * p + j]! * centers[c * p + j]!;
    norms[c] = s;
  }
  let changed = 0;
  for (let i = 0, o = 0; i < n; i++, o += p) {
    let bestC = 0, bestD = Infinity;
    for (let c = 0, co = 0; c < k; c++, co += p) {
      let dot = 0;
      for (let j = 0; j < p; j++) dot += data[o + j]! * centers[co + j]!;
      const d = norms[c]! - 2 * dot;
      if (d < bestD) { bestD = d; bestC = c; }
    }
    if (labels[i] !== bestC) { labels[i] = bestC; changed++; }
    dist[i] = sqDist(data, o, centers, bestC * p, p);
  }
  return changed;
}

/**
 * Recomputes centers as cluster means; an empty cluster takes the row farthest from its own
 * center (as sklearn relocates them). Returns the summed squared center shift.
 */
function update(X: Matrix, k: number, labels: Int32Array, dist: Float64Array, centers: Float64Array, sums: Float64Array, counts: Float64Array): number {
  const { rows: n, cols: p, data } = X;
  sums.fill(0);
  counts.fill(0);
  for (let i = 0, o = 0; i < n; i++, o += p) {
    const c = labels[i]!;
    counts[c]!++;
    for (let j = 0; j < p; j++) sums[c * p + j] = sums[c * p + j]! + data[o + j]!;
  }
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
  }
  let shift = 0;
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < p; j++) {
      const v = counts[c]! > 0 ? sums[c * p + j]! / counts[c]! : centers[c * p + j]!;
      const t = v - centers[c * p + j]!;
      shift += t * t;
      centers[c * p + j] = v;
    }
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

function lloyd(X: Matrix, k: number, centers: Float64Array, maxIter: number, tol: number, ctx: Partial<TrainContext>, onIter: (it: number) => void): Run {
  const n = X.rows, p = X.cols;
  const labels = new Int32Array(n).fill(-1), dist = new Float64Array(n), norms = new Float64Array(k);
  const sums = new Float64Array(k * p), counts = new Float64Array(k);
  let updates = 0, strict = false;
  for (let it = 0; it < maxIter; it++) {
    throwIfAborted(ctx.signal);
    const changed = assign(X, centers, k, labels, dist, norms);
    if (it > 0 && changed === 0) { strict = true; break; }
    const shift = update(X, k, labels, dist, centers, sums, counts);
    onIter(++updates);
    if (shift <= tol) break;
  }
  // Centers moved after the last assignment unless labels were already stable: reassign.
  if (!strict) assign(X, centers, k, labels, dist, norms);
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += dist[i]!;
  return { centers, labels, inertia, iterations: updates };
}

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
  const rng = createRng(ctx.seed ?? 0);
  let best: Run | undefined;
  let done = 0;
  for (let r = 0; r < nInit; r++) {
    const runRng = rng.fork();
    throwIfAborted(ctx.signal);
    const run = lloyd(X, k, kmeansPlusPlus(X, k, runRng), maxIter, tol, ctx, () => ctx.progress?.({ done: ++done, total: nInit * maxIter, message: `start ${r + 1} of ${nInit}` }));
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
