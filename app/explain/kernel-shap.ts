import { throwIfAborted, UserInputError } from '../base/errors';
import { createRng } from '../base/rng';
import type { CancelSignal } from '../base/signal';
import type { BatchPredict, RawColumn, RawTable } from './table';

/** Options of Kernel SHAP. */
export interface KernelShapOptions {
  /** Coalitions to evaluate per row (all 2^M − 2 when that fits: the result is then exact). */
  nSamples?: number;
  seed?: number;
  /** Weight of each background row (default uniform). */
  backgroundWeights?: Float64Array;
  signal?: CancelSignal;
  /** Rows per model call. */
  batchSize?: number;
}

/** Kernel SHAP attributions: `values[r * M + j]`; baseValue + Σ_j values = the model output. */
export interface KernelShapResult {
  values: Float64Array;
  baseValue: number;
  outputs: Float64Array;
  features: number;
  rows: number;
  exact: boolean;
}

/**
 * Kernel SHAP (Lundberg & Lee 2017): a weighted linear regression over coalitions of features,
 * where an absent feature takes the background's values (the interventional value function
 * v(S) = Σ_b w_b f(x_S, b_S̄)). With every coalition enumerated the answer equals the exact Shapley
 * values of v; otherwise coalition sizes are filled in pairs from the ends, then sampled.
 */
export async function kernelShap(predict: BatchPredict, background: RawTable, x: RawTable, options: KernelShapOptions = {}): Promise<KernelShapResult> {
  const m = x.columns.length;
  if (m === 0) throw new UserInputError('Kernel SHAP needs at least one feature.');
  if (background.rows === 0) throw new UserInputError('Kernel SHAP needs at least one background row.');
  const weights = options.backgroundWeights ?? new Float64Array(background.rows).fill(1 / background.rows);
  const coalitions = chooseCoalitions(m, options.nSamples ?? 2 * m + 2048, options.seed ?? 0);
  const outputs = await predict(x, options.signal);
  const backgroundOut = await predict(background, options.signal);
  let baseValue = 0;
  for (let b = 0; b < background.rows; b++) baseValue += weights[b]! * backgroundOut[b]!;
  const values = new Float64Array(x.rows * m);
  for (let r = 0; r < x.rows; r++) {
    throwIfAborted(options.signal);
    const ez = await coalitionValues(predict, background, weights, x, r, coalitions.masks, options);
    const phi = solveConstrained(coalitions.masks, coalitions.weights, ez, baseValue, outputs[r]!, m);
    values.set(phi, r * m);
  }
  return { values, baseValue, outputs, features: m, rows: x.rows, exact: coalitions.exact };
}

interface Coalitions {
  masks: Uint8Array[];
  weights: Float64Array;
  exact: boolean;
}

function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return result;
}

function subsetsOfSize(m: number, size: number, emit: (mask: Uint8Array) => void): void {
  const index = Array.from({ length: size }, (_, i) => i);
  for (;;) {
    const mask = new Uint8Array(m);
    for (const i of index) mask[i] = 1;
    emit(mask);
    let i = size - 1;
    while (i >= 0 && index[i] === m - size + i) i--;
    if (i < 0) return;
    index[i]!++;
    for (let j = i + 1; j < size; j++) index[j] = index[j - 1]! + 1;
  }
}

/** Shapley kernel weight of one coalition of `size` of `m` features. */
function kernelWeight(m: number, size: number): number {
  return (m - 1) / (binomial(m, size) * size * (m - size));
}

function chooseCoalitions(m: number, budget: number, seed: number): Coalitions {
  const masks: Uint8Array[] = [];
  const weights: number[] = [];
  const total = 2 ** m - 2;
  if (m <= 30 && total <= budget) {
    for (let size = 1; size < m; size++) subsetsOfSize(m, size, (mask) => (masks.push(mask), weights.push(kernelWeight(m, size))));
    return { masks, weights: Float64Array.from(weights), exact: true };
  }
  // Fill whole sizes from the ends (they carry most kernel weight) while the budget allows.
  let remaining = budget;
  let size = 1;
  const filled = new Set<number>();
  while (size <= m - size) {
    const count = size === m - size ? binomial(m, size) : 2 * binomial(m, size);
    if (count > remaining) break;
    for (const s of size === m - size ? [size] : [size, m - size]) {
      subsetsOfSize(m, s, (mask) => (masks.push(mask), weights.push(kernelWeight(m, s))));
      filled.add(s);
    }
    remaining -= count;
    size++;
  }
  const rest = Array.from({ length: m - 1 }, (_, i) => i + 1).filter((s) => !filled.has(s));
  if (rest.length > 0 && remaining > 0) {
    // Sizes are drawn in proportion to their total kernel mass; each draw then carries an equal
    // share of that mass, so the regression sees the kernel's distribution.
    const mass = rest.map((s) => binomial(m, s) * kernelWeight(m, s));
    const restWeight = mass.reduce((a, b) => a + b, 0);
    const rng = createRng(seed);
    const order = Array.from({ length: m }, (_, i) => i);
    for (let n = 0; n < remaining; n++) {
      let u = rng.next() * restWeight;
      let pick = 0;
      while (pick < rest.length - 1 && u >= mass[pick]!) u -= mass[pick++]!;
      const s = rest[pick]!;
      rng.shuffle(order);
      const mask = new Uint8Array(m);
      for (let i = 0; i < s; i++) mask[order[i]!] = 1;
      masks.push(mask);
      weights.push(restWeight / remaining);
    }
  }
  return { masks, weights: Float64Array.from(weights), exact: false };
}

