import { sparseExpandedAll, sparseMoveRow, type SparseRows } from './kmeans-sparse';

/**
 * Shared parts of the k-means assignment steps (plain Lloyd here, Hamerly in kmeans-hamerly.ts)
 * over row-major data. Every step chooses, for each row it examines, the center with the smallest
 * expanded-form distance ‖c‖² − 2x·c (first one on ties), so the steps give bit-identical labels;
 * bounds only decide which rows need examining. All keep the cluster sums incrementally in the
 * same way, so whole fits are bit-identical too.
 */

/** Squared Euclidean distance between a[ao … ao+p) and b[bo … bo+p). */
export function sqDist(a: Float64Array, ao: number, b: Float64Array, bo: number, p: number): number {
  let d = 0;
  for (let j = 0; j < p; j++) { const t = a[ao + j]! - b[bo + j]!; d += t * t; }
  return d;
}

/**
 * Euclidean distance (not squared) for the bounds only, never for a label or the inertia: four
 * partial sums break the add-latency chain, and the ~1e-15 relative difference from `sqDist` is
 * far inside the bounds' margin.
 */
export function boundDist(a: Float64Array, ao: number, b: Float64Array, bo: number, p: number): number {
  let d0 = 0, d1 = 0, d2 = 0, d3 = 0, j = 0;
  for (; j + 3 < p; j += 4) {
    const t0 = a[ao + j]! - b[bo + j]!, t1 = a[ao + j + 1]! - b[bo + j + 1]!;
    const t2 = a[ao + j + 2]! - b[bo + j + 2]!, t3 = a[ao + j + 3]! - b[bo + j + 3]!;
    d0 += t0 * t0; d1 += t1 * t1; d2 += t2 * t2; d3 += t3 * t3;
  }
  for (; j < p; j++) { const t = a[ao + j]! - b[bo + j]!; d0 += t * t; }
  return Math.sqrt((d0 + d1) + (d2 + d3));
}

/** Per-fit buffers of the assignment steps (n rows, k centers), reused by every start. */
export interface AssignState {
  labels: Int32Array;
  /** ‖c‖² of each center, refreshed by every assignment step. */
  norms: Float64Array;
  /** The centers transposed (p×k): one row's dot products with all centers read contiguously. */
  centersT: Float64Array;
  /** ‖x‖² of each row (fixed over the fit). */
  rowNorms: Float64Array;
  /** The rows' non-zero entries when the data is mostly zeros: dot products and sums skip zeros. */
  sparse: SparseRows | undefined;
  /**
   * Hamerly: upper bound on the distance (not squared) from each row to its own center a,
   * stored minus grow[a] (so bounds widen without touching rows).
   */
  upper: Float64Array;
  /** Hamerly: lower bound on the distance from each row to every other center, plus shrink[a]. */
  lower: Float64Array;
  /** Hamerly: the runner-up center of each row at its last scan. */
  runnerUp: Int32Array;
  /** Hamerly: lower bound on the distance to the runner-up, plus grow[runner-up]. */
  lower2: Float64Array;
  /** Hamerly: lower bound on the distance to every center but own and runner-up, plus shrink[a]. */
  lower3: Float64Array;
  /** Hamerly: lower − upper − rowMargin as stored: the one number the common case reads. */
  slack: Float64Array;
  /** Hamerly: √(1e-9·‖x‖²) per row, part of the rounding margin of the bound tests. */
  rowMargin: Float64Array;
  /** Hamerly: per center, total own movement since the start (widens its rows' upper bounds). */
  grow: Float64Array;
  /** Hamerly: per center, total of the largest movement of any other center, step by step. */
  shrink: Float64Array;
  /**
   * Hamerly: whether the step tightens a row's upper bound before scanning it. Not in the step
   * right after the seeding one: the first update moves every center far, and nearly every row
   * would be scanned anyway.
   */
  tighten: boolean;
  /** Half the distance from each center to its nearest other center. */
  half: Float64Array;
  /** How far each center moved in the last update (not squared); set by the update step. */
  moved: Float64Array;
  /**
   * Per-cluster sums of the rows (k×p) and row counts under the current labels, kept
   * incrementally: a row that changes cluster is subtracted from its old sum and added to the new
   * one, in row order, so rows that stay cost nothing. Every step does this identically.
   */
  sums: Float64Array;
  counts: Float64Array;
  /** Scratch: one expanded-form value per center. */
  dots: Float64Array;
}

