/**
 * Mostly-zero data (one-hot columns) for k-means: each row's non-zero entries only. Skipping a
 * zero term leaves a running sum bit for bit unchanged (x + ±0 = x, and a sum that starts at +0
 * never becomes −0), so every dot product and cluster sum here equals the dense one exactly.
 */

/**
 * Whether skipping zeros pays: at most a third of the entries non-zero (a sparse term costs an
 * index load more than a dense one).
 */
export function mostlyZero(data: Float64Array): boolean {
  let nnz = 0;
  for (let q = 0; q < data.length; q++) if (data[q] !== 0) nnz++;
  return nnz * 3 <= data.length;
}

/** Non-zero entries of row i: cols/values[start[i] … start[i+1]), columns ascending. */
export interface SparseRows {
  start: Int32Array;
  cols: Int32Array;
  values: Float64Array;
}

/** The rows as their non-zero entries. */
export function sparseRows(data: Float64Array, n: number, p: number): SparseRows {
  let nnz = 0;
  for (let q = 0; q < n * p; q++) if (data[q] !== 0) nnz++;
  const start = new Int32Array(n + 1), cols = new Int32Array(nnz), values = new Float64Array(nnz);
  let e = 0;
  for (let i = 0, o = 0; i < n; i++, o += p) {
    start[i] = e;
    for (let j = 0; j < p; j++) {
      const v = data[o + j]!;
      if (v !== 0) { cols[e] = j; values[e] = v; e++; }
    }
  }
  start[n] = e;
  return { start, cols, values };
}

/** x_i · c for the center at centers[co …], non-zero columns in order. */
export function sparseDot(sp: SparseRows, i: number, centers: Float64Array, co: number): number {
  const { start, cols, values } = sp;
  let dot = 0;
  for (let e = start[i]!, end = start[i + 1]!; e < end; e++) dot += values[e]! * centers[co + cols[e]!]!;
  return dot;
}

/**
 * dots[c] = ‖c‖² − 2x_i·c for every center from the transposed centers ct (p×k), eight then
 * four centers per pass over the row's non-zeros; equal to the dense `expandedAll` bit for bit.
 */
export function sparseExpandedAll(sp: SparseRows, i: number, ct: Float64Array, norms: Float64Array, k: number, dots: Float64Array): void {
  const { start, cols, values } = sp, first = start[i]!, end = start[i + 1]!;
  let c = 0;
  for (; c + 7 < k; c += 8) {
    let d0 = 0, d1 = 0, d2 = 0, d3 = 0, d4 = 0, d5 = 0, d6 = 0, d7 = 0;
    for (let e = first; e < end; e++) {
      const x = values[e]!, q = cols[e]! * k + c;
      d0 += x * ct[q]!; d1 += x * ct[q + 1]!; d2 += x * ct[q + 2]!; d3 += x * ct[q + 3]!;
      d4 += x * ct[q + 4]!; d5 += x * ct[q + 5]!; d6 += x * ct[q + 6]!; d7 += x * ct[q + 7]!;
    }
    dots[c] = norms[c]! - 2 * d0; dots[c + 1] = norms[c + 1]! - 2 * d1; dots[c + 2] = norms[c + 2]! - 2 * d2; dots[c + 3] = norms[c + 3]! - 2 * d3;
    dots[c + 4] = norms[c + 4]! - 2 * d4; dots[c + 5] = norms[c + 5]! - 2 * d5; dots[c + 6] = norms[c + 6]! - 2 * d6; dots[c + 7] = norms[c + 7]! - 2 * d7;
  }
  for (; c + 3 < k; c += 4) {
    let d0 = 0, d1 = 0, d2 = 0, d3 = 0;
    for (let e = first; e < end; e++) {
      const x = values[e]!, q = cols[e]! * k + c;
      d0 += x * ct[q]!; d1 += x * ct[q + 1]!; d2 += x * ct[q + 2]!; d3 += x * ct[q + 3]!;
    }
    dots[c] = norms[c]! - 2 * d0; dots[c + 1] = norms[c + 1]! - 2 * d1; dots[c + 2] = norms[c + 2]! - 2 * d2; dots[c + 3] = norms[c + 3]! - 2 * d3;
  }
  for (; c < k; c++) {
    let d = 0;
    for (let e = first; e < end; e++) d += values[e]! * ct[cols[e]! * k + c]!;
    dots[c] = norms[c]! - 2 * d;
  }
}

