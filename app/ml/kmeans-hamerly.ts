/**
 * Hamerly's assignment step (Hamerly 2010) for k-means: a row keeps its center without a scan
 * when the upper bound on its own distance is below both the lower bound on any other distance
 * and half the gap to the nearest other center. Labels equal `assignLloyd`'s exactly.
 */
import { boundDist, moveRow, prepareCenters, relabel, scan, type AssignState } from './kmeans-assign';
import type { SeedNeighbours } from './kmeans-init';
import { sparseDot } from './kmeans-sparse';

/** half[a] = half the distance from center a to its nearest other center. */
function halfGaps(centers: Float64Array, k: number, p: number, half: Float64Array): void {
  half.fill(Infinity);
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      const d = 0.5 * boundDist(centers, a * p, centers, b * p, p);
      if (d < half[a]!) half[a] = d;
      if (d < half[b]!) half[b] = d;
    }
  }
}

/**
 * Adds the last update's moves (`s.moved`) to the per-center totals: a row's upper bound grows by
 * its own center's move, its lower bound shrinks by the largest move of any other center.
 */
function accumulateMoves(s: AssignState, k: number): void {
  const { moved, grow, shrink } = s;
  let first = 0, second = 0, firstC = -1;
  for (let c = 0; c < k; c++) {
    const m = moved[c]!;
    if (m > first) { second = first; first = m; firstC = c; } else if (m > second) second = m;
  }
  for (let c = 0; c < k; c++) {
    grow[c] = grow[c]! + moved[c]!;
    shrink[c] = shrink[c]! + (c === firstC ? second : first);
  }
  moved.fill(0);
}

/**
 * Distance from row i to center a for the bounds: direct for dense rows; for sparse rows from
 * the expanded form ‖x‖² + ‖c‖² − 2x·c over the non-zeros (its rounding, ~1e-16·(‖x‖² + ‖c‖²),
 * is far inside the bounds' margin).
 */
function ownDistance(data: Float64Array, o: number, i: number, a: number, centers: Float64Array, p: number, s: AssignState): number {
  if (!s.sparse) return boundDist(data, o, centers, a * p, p);
  return Math.sqrt(Math.max(0, s.rowNorms[i]! + s.norms[a]! - 2 * sparseDot(s.sparse, i, centers, a * p)));
}

/** Bounds of row i after a scan that chose center c (values and index as `scan` writes them). */
function setBounds(i: number, c: number, out: Float64Array, s: AssignState): void {
  const { rowNorms, upper, lower, slack, rowMargin, runnerUp, lower2, lower3, grow, shrink } = s, rn = rowNorms[i]!;
  const second = Math.sqrt(Math.max(0, out[1]! + rn)), b = out[3]!;
  upper[i] = Math.sqrt(Math.max(0, out[0]! + rn)) - grow[c]!;
  lower[i] = second + shrink[c]!;
  runnerUp[i] = b;
  lower2[i] = second + grow[b]!;
  lower3[i] = Math.sqrt(Math.max(0, out[2]! + rn)) + shrink[c]!;
  slack[i] = lower[i]! - upper[i]! - rowMargin[i]!;
}

/**
 * The first assignment step of a start, from the seeding's two nearest seeds per row (`nb`): a
 * row whose nearest seed is provably nearer (by the margin of `assignHamerly`) than the second
 * and than half the gap to any other center takes it without a scan; the rest are scanned. Every
 * row is then added to its cluster's sum in row order, as `assignLloyd`'s first step does, so
 * labels and sums are the same bits. Returns n (every row got a label).
 */
