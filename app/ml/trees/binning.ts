import type { Matrix } from '../types';
import { createRng } from '../../base/rng';
import { float32SafeThreshold } from './float32';

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
    edges.push(featureEdges(sortNumbers(column.subarray(0, m)), maxBins));
  }
  return { nFeatures: x.cols, edges };
}

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** Radix digits of the 64-bit sort key as [32-bit word, shift, bits]: 11-bit counts fit the L1 cache. */
const DIGITS: readonly (readonly [number, number, number])[] = [[0, 0, 11], [0, 11, 11], [0, 22, 10], [1, 0, 11], [1, 11, 11], [1, 22, 10]];
const RADIX = 2048;

/**
 * Sorts non-NaN numbers ascending in place (−0 before +0, as TypedArray#sort): an LSD radix sort
 * on the IEEE bits, 11 bits per pass, all digit counts taken in one pass and passes whose digit is
 * the same for every key skipped; about 2× faster than the built-in sort on 100k values.
 */
function sortNumbers(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < 2048 || !LITTLE_ENDIAN) return values.sort();
  let keys = new Uint32Array(2 * n), tmp = new Uint32Array(2 * n);
  keys.set(new Uint32Array(values.buffer, values.byteOffset, 2 * n));
  const count = new Uint32Array(DIGITS.length * RADIX);
  for (let i = 0; i < n; i++) {
    // Order-preserving keys: negatives get every bit flipped, positives just the sign bit.
    let lo = keys[2 * i]!, hi = keys[2 * i + 1]!;
    if (hi >>> 31) { hi = ~hi >>> 0; lo = ~lo >>> 0; } else hi = (hi | 0x80000000) >>> 0;
    keys[2 * i] = lo;
    keys[2 * i + 1] = hi;
    count[lo & 2047]!++; count[RADIX + ((lo >>> 11) & 2047)]!++; count[2 * RADIX + (lo >>> 22)]!++;
    count[3 * RADIX + (hi & 2047)]!++; count[4 * RADIX + ((hi >>> 11) & 2047)]!++; count[5 * RADIX + (hi >>> 22)]!++;
  }
  for (let p = 0; p < DIGITS.length; p++) {
    const [word, shift, bits] = DIGITS[p]!;
    const base = p * RADIX, mask = (1 << bits) - 1;
    let constant = false;
    for (let d = 0, sum = 0; d <= mask; d++) { const c = count[base + d]!; constant ||= c === n; count[base + d] = sum; sum += c; }
    if (constant) continue;
    for (let i = 0; i < n; i++) {
      const at = count[base + ((keys[2 * i + word]! >>> shift) & mask)]!++;
      tmp[2 * at] = keys[2 * i]!;
      tmp[2 * at + 1] = keys[2 * i + 1]!;
    }
    const swap = keys;
    keys = tmp;
    tmp = swap;
  }
  for (let i = 1; i < 2 * n; i += 2) {
    const hi = keys[i]!;
    if (hi >>> 31) keys[i] = (hi & 0x7fffffff) >>> 0; else { keys[i] = ~hi >>> 0; keys[i - 1] = ~keys[i - 1]! >>> 0; }
  }
  new Uint32Array(values.buffer, values.byteOffset, 2 * n).set(keys);
  return values;
}

function pickRows(n: number, subset: Uint32Array | undefined, subsample: number, seed: number): Uint32Array {
  const all = subset ?? Uint32Array.from({ length: n }, (_, i) => i);
  if (all.length <= subsample) return all;
  const picked = Array.from(all);
  createRng(seed).shuffle(picked);
  return Uint32Array.from(picked.slice(0, subsample));
}

function featureEdges(sorted: Float64Array, maxBins: number): Float64Array {
  const distinct: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]!);
    if (distinct.length > maxBins) break;
  }
  const raw: number[] = [];
  if (distinct.length <= maxBins) {
    for (let i = 1; i < distinct.length; i++) raw.push((distinct[i - 1]! + distinct[i]!) / 2);
  } else {
    const n = sorted.length;
    for (let q = 1; q < maxBins; q++) {
      const pos = (q / maxBins) * (n - 1);
      raw.push((sorted[Math.floor(pos)]! + sorted[Math.ceil(pos)]!) / 2);
    }
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
    // Edges padded with +Infinity to 256 entries: a fixed 8-step search, no unpredictable branches.
    table.fill(Infinity).set(e);
    const base = f * n;
    for (let i = 0; i < n; i++) {
      const r = rowSubset ? rowSubset[i]! : i;
      const v = x.data[r * x.cols + f]!;
      if (Number.isNaN(v)) {
        codes[base + i] = MISSING_BIN;
        hasMissing[f] = 1;
      } else {
        codes[base + i] = countBelow(table, v);
      }
    }
  }
  return { rows: n, cols: x.cols, codes, nBins, hasMissing, mapper };
}

/**
 * Number of entries strictly below v in an ascending 256-entry table (padding is +Infinity).
 * Branch-free (`+(a < v)` compiles to a flag, not a jump): the 8 comparisons are coin flips, and
 * as branches their mispredictions made binning 3× slower.
 */
function countBelow(t: Float64Array, v: number): number {
  let lo = +(t[127]! < v) << 7;
  lo |= +(t[lo + 63]! < v) << 6;
  lo |= +(t[lo + 31]! < v) << 5;
  lo |= +(t[lo + 15]! < v) << 4;
  lo |= +(t[lo + 7]! < v) << 3;
  lo |= +(t[lo + 3]! < v) << 2;
  lo |= +(t[lo + 1]! < v) << 1;
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
