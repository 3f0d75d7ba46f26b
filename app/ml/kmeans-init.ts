/**
 * Greedy k-means++ seeding (as sklearn's `kmeans_plusplus`): each new center is the best (lowest
 * potential) of 2 + ⌊ln k⌋ candidate rows drawn with probability ∝ squared distance to the
 * nearest center chosen so far.
 */
import type { Rng } from '../base/rng';
import { sparseDot, sparseScoreCandidates, type SparseRows } from './kmeans-sparse';
import type { Matrix } from './types';

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
 * For candidate t and row i: candidate[t·n + i] = ‖x_i − c_t‖² and min(closest[i], that) is
 * summed into pot[t]. Distances in the expanded form ‖x‖² + ‖c‖² − 2x·c (clipped at 0, as sklearn computes
 * them) from `rowNorms` and `candNorms`: a multiply-add per column instead of subtract, multiply,
 * add. The candidates are transposed (candT[j·trials + t]); four dot chains run side by side.
 */
function scoreCandidates(data: Float64Array, n: number, p: number, rowNorms: Float64Array, candT: Float64Array, candNorms: Float64Array, closest: Float64Array, candidate: Float64Array, pot: Float64Array): void {
  const trials = candNorms.length;
  pot.fill(0);
  let t = 0;
  for (; t + 3 < trials; t += 4) {
    const q0 = t * n, q1 = q0 + n, q2 = q1 + n, q3 = q2 + n;
    const n0 = candNorms[t]!, n1 = candNorms[t + 1]!, n2 = candNorms[t + 2]!, n3 = candNorms[t + 3]!;
    let p0 = 0, p1 = 0, p2 = 0, p3 = 0;
    let i = 0;
    // Two rows at a time share each candidate load: eight independent chains.
    for (let o = 0; i + 1 < n; i += 2, o += 2 * p) {
      let d0 = 0, d1 = 0, d2 = 0, d3 = 0, f0 = 0, f1 = 0, f2 = 0, f3 = 0;
      for (let j = 0, q = t; j < p; j++, q += trials) {
        const x = data[o + j]!, y = data[o + p + j]!;
        const c0 = candT[q]!, c1 = candT[q + 1]!, c2 = candT[q + 2]!, c3 = candT[q + 3]!;
        d0 += x * c0; d1 += x * c1; d2 += x * c2; d3 += x * c3;
        f0 += y * c0; f1 += y * c1; f2 += y * c2; f3 += y * c3;
      }
      const own = closest[i]!, rn = rowNorms[i]!;
      const re0 = Math.max(0, rn + n0 - 2 * d0), re1 = Math.max(0, rn + n1 - 2 * d1);
      const e0 = Math.min(own, re0), e1 = Math.min(own, re1);
      const re2 = Math.max(0, rn + n2 - 2 * d2), re3 = Math.max(0, rn + n3 - 2 * d3);
      const e2 = Math.min(own, re2), e3 = Math.min(own, re3);
      candidate[q0 + i] = re0; candidate[q1 + i] = re1; candidate[q2 + i] = re2; candidate[q3 + i] = re3;
      const own2 = closest[i + 1]!, rn2 = rowNorms[i + 1]!;
      const rg0 = Math.max(0, rn2 + n0 - 2 * f0), rg1 = Math.max(0, rn2 + n1 - 2 * f1);
      const g0 = Math.min(own2, rg0), g1 = Math.min(own2, rg1);
      const rg2 = Math.max(0, rn2 + n2 - 2 * f2), rg3 = Math.max(0, rn2 + n3 - 2 * f3);
      const g2 = Math.min(own2, rg2), g3 = Math.min(own2, rg3);
      candidate[q0 + i + 1] = rg0; candidate[q1 + i + 1] = rg1; candidate[q2 + i + 1] = rg2; candidate[q3 + i + 1] = rg3;
      p0 += e0 + g0; p1 += e1 + g1; p2 += e2 + g2; p3 += e3 + g3;
    }
    for (let o = i * p; i < n; i++, o += p) {
      let d0 = 0, d1 = 0, d2 = 0, d3 = 0;
      for (let j = 0, q = t; j < p; j++, q += trials) {
        const x = data[o + j]!;
        d0 += x * candT[q]!; d1 += x * candT[q + 1]!; d2 += x * candT[q + 2]!; d3 += x * candT[q + 3]!;
      }
      const own = closest[i]!, rn = rowNorms[i]!;
      const re0 = Math.max(0, rn + n0 - 2 * d0), re1 = Math.max(0, rn + n1 - 2 * d1);
      const e0 = Math.min(own, re0), e1 = Math.min(own, re1);
      const re2 = Math.max(0, rn + n2 - 2 * d2), re3 = Math.max(0, rn + n3 - 2 * d3);
      const e2 = Math.min(own, re2), e3 = Math.min(own, re3);
      candidate[q0 + i] = re0; candidate[q1 + i] = re1; candidate[q2 + i] = re2; candidate[q3 + i] = re3;
      p0 += e0; p1 += e1; p2 += e2; p3 += e3;
    }
    pot[t] = p0; pot[t + 1] = p1; pot[t + 2] = p2; pot[t + 3] = p3;
  }
  for (; t < trials; t++) {
    const nt = candNorms[t]!, qt = t * n;
    let acc = 0;
    for (let i = 0, o = 0; i < n; i++, o += p) {
      let dot = 0;
      for (let j = 0, q = t; j < p; j++, q += trials) dot += data[o + j]! * candT[q]!;
      const raw = Math.max(0, rowNorms[i]! + nt - 2 * dot);
      candidate[qt + i] = raw;
      acc += Math.min(closest[i]!, raw);
    }
    pot[t] = acc;
  }
}