/** Moves row i from cluster `from` (−1: none) to `to` in the k×p sums, non-zero columns only. */
export function sparseMoveRow(sp: SparseRows, i: number, sums: Float64Array, from: number, to: number, p: number): void {
  const { start, cols, values } = sp, first = start[i]!, end = start[i + 1]!;
  if (from >= 0) {
    const f = from * p;
    for (let e = first; e < end; e++) sums[f + cols[e]!] = sums[f + cols[e]!]! - values[e]!;
  }
  const t = to * p;
  for (let e = first; e < end; e++) sums[t + cols[e]!] = sums[t + cols[e]!]! + values[e]!;
}

/**
 * k-means++ candidate scoring over sparse rows: for candidate t (transposed candT[j·trials + t],
 * squared norm candNorms[t]) and row i, candidate[t·n + i] = max(0, ‖x‖² + ‖c‖² − 2x·c), and
 * min(closest[i], that) is summed into pot[t] in the dense scorer's order (pairs of rows for candidates in
 * blocks of four), so the potentials equal the dense ones bit for bit.
 */
export function sparseScoreCandidates(sp: SparseRows, rowNorms: Float64Array, candT: Float64Array, candNorms: Float64Array, closest: Float64Array, candidate: Float64Array, pot: Float64Array): void {
  const trials = candNorms.length, n = rowNorms.length, { start, cols, values } = sp;
  let t = 0;
  for (; t + 3 < trials; t += 4) {
    const q0 = t * n, q1 = q0 + n, q2 = q1 + n, q3 = q2 + n;
    const n0 = candNorms[t]!, n1 = candNorms[t + 1]!, n2 = candNorms[t + 2]!, n3 = candNorms[t + 3]!;
    let p0 = 0, p1 = 0, p2 = 0, p3 = 0, g0 = 0, g1 = 0, g2 = 0, g3 = 0;
    for (let i = 0; i < n; i++) {
      let d0 = 0, d1 = 0, d2 = 0, d3 = 0;
      for (let e = start[i]!, end = start[i + 1]!; e < end; e++) {
        const x = values[e]!, q = cols[e]! * trials + t;
        d0 += x * candT[q]!; d1 += x * candT[q + 1]!; d2 += x * candT[q + 2]!; d3 += x * candT[q + 3]!;
      }
      const own = closest[i]!, rn = rowNorms[i]!;
      const re0 = Math.max(0, rn + n0 - 2 * d0), re1 = Math.max(0, rn + n1 - 2 * d1);
      const e0 = Math.min(own, re0), e1 = Math.min(own, re1);
      const re2 = Math.max(0, rn + n2 - 2 * d2), re3 = Math.max(0, rn + n3 - 2 * d3);
      const e2 = Math.min(own, re2), e3 = Math.min(own, re3);
      candidate[q0 + i] = re0; candidate[q1 + i] = re1; candidate[q2 + i] = re2; candidate[q3 + i] = re3;
      // The dense scorer adds rows in pairs (e of row i, then of row i + 1) except a last odd row.
      if ((i & 1) === 0 && i + 1 < n) { g0 = e0; g1 = e1; g2 = e2; g3 = e3; continue; }
      if ((i & 1) === 1) { p0 += g0 + e0; p1 += g1 + e1; p2 += g2 + e2; p3 += g3 + e3; } else { p0 += e0; p1 += e1; p2 += e2; p3 += e3; }
    }
    pot[t] = p0; pot[t + 1] = p1; pot[t + 2] = p2; pot[t + 3] = p3;
  }
  for (; t < trials; t++) {
    const nt = candNorms[t]!, qt = t * n;
    let acc = 0;
    for (let i = 0; i < n; i++) {
      let dot = 0;
      for (let e = start[i]!, end = start[i + 1]!; e < end; e++) dot += values[e]! * candT[cols[e]! * trials + t]!;
      const raw = Math.max(0, rowNorms[i]! + nt - 2 * dot);
      candidate[qt + i] = raw;
      acc += Math.min(closest[i]!, raw);
    }
    pot[t] = acc;
  }
}
