import { assertNever } from '../base/assert';
import { UserInputError, throwIfAborted } from '../base/errors';
import { createRng } from '../base/rng';
import { checkFeatures, type FeatureNames } from './check';
import { createSeedNeighbours, kmeansPlusPlus, type SeedNeighbours } from './kmeans-init';
import { mostlyZero, sparseRows } from './kmeans-sparse';
import type { KMeansModel } from './models';
import { assignLloyd, createAssignState, forgetBounds, resetAssignState, rowSquaredNorms, sqDist, type AssignState } from './kmeans-assign';
import { assignFromSeeds, assignHamerly } from './kmeans-hamerly';
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
  /**
   * Compute over each row's non-zero entries only (one-hot data); the result is bit-identical
   * either way. Default: when at most a third of the entries are non-zero.
   */
  skipZeros?: boolean;
}

/** 'lloyd' scans every center for every row; 'hamerly' uses distance bounds to skip rows. */
export type KMeansAlgorithm = 'lloyd' | 'hamerly';

/** A k-means fit with each training row's cluster and the Lloyd iterations of the winning start. */
export interface KMeansFit {
  model: KMeansModel;
  labels: Int32Array;
  iterations: number;
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

/**
 * Mean over columns of each column's (population) variance. Row by row with one accumulator per
 * column: each column still sums its rows in order, but the data is read twice, not 2·p times.
 */
function meanVariance(X: Matrix): number {
  const { rows: n, cols: p, data } = X;
  const mean = new Float64Array(p), sq = new Float64Array(p);
  for (let i = 0, o = 0; i < n; i++, o += p) for (let j = 0; j < p; j++) mean[j] = mean[j]! + data[o + j]!;
  for (let j = 0; j < p; j++) mean[j] = mean[j]! / n;
  for (let i = 0, o = 0; i < n; i++, o += p) {
    for (let j = 0; j < p; j++) { const t = data[o + j]! - mean[j]!; sq[j] = sq[j]! + t * t; }
  }
  let total = 0;
  for (let j = 0; j < p; j++) total += sq[j]! / n;
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

function lloyd(X: Matrix, centers: Float64Array, seeds: SeedNeighbours, s: AssignState, options: LloydOptions, ctx: Partial<TrainContext>, onIter: (it: number) => void): Run {
  const n = X.rows, p = X.cols, data = X.data, k = centers.length / p;
  resetAssignState(s);
  const dist = new Float64Array(n);
  const assign = assignStep(options.algorithm);
  let updates = 0, strict = false;
  for (let it = 0; it < options.maxIter; it++) {
    throwIfAborted(ctx.signal);
    // Hamerly's first step takes its bounds from the seeding instead of scanning every row.
    const changed = it === 0 && options.algorithm === 'hamerly' ? assignFromSeeds(data, n, p, centers, k, s, seeds) : assign(data, n, p, centers, k, s);
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
  const rowNorms = rowSquaredNorms(X.data, X.rows, X.cols);
  const sparse = options.skipZeros ?? mostlyZero(X.data) ? sparseRows(X.data, X.rows, X.cols) : undefined;
  const state = createAssignState(rowNorms, sparse, X.cols, k, algorithm === 'hamerly'), seeds = createSeedNeighbours(X.rows);
  let best: Run | undefined;
  let done = 0;
  for (let r = 0; r < nInit; r++) {
    const runRng = rng.fork();
    throwIfAborted(ctx.signal);
    const run = lloyd(X, kmeansPlusPlus(X, k, rowNorms, sparse, runRng, seeds), seeds, state, { maxIter, tol, algorithm }, ctx, () => ctx.progress?.({ done: ++done, total: nInit * maxIter, message: `start ${r + 1} of ${nInit}` }));
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