/** ‖x‖² of every row, once per fit (shared by all starts). */
export function rowSquaredNorms(data: Float64Array, n: number, p: number): Float64Array {
  const rowNorms = new Float64Array(n);
  for (let i = 0, o = 0; i < n; i++, o += p) {
    let s = 0;
    for (let j = 0; j < p; j++) s += data[o + j]! * data[o + j]!;
    rowNorms[i] = s;
  }
  return rowNorms;
}

/** Allocates the buffers (`bounds`: whether Hamerly's are needed); no row assigned yet. */
export function createAssignState(rowNorms: Float64Array, sparse: SparseRows | undefined, p: number, k: number, bounds: boolean): AssignState {
  const n = rowNorms.length, b = bounds ? n : 0;
  const rowMargin = new Float64Array(b);
  for (let i = 0; i < b; i++) rowMargin[i] = Math.sqrt(1e-9 * rowNorms[i]!);
  const s: AssignState = {
    labels: new Int32Array(n), norms: new Float64Array(k), centersT: new Float64Array(k * p), rowNorms, sparse,
    upper: new Float64Array(b), lower: new Float64Array(b), slack: new Float64Array(b), rowMargin,
    runnerUp: new Int32Array(b), lower2: new Float64Array(b), lower3: new Float64Array(b),
    grow: new Float64Array(k), shrink: new Float64Array(k), half: new Float64Array(k), moved: new Float64Array(k),
    sums: new Float64Array(k * p), counts: new Float64Array(k), dots: new Float64Array(k), tighten: true,
  };
  resetAssignState(s);
  return s;
}

/** Starts over: no row assigned (labels −1), empty sums, no movement. */
export function resetAssignState(s: AssignState): void {
  s.labels.fill(-1);
  s.sums.fill(0);
  s.counts.fill(0);
  s.grow.fill(0);
  s.shrink.fill(0);
  s.tighten = true;
  s.moved.fill(0);
}

/** Makes the next assignment step examine row i afresh (its bounds say nothing). */
export function forgetBounds(s: AssignState, i: number): void {
  if (s.upper.length === 0) return;
  s.upper[i] = Infinity;
  s.lower[i] = -Infinity;
  s.lower2[i] = -Infinity;
  s.lower3[i] = -Infinity;
  s.slack[i] = -Infinity;
}

/**
 * Moves row o from cluster `from` (−1: none) to `to` in the sums, column by column, so every
 * step that reassigns the same rows in the same order produces the same bits.
 */
/** Moves row i from cluster `from` (−1: none yet) to `to`: its sums, the counts and its label. */
export function relabel(data: Float64Array, o: number, i: number, s: AssignState, from: number, to: number, p: number): void {
  moveRow(data, o, i, s, from, to, p);
  if (from >= 0) s.counts[from]!--;
  s.counts[to]!++;
  s.labels[i] = to;
}

export function moveRow(data: Float64Array, o: number, i: number, s: AssignState, from: number, to: number, p: number): void {
  const sums = s.sums;
  if (s.sparse) { sparseMoveRow(s.sparse, i, sums, from, to, p); return; }
  if (from >= 0) {
    const f = from * p;
    for (let j = 0; j < p; j++) sums[f + j] = sums[f + j]! - data[o + j]!;
  }
  const t = to * p;
  for (let j = 0; j < p; j++) sums[t + j] = sums[t + j]! + data[o + j]!;
}

/** Norms and transposed copy of the centers; returns the largest ‖c‖². */
export function prepareCenters(centers: Float64Array, k: number, p: number, s: AssignState): number {
  const { norms, centersT } = s;
  let max = 0;
  for (let c = 0; c < k; c++) {
    let sq = 0;
    for (let j = 0; j < p; j++) {
      const v = centers[c * p + j]!;
      sq += v * v;
      centersT[j * k + c] = v;
    }
    norms[c] = sq;
    if (sq > max) max = sq;
  }
  return max;
}

