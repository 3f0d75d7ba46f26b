/**
 * Assignment steps of k-means over row-major data. Both steps choose, for every row they examine,
 * the center with the smallest expanded-form distance ‖c‖² − 2x·c (first one on ties), so they
 * give bit-identical labels; Hamerly's bounds only decide which rows need examining.
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
function boundDist(a: Float64Array, ao: number, b: Float64Array, bo: number, p: number): number {
  let d0 = 0, d1 = 0, d2 = 0, d3 = 0, j = 0;
  for (; j + 3 < p; j += 4) {
    const t0 = a[ao + j]! - b[bo + j]!, t1 = a[ao + j + 1]! - b[bo + j + 1]!;
    const t2 = a[ao + j + 2]! - b[bo + j + 2]!, t3 = a[ao + j + 3]! - b[bo + j + 3]!;
    d0 += t0 * t0; d1 += t1 * t1; d2 += t2 * t2; d3 += t3 * t3;
  }
  for (; j < p; j++) { const t = a[ao + j]! - b[bo + j]!; d0 += t * t; }
  return Math.sqrt((d0 + d1) + (d2 + d3));
}

/** Per-fit buffers of the assignment steps (n rows, k centers). */
export interface AssignState {
  labels: Int32Array;
  /** ‖c‖² of each center, refreshed by every assignment step. */
  norms: Float64Array;
  /** ‖x‖² of each row (fixed over the fit). */
  rowNorms: Float64Array;
  /** Hamerly: upper bound on the distance (not squared) from each row to its own center. */
  upper: Float64Array;
  /** Hamerly: lower bound on the distance from each row to every other center. */
  lower: Float64Array;
  /** Half the distance from each center to its nearest other center. */
  half: Float64Array;
  /** How far each center moved in the last update (not squared). */
  moved: Float64Array;
  /**
   * Per-cluster sums of the rows (k×p) and row counts under the labels of the last assignment
   * step: each step adds every row to its new cluster as it goes, so the data is streamed once
   * per iteration, not once to assign and once more to average. Rows in order, as a separate pass would.
   */
  sums: Float64Array;
  counts: Float64Array;
}

/** Allocates the buffers; labels start at −1 (no row assigned yet). */
export function createAssignState(data: Float64Array, n: number, p: number, k: number): AssignState {
  const rowNorms = new Float64Array(n);
  for (let i = 0, o = 0; i < n; i++, o += p) {
    let s = 0;
    for (let j = 0; j < p; j++) s += data[o + j]! * data[o + j]!;
    rowNorms[i] = s;
  }
  return {
    labels: new Int32Array(n).fill(-1), norms: new Float64Array(k), rowNorms,
    upper: new Float64Array(n), lower: new Float64Array(n), half: new Float64Array(k), moved: new Float64Array(k),
    sums: new Float64Array(k * p), counts: new Float64Array(k),
  };
}

function centerNorms(centers: Float64Array, k: number, p: number, norms: Float64Array): number {
  let max = 0;
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < p; j++) s += centers[c * p + j]! * centers[c * p + j]!;
    norms[c] = s;
    if (s > max) max = s;
  }
  return max;
}

/**
 * Scans every center for row `o`: returns the best center and writes its expanded-form value and
 * the runner-up's into `out[0]`, `out[1]`. Four centers at a time: four independent dot-product
 * chains keep the FPU busy (one chain is bound by add latency); each dot keeps its own order.
 */
function scan(data: Float64Array, o: number, centers: Float64Array, norms: Float64Array, k: number, p: number, out: Float64Array): number {
  let bestC = 0, bestD = Infinity, second = Infinity;
  let c = 0;
  for (; c + 3 < k; c += 4) {
    const c0 = c * p, c1 = c0 + p, c2 = c1 + p, c3 = c2 + p;
    let d0 = 0, d1 = 0, d2 = 0, d3 = 0;
    for (let j = 0; j < p; j++) {
      const x = data[o + j]!;
      d0 += x * centers[c0 + j]!;
      d1 += x * centers[c1 + j]!;
      d2 += x * centers[c2 + j]!;
      d3 += x * centers[c3 + j]!;
    }
    const e0 = norms[c]! - 2 * d0, e1 = norms[c + 1]! - 2 * d1, e2 = norms[c + 2]! - 2 * d2, e3 = norms[c + 3]! - 2 * d3;
    if (e0 < bestD) { second = bestD; bestD = e0; bestC = c; } else if (e0 < second) second = e0;
    if (e1 < bestD) { second = bestD; bestD = e1; bestC = c + 1; } else if (e1 < second) second = e1;
    if (e2 < bestD) { second = bestD; bestD = e2; bestC = c + 2; } else if (e2 < second) second = e2;
    if (e3 < bestD) { second = bestD; bestD = e3; bestC = c + 3; } else if (e3 < second) second = e3;
  }
  for (let co = c * p; c < k; c++, co += p) {
    let dot = 0;
    for (let j = 0; j < p; j++) dot += data[o + j]! * centers[co + j]!;
    const d = norms[c]! - 2 * dot;
    if (d < bestD) { second = bestD; bestD = d; bestC = c; } else if (d < second) second = d;
  }
  out[0] = bestD;
  out[1] = second;
  return bestC;
}