export function assignFromSeeds(data: Float64Array, n: number, p: number, centers: Float64Array, k: number, s: AssignState, nb: SeedNeighbours): number {
  const maxNorm = prepareCenters(centers, k, p, s);
  halfGaps(centers, k, p, s.half);
  accumulateMoves(s, k);
  const { labels, rowNorms, rowMargin, upper, lower, slack, runnerUp, lower2, lower3, half, counts } = s, out = new Float64Array(4);
  const { near, near2, closest, closest2, valid } = nb;
  for (let i = 0, o = 0; i < n; i++, o += p) {
    const a = near[i]!, margin = 1e-9 * (rowNorms[i]! + maxNorm);
    const u = Math.sqrt(closest[i]!), l = Math.sqrt(closest2[i]!), h = half[a]!, bound = h > l ? h : l;
    let c = a;
    if (valid && u * u < bound * bound - margin) {
      upper[i] = u;
      lower[i] = l;
      runnerUp[i] = near2[i]!;
      lower2[i] = l;
      lower3[i] = l;
      slack[i] = l - u - rowMargin[i]!;
    } else {
      c = scan(data, o, i, s, k, p, out);
      setBounds(i, c, out, s);
    }
    moveRow(data, o, i, s, -1, c, p);
    counts[c]!++;
    labels[i] = c;
  }
  s.tighten = false;
  return n;
}

/**
 * One Hamerly step; call after each center update (which sets `s.moved`). Every bound test keeps
 * a margin of 1e-9·(‖x‖² + max‖c‖²) in squared distance, far above the rounding of the expanded
 * form and the bounds, so a skipped row is one whose scan could not have picked another center.
 * The common case reads two numbers per row: its label and `slack`; l − u > √(1e-9‖x‖²) +
 * √(1e-9·max‖c‖²) implies u² < l² − margin. Returns how many labels changed.
 */
export function assignHamerly(data: Float64Array, n: number, p: number, centers: Float64Array, k: number, s: AssignState): number {
  const maxNorm = prepareCenters(centers, k, p, s);
  halfGaps(centers, k, p, s.half);
  accumulateMoves(s, k);
  const { labels, rowNorms, rowMargin, upper, lower, slack, runnerUp, lower2, lower3, grow, shrink, half } = s, out = new Float64Array(4);
  const centerMargin = Math.sqrt(1e-9 * maxNorm), need = new Float64Array(k);
  for (let c = 0; c < k; c++) need[c] = grow[c]! + shrink[c]! + centerMargin;
  const tighten = s.tighten;
  let changed = 0;
  for (let i = 0, o = 0; i < n; i++, o += p) {
    const a = labels[i]!;
    if (a >= 0) {
      if (slack[i]! > need[a]!) continue;
      const margin = 1e-9 * (rowNorms[i]! + maxNorm), h = half[a]!;
      let u = upper[i]! + grow[a]!;
      if (u * u < h * h - margin) continue;
      // The runner-up's own bound shrinks only by its own moves: usually a tighter lower bound.
      const l2 = lower2[i]! - grow[runnerUp[i]!]!, l3 = lower3[i]! - shrink[a]!;
      const l = l2 < l3 ? l2 : l3, bound = h > l ? h : l;
      if (u * u < bound * bound - margin) continue;
      if (tighten) {
        u = ownDistance(data, o, i, a, centers, p, s);
        upper[i] = u - grow[a]!;
        slack[i] = lower[i]! - upper[i]! - rowMargin[i]!;
        if (u * u < bound * bound - margin) continue;
      }
      if (tighten && l2 < l3) {
        // The runner-up is the binding bound: one distance to it may spare the full scan.
        const b = runnerUp[i]!, db = ownDistance(data, o, i, b, centers, p, s);
        lower2[i] = db + grow[b]!;
        const lb = db < l3 ? db : l3, bound2 = h > lb ? h : lb;
        if (u * u < bound2 * bound2 - margin) {
          lower[i] = lb + shrink[a]!;
          slack[i] = lower[i]! - upper[i]! - rowMargin[i]!;
          continue;
        }
      }
    }
    const c = scan(data, o, i, s, k, p, out);
    setBounds(i, c, out, s);
    if (a === c) continue;
    relabel(data, o, i, s, a, c, p);
    changed++;
  }
  s.tighten = true;
  return changed;
}