/**
 * dots[c] = ‖c‖² − 2x·c for row o and every center. Eight (then four) centers at a time over
 * the transposed centers: independent dot chains keep the FPU busy (one chain is bound by add
 * latency), and each dot still sums its columns in order.
 */
function expandedAll(data: Float64Array, o: number, ct: Float64Array, norms: Float64Array, k: number, p: number, dots: Float64Array): void {
  let c = 0;
  for (; c + 7 < k; c += 8) {
    let d0 = 0, d1 = 0, d2 = 0, d3 = 0, d4 = 0, d5 = 0, d6 = 0, d7 = 0;
    for (let j = 0, q = c; j < p; j++, q += k) {
      const x = data[o + j]!;
      d0 += x * ct[q]!; d1 += x * ct[q + 1]!; d2 += x * ct[q + 2]!; d3 += x * ct[q + 3]!;
      d4 += x * ct[q + 4]!; d5 += x * ct[q + 5]!; d6 += x * ct[q + 6]!; d7 += x * ct[q + 7]!;
    }
    dots[c] = norms[c]! - 2 * d0; dots[c + 1] = norms[c + 1]! - 2 * d1; dots[c + 2] = norms[c + 2]! - 2 * d2; dots[c + 3] = norms[c + 3]! - 2 * d3;
    dots[c + 4] = norms[c + 4]! - 2 * d4; dots[c + 5] = norms[c + 5]! - 2 * d5; dots[c + 6] = norms[c + 6]! - 2 * d6; dots[c + 7] = norms[c + 7]! - 2 * d7;
  }
  for (; c + 3 < k; c += 4) {
    let d0 = 0, d1 = 0, d2 = 0, d3 = 0;
    for (let j = 0, q = c; j < p; j++, q += k) {
      const x = data[o + j]!;
      d0 += x * ct[q]!; d1 += x * ct[q + 1]!; d2 += x * ct[q + 2]!; d3 += x * ct[q + 3]!;
    }
    dots[c] = norms[c]! - 2 * d0; dots[c + 1] = norms[c + 1]! - 2 * d1; dots[c + 2] = norms[c + 2]! - 2 * d2; dots[c + 3] = norms[c + 3]! - 2 * d3;
  }
  for (; c < k; c++) {
    let d = 0;
    for (let j = 0, q = c; j < p; j++, q += k) d += data[o + j]! * ct[q]!;
    dots[c] = norms[c]! - 2 * d;
  }
}

/**
 * Scans every center for row `o`: returns the best center (first one on ties) and writes the
 * expanded-form values of the best, the runner-up and the third into `out[0…2]` and the
 * runner-up's index into `out[3]`.
 */
export function scan(data: Float64Array, o: number, i: number, s: AssignState, k: number, p: number, out: Float64Array): number {
  const dots = s.dots;
  if (s.sparse) sparseExpandedAll(s.sparse, i, s.centersT, s.norms, k, dots);
  else expandedAll(data, o, s.centersT, s.norms, k, p, dots);
  let bestC = 0, secondC = 0, bestD = Infinity, second = Infinity, third = Infinity;
  for (let c = 0; c < k; c++) {
    const d = dots[c]!;
    if (d < bestD) { third = second; second = bestD; secondC = bestC; bestD = d; bestC = c; } else if (d < second) { third = second; second = d; secondC = c; } else if (d < third) third = d;
  }
  out[0] = bestD;
  out[1] = second;
  out[2] = third;
  out[3] = secondC;
  return bestC;
}

/** Plain Lloyd step: every row scans every center. Returns how many labels changed. */
export function assignLloyd(data: Float64Array, n: number, p: number, centers: Float64Array, k: number, s: AssignState): number {
  prepareCenters(centers, k, p, s);
  const { labels } = s, out = new Float64Array(4);
  let changed = 0;
  for (let i = 0, o = 0; i < n; i++, o += p) {
    const c = scan(data, o, i, s, k, p, out), a = labels[i]!;
    if (a === c) continue;
    relabel(data, o, i, s, a, c, p);
    changed++;
  }
  return changed;
}