/** Writes `rows` values into `out` at `offset`: x's value at `row` when present, else the background's. */
function mix(xColumn: RawColumn, row: number, background: RawColumn, rows: number, useX: boolean, out: RawColumn, offset: number): void {
  for (let b = 0; b < rows; b++) {
    if (out instanceof Float64Array) out[offset + b] = useX ? (xColumn as Float64Array)[row]! : (background as Float64Array)[b]!;
    else out[offset + b] = useX ? ((xColumn as (string | null)[])[row] ?? null) : ((background as (string | null)[])[b] ?? null);
  }
}

async function coalitionValues(predict: BatchPredict, background: RawTable, weights: Float64Array, x: RawTable, row: number, masks: Uint8Array[], options: KernelShapOptions): Promise<Float64Array> {
  const bRows = background.rows;
  const perBatch = Math.max(1, Math.floor((options.batchSize ?? 20_000) / bRows));
  const ez = new Float64Array(masks.length);
  for (let start = 0; start < masks.length; start += perBatch) {
    throwIfAborted(options.signal);
    const chunk = masks.slice(start, start + perBatch);
    const rows = chunk.length * bRows;
    const columns = x.columns.map((column, j) => {
      const out: RawColumn = column instanceof Float64Array ? new Float64Array(rows) : new Array<string | null>(rows);
      chunk.forEach((mask, c) => mix(column, row, background.columns[j]!, bRows, mask[j] === 1, out, c * bRows));
      return out;
    });
    const predicted = await predict({ names: x.names, columns, rows }, options.signal);
    chunk.forEach((_mask, c) => {
      let value = 0;
      for (let b = 0; b < bRows; b++) value += weights[b]! * predicted[c * bRows + b]!;
      ez[start + c] = value;
    });
  }
  return ez;
}

/**
 * Weighted least squares with Σφ = fx − base, by eliminating the last feature
 * (as shap's KernelExplainer does), solved through the normal equations.
 */
function solveConstrained(masks: Uint8Array[], weights: Float64Array, ez: Float64Array, base: number, fx: number, m: number): Float64Array {
  const phi = new Float64Array(m);
  const gap = fx - base;
  if (m === 1) {
    phi[0] = gap;
    return phi;
  }
  const p = m - 1;
  const ata = new Float64Array(p * p);
  const atb = new Float64Array(p);
  for (let z = 0; z < masks.length; z++) {
    const mask = masks[z]!;
    const w = weights[z]!;
    const last = mask[m - 1]!;
    const y = ez[z]! - base - last * gap;
    for (let i = 0; i < p; i++) {
      const xi = mask[i]! - last;
      if (xi === 0) continue;
      atb[i]! += w * xi * y;
      for (let j = 0; j < p; j++) ata[i * p + j]! += w * xi * (mask[j]! - last);
    }
  }
  const solution = solveSymmetric(ata, atb, p);
  let sum = 0;
  for (let i = 0; i < p; i++) {
    phi[i] = solution[i]!;
    sum += solution[i]!;
  }
  phi[m - 1] = gap - sum;
  return phi;
}

/** Solves A x = b for a symmetric positive (semi)definite A by Gaussian elimination with pivoting. */
function solveSymmetric(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const m = Float64Array.from(a);
  const x = Float64Array.from(b);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r * n + col]!) > Math.abs(m[pivot * n + col]!)) pivot = r;
    if (Math.abs(m[pivot * n + col]!) < 1e-14) continue;
    if (pivot !== col) {
      for (let c = 0; c < n; c++) [m[col * n + c], m[pivot * n + c]] = [m[pivot * n + c]!, m[col * n + c]!];
      [x[col], x[pivot]] = [x[pivot]!, x[col]!];
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r * n + col]! / m[col * n + col]!;
      if (f === 0) continue;
      for (let c = col; c < n; c++) m[r * n + c]! -= f * m[col * n + c]!;
      x[r]! -= f * x[col]!;
    }
  }
  for (let i = 0; i < n; i++) x[i] = Math.abs(m[i * n + i]!) < 1e-14 ? 0 : x[i]! / m[i * n + i]!;
  return x;
}