/** sums[co … co+p) += data[o … o+p), four columns per step; each column sums its rows in order. */
function addRow(data: Float64Array, o: number, sums: Float64Array, co: number, p: number): void {
  let j = 0;
  for (; j + 3 < p; j += 4) {
    const a = co + j, b = o + j;
    sums[a] = sums[a]! + data[b]!;
    sums[a + 1] = sums[a + 1]! + data[b + 1]!;
    sums[a + 2] = sums[a + 2]! + data[b + 2]!;
    sums[a + 3] = sums[a + 3]! + data[b + 3]!;
  }
  for (; j < p; j++) sums[co + j] = sums[co + j]! + data[o + j]!;
}

/** Plain Lloyd step: every row scans every center. Returns how many labels changed. */
export function assignLloyd(data: Float64Array, n: number, p: number, centers: Float64Array, k: number, s: AssignState): number {
  centerNorms(centers, k, p, s.norms);
  const { labels, norms, sums, counts } = s, out = new Float64Array(2);
  sums.fill(0);
  counts.fill(0);
  let changed = 0;
  for (let i = 0, o = 0; i < n; i++, o += p) {
    const c = scan(data, o, centers, norms, k, p, out);
    if (labels[i] !== c) { labels[i] = c; changed++; }
    counts[c]!++;
    addRow(data, o, sums, c * p, p);
  }
  return changed;
}

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
 * Hamerly's step (Hamerly 2010): a row keeps its center without a scan when the upper bound on
 * its own distance is below both the lower bound on any other distance and half the gap to the
 * nearest other center. The test keeps a relative margin of 1e-9·(‖x‖² + max‖c‖²) in squared
 * distance, far above the rounding of the expanded form and the bounds, so a skipped row is one
 * whose scan could not have picked another center: labels equal `assignLloyd`'s exactly.
 * Call `moveBounds` after each center update. Returns how many labels changed.
 */
export function assignHamerly(data: Float64Array, n: number, p: number, centers: Float64Array, k: number, s: AssignState): number {
  const maxNorm = centerNorms(centers, k, p, s.norms);
  halfGaps(centers, k, p, s.half);
  const { labels, norms, rowNorms, upper, lower, half, sums, counts } = s, out = new Float64Array(2);
  sums.fill(0);
  counts.fill(0);
  let changed = 0;
  for (let i = 0, o = 0; i < n; i++, o += p) {
    const a = labels[i]!;
    let keep = false;
    if (a >= 0) {
      const bound = Math.max(half[a]!, lower[i]!);
      const b2 = bound * bound - 1e-9 * (rowNorms[i]! + maxNorm);
      let u = upper[i]!;
      if (!(u * u < b2)) {
        u = boundDist(data, o, centers, a * p, p);
        upper[i] = u;
      }
      keep = u * u < b2;
    }
    let c = a;
    if (!keep) {
      c = scan(data, o, centers, norms, k, p, out);
      upper[i] = Math.sqrt(Math.max(0, out[0]! + rowNorms[i]!));
      lower[i] = Math.sqrt(Math.max(0, out[1]! + rowNorms[i]!));
      if (a !== c) { labels[i] = c; changed++; }
    }
    counts[c]!++;
    addRow(data, o, sums, c * p, p);
  }
  return changed;
}

/** Widens the bounds by how far the centers moved (`s.moved`, filled by the update step). */
export function moveBounds(n: number, k: number, s: AssignState): void {
  const { labels, upper, lower, moved } = s;
  let first = 0, second = 0, firstC = -1;
  for (let c = 0; c < k; c++) {
    const m = moved[c]!;
    if (m > first) { second = first; first = m; firstC = c; } else if (m > second) second = m;
  }
  for (let i = 0; i < n; i++) {
    const a = labels[i]!;
    upper[i] = upper[i]! + moved[a]!;
    lower[i] = lower[i]! - (a === firstC ? second : first);
  }
}