/**
 * Per row after seeding: the nearest and second-nearest seeds and their squared distances (the
 * expanded form above). They give the first assignment step its bounds without a scan.
 * `valid` is false when a seed could not be scored (then the step must scan every row).
 */
export interface SeedNeighbours {
  near: Int32Array;
  near2: Int32Array;
  closest: Float64Array;
  closest2: Float64Array;
  valid: boolean;
}

/** Buffers for n rows, reused by every start. */
export function createSeedNeighbours(n: number): SeedNeighbours {
  return { near: new Int32Array(n), near2: new Int32Array(n), closest: new Float64Array(n), closest2: new Float64Array(n), valid: true };
}

/** Takes seed c, at squared distances cand[off + i], into each row's two nearest seeds. */
function addSeed(nb: SeedNeighbours, c: number, cand: Float64Array, off: number): void {
  const { near, near2, closest, closest2 } = nb;
  for (let i = 0; i < closest.length; i++) {
    const d = cand[off + i]!;
    if (d < closest[i]!) {
      closest2[i] = closest[i]!; near2[i] = near[i]!;
      closest[i] = d; near[i] = c;
    } else if (d < closest2[i]!) {
      closest2[i] = d; near2[i] = c;
    }
  }
}

/**
 * k centers (k×p, row-major) chosen by greedy k-means++ from the rows of X; `rowNorms` holds
 * ‖x‖² of each row, `sparse` the non-zero entries when X is mostly zeros (same result, faster).
 * Fills `nb` with each row's two nearest seeds. Deterministic for a given `rng` state.
 */
export function kmeansPlusPlus(X: Matrix, k: number, rowNorms: Float64Array, sparse: SparseRows | undefined, rng: Rng, nb: SeedNeighbours): Float64Array {
  const { rows: n, cols: p, data } = X;
  const centers = new Float64Array(k * p);
  const trials = 2 + Math.floor(Math.log(k));
  const first = rng.int(n);
  centers.set(data.subarray(first * p, first * p + p), 0);
  const { closest } = nb, cum = new Float64Array(n);
  // All candidates are scored in one pass over the rows: each row is read once, not once per trial.
  const candidate = new Float64Array(trials * n), ids = new Int32Array(trials), pot = new Float64Array(trials);
  const candT = new Float64Array(p * trials), candNorms = new Float64Array(trials);
  let firstNorm = 0;
  for (let j = 0; j < p; j++) firstNorm += centers[j]! * centers[j]!;
  for (let i = 0, o = 0; i < n; i++, o += p) {
    let dot = 0;
    if (sparse) dot = sparseDot(sparse, i, centers, 0);
    else for (let j = 0; j < p; j++) dot += data[o + j]! * centers[j]!;
    closest[i] = Math.max(0, rowNorms[i]! + firstNorm - 2 * dot);
  }
  nb.near.fill(0);
  nb.near2.fill(0);
  nb.closest2.fill(Infinity);
  nb.valid = true;
  for (let c = 1; c < k; c++) {
    let acc = 0;
    for (let i = 0; i < n; i++) { acc += closest[i]!; cum[i] = acc; }
    for (let t = 0; t < trials; t++) {
      const id = searchCumulative(cum, rng.next() * acc);
      ids[t] = id;
      candNorms[t] = rowNorms[id]!;
      for (let j = 0; j < p; j++) candT[j * trials + t] = data[id * p + j]!;
    }
    if (sparse) sparseScoreCandidates(sparse, rowNorms, candT, candNorms, closest, candidate, pot);
    else scoreCandidates(data, n, p, rowNorms, candT, candNorms, closest, candidate, pot);
    let bestPot = Infinity, bestT = -1;
    for (let t = 0; t < trials; t++) if (pot[t]! < bestPot) { bestPot = pot[t]!; bestT = t; }
    const bestId = bestT < 0 ? 0 : ids[bestT]!;
    centers.set(data.subarray(bestId * p, bestId * p + p), c * p);
    if (bestT >= 0) addSeed(nb, c, candidate, bestT * n);
    else nb.valid = false;
  }
  return centers;
}
