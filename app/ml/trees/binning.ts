import type { Matrix } from '../types';
import { createRng } from '../../base/rng';
import { float32SafeThreshold } from './float32';
import { orderStatistics, sortedDistinct } from './quantiles';

/** The code of a missing (NaN) value in every binned column; real bins are 0 … 254. */
export const MISSING_BIN = 255;

/** Largest number of non-missing bins per feature (codes must fit a byte beside MISSING_BIN). */
export const MAX_BINS = 255;

/**
 * Per-feature bin edges. For feature f with edges e (ascending, distinct, float32-representable),
 * a value x falls in bin b = the number of edges < x, so `bin <= b` ⇔ `x <= e[b]` exactly: a split
 * after bin b is stored in a Tree as threshold e[b] (+Infinity after the last bin).
 */
export interface BinMapper {
  readonly nFeatures: number;
  readonly edges: readonly Float64Array[];
}

/** A binned matrix, column-major: the code of (row r, feature f) is `codes[f * rows + r]`. */
export interface BinnedMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly codes: Uint8Array;
  /** Number of non-missing bins of each feature (edges + 1). */
  readonly nBins: Int32Array;
  /** 1 when the feature had a missing value in this matrix. */
  readonly hasMissing: Uint8Array;
  readonly mapper: BinMapper;
}

/** Options of `fitBinMapper`. */
export interface BinningOptions {
  /** Non-missing bins per feature, 2 … 255 (default 255). */
  maxBins?: number;
  /** Rows used to find the quantiles (default 200,000, like sklearn). */
  subsample?: number;
  seed?: number;
}

/**
 * Finds bin edges per feature like sklearn's `_BinMapper`: midpoints between distinct values when a
 * feature has ≤ maxBins of them, otherwise midpoint quantiles; each edge is rounded down to float32.
 * `rowSubset` restricts fitting to those rows (e.g. the training part of a split).
 */
export function fitBinMapper(x: Matrix, options: BinningOptions = {}, rowSubset?: Uint32Array): BinMapper {
  const maxBins = Math.min(MAX_BINS, Math.max(2, options.maxBins ?? MAX_BINS));
  const rows = pickRows(x.rows, rowSubset, options.subsample ?? 200_000, options.seed ?? 0);
  const edges: Float64Array[] = [];
  const column = new Float64Array(rows.length);
  for (let f = 0; f < x.cols; f++) {
    let m = 0;
    for (let i = 0; i < rows.length; i++) {
      const v = x.data[rows[i]! * x.cols + f]!;
      if (!Number.isNaN(v)) column[m++] = v;
    }
    edges.push(featureEdges(column.subarray(0, m), maxBins));
  }
  return { nFeatures: x.cols, edges };
}

function pickRows(n: number, subset: Uint32Array | undefined, subsample: number, seed: number): Uint32Array {
  let all = subset;
  if (!all) {
    all = new Uint32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
  }
  if (all.length <= subsample) return all;
  const picked = Array.from(all);
  createRng(seed).shuffle(picked);
  return Uint32Array.from(picked.slice(0, subsample));
}

/** Edges of one feature from its non-missing values (in any order). */
function featureEdges(column: Float64Array, maxBins: number): Float64Array {
  const distinct = sortedDistinct(column, maxBins);
  const raw: number[] = [];
  if (distinct) {
    for (let i = 1; i < distinct.length; i++) raw.push((distinct[i - 1]! + distinct[i]!) / 2);
  } else {
    const n = column.length;
    const ranks = new Int32Array(2 * (maxBins - 1));
    for (let q = 1; q < maxBins; q++) {
      const pos = (q / maxBins) * (n - 1);
      ranks[2 * q - 2] = Math.floor(pos);
      ranks[2 * q - 1] = Math.ceil(pos);
    }
    const at = orderStatistics(column, ranks);
    for (let q = 1; q < maxBins; q++) raw.push((at[2 * q - 2]! + at[2 * q - 1]!) / 2);
  }
  const out: number[] = [];
  for (const e of raw) {
    const safe = float32SafeThreshold(e);
    if (out.length === 0 || safe > out[out.length - 1]!) out.push(safe);
  }
  return Float64Array.from(out);
}

/** Bins rows of `x` (all, or `rowSubset` in that order) with `mapper`. */
export function binMatrix(x: Matrix, mapper: BinMapper, rowSubset?: Uint32Array): BinnedMatrix {
  const n = rowSubset ? rowSubset.length : x.rows;
  const codes = new Uint8Array(n * x.cols);
  const nBins = new Int32Array(x.cols);
  const hasMissing = new Uint8Array(x.cols);
  const table = new Float64Array(256);
  for (let f = 0; f < x.cols; f++) {
    const e = mapper.edges[f]!;
    nBins[f] = e.length + 1;
    // Edges padded with +Infinity to a power of two: a fixed-step search, no unpredictable branches.
    table.fill(Infinity).set(e);
    const top = searchTop(e.length);
    const base = f * n;
    for (let i = 0; i < n; i++) {
      const r = rowSubset ? rowSubset[i]! : i;
      const v = x.data[r * x.cols + f]!;
      if (Number.isNaN(v)) {
        codes[base + i] = MISSING_BIN;
        hasMissing[f] = 1;
      } else {
        codes[base + i] = countBelow(table, v, top);
      }
    }
  }
  return { rows: n, cols: x.cols, codes, nBins, hasMissing, mapper };
}

/** Half the size of the smallest power-of-two table with room for `edges` edges and one +Infinity. */
function searchTop(edges: number): number {
  let size = 2;
  while (size < edges + 1) size *= 2;
  return size / 2;
}

/**
 * Number of entries strictly below v in an ascending table padded with +Infinity to 2·top entries,
 * in log2(2·top) steps. Branch-free (`+(a < v)` compiles to a flag, not a jump): the comparisons
 * are coin flips, and as branches their mispredictions made binning 3× slower.
 */
function countBelow(t: Float64Array, v: number, top: number): number {
  let lo = 0;
  if (top === 128) {
    // Unrolled for the common full table.
    lo = +(t[127]! < v) << 7;
    lo |= +(t[lo + 63]! < v) << 6;
    lo |= +(t[lo + 31]! < v) << 5;
    lo |= +(t[lo + 15]! < v) << 4;
    lo |= +(t[lo + 7]! < v) << 3;
    lo |= +(t[lo + 3]! < v) << 2;
    lo |= +(t[lo + 1]! < v) << 1;
  } else {
    for (let step = top; step > 1; step >>= 1) lo |= +(t[lo + step - 1]! < v) * step;
  }
  return lo + +(t[lo]! < v);
}

/** The real-valued threshold of the split `bin <= b` on feature f (Infinity after the last bin). */
export function binThreshold(mapper: BinMapper, feature: number, bin: number): number {
  const e = mapper.edges[feature]!;
  return bin < e.length ? e[bin]! : Infinity;
}

const rowMajorCache = new WeakMap<BinnedMatrix, Uint8Array>();

/**
 * The codes of `binned` row-major (`[r * cols + f]`), computed once per matrix and cached: CART
 * reads several random features of the same row, which then share a cache line.
 */
export function rowMajorCodes(binned: BinnedMatrix): Uint8Array {
  const cached = rowMajorCache.get(binned);
  if (cached) return cached;
  const { rows, cols, codes } = binned;
  const out = new Uint8Array(rows * cols);
  for (let f = 0; f < cols; f++) {
    const off = f * rows;
    for (let r = 0; r < rows; r++) out[r * cols + f] = codes[off + r]!;
  }
  rowMajorCache.set(binned, out);
  return out;
}
