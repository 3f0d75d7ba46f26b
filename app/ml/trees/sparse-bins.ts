import { MISSING_BIN, type BinnedMatrix } from './binning';
import { BIN_STRIDE, FEATURE_STRIDE } from './hist-kernels';

/** A feature goes sparse when its most common bin holds at least this share of the rows. */
const MIN_MODE_SHARE = 0.75;

/** Fewer sparse features than this are not worth a second kernel: all stay dense. */
const MIN_SPARSE_FEATURES = 4;

/**
 * A row-wise index of the codes that differ from their feature's most common bin, for features
 * where that bin holds ≥ 75 % of the rows (one-hot columns, mostly-zero amounts). A histogram then
 * adds only those entries, and each such feature's common bin is the node's total minus its other
 * bins — a different rounding of the same sum than adding its rows one by one.
 */
export interface SparseBins {
  /** Features histogrammed column by column, ascending. */
  readonly dense: Int32Array;
  /** Features histogrammed from the index, ascending, and their most common bin. */
  readonly sparse: Int32Array;
  readonly mode: Int32Array;
  /** Row r's entries are offsets[rowStart[r] … rowStart[r + 1]): f·FEATURE_STRIDE + code·BIN_STRIDE. */
  readonly rowStart: Uint32Array;
  readonly offsets: Uint32Array;
}

/**
 * Splits the features into dense and sparse ones from the rows per bin (`counts[f·256 + b]`);
 * undefined when fewer than 4 features are sparse (dense data keeps the one column-wise path).
 */
export function sparseBins(binned: BinnedMatrix, counts: Float64Array): SparseBins | undefined {
  const { codes, rows: n, cols } = binned;
  const dense: number[] = [];
  const sparse: number[] = [];
  const mode: number[] = [];
  for (let f = 0; f < cols; f++) {
    let best = 0;
    for (let b = 1; b < 256; b++) if (counts[f * 256 + b]! > counts[f * 256 + best]!) best = b;
    if (counts[f * 256 + best]! >= MIN_MODE_SHARE * n) {
      sparse.push(f);
      mode.push(best);
    } else {
      dense.push(f);
    }
  }
  if (sparse.length < MIN_SPARSE_FEATURES) return undefined;
  const rowStart = new Uint32Array(n + 1);
  for (let j = 0; j < sparse.length; j++) {
    const off = sparse[j]! * n, d = mode[j]!;
    for (let r = 0; r < n; r++) if (codes[off + r] !== d) rowStart[r + 1]!++;
  }
  for (let r = 0; r < n; r++) rowStart[r + 1]! += rowStart[r]!;
  const offsets = new Uint32Array(rowStart[n]!);
  const cursor = rowStart.slice(0, n);
  for (let j = 0; j < sparse.length; j++) {
    const f = sparse[j]!, off = f * n, d = mode[j]!;
    for (let r = 0; r < n; r++) {
      const c = codes[off + r]!;
      if (c !== d) offsets[cursor[r]!++] = f * FEATURE_STRIDE + c * BIN_STRIDE;
    }
  }
  return { dense: Int32Array.from(dense), sparse: Int32Array.from(sparse), mode: Int32Array.from(mode), rowStart, offsets };
}

/** Adds every row's g (and h when given) to its indexed bins, rows in order (the root). */
export function sparseRootHistogram(hist: Float64Array, sp: SparseBins, g: Float64Array, h: Float64Array | undefined): void {
  const { rowStart, offsets } = sp;
  const n = rowStart.length - 1;
  for (let r = 0; r < n; r++) {
    const gr = g[r]!;
    const end = rowStart[r + 1]!;
    if (h) {
      const hr = h[r]!;
      for (let k = rowStart[r]!; k < end; k++) {
        const o = offsets[k]!;
        hist[o]! += gr;
        hist[o + 1]! += hr;
      }
    } else {
      for (let k = rowStart[r]!; k < end; k++) hist[offsets[k]!]! += gr;
    }
  }
}

/** Adds rows idx[start … end) (g, h gathered into og/oh from 0) to their indexed bins, with counts. */
export function sparseNodeHistogram(hist: Float64Array, sp: SparseBins, idx: Uint32Array, start: number, end: number, og: Float64Array, oh: Float64Array): void {
  const { rowStart, offsets } = sp;
  for (let i = 0; i < end - start; i++) {
    const r = idx[start + i]!;
    const gr = og[i]!, hr = oh[i]!;
    const stop = rowStart[r + 1]!;
    for (let k = rowStart[r]!; k < stop; k++) {
      const o = offsets[k]!;
      hist[o]! += gr;
      hist[o + 1]! += hr;
      hist[o + 2]! += 1;
    }
  }
}

/**
 * Sets each sparse feature's most common bin to the node's totals minus its other bins, for the
 * first `channels` of (Σg, Σh, count).
 */
export function fillModeBins(hist: Float64Array, sp: SparseBins, nBins: Int32Array, totals: readonly number[], channels: number): void {
  for (let j = 0; j < sp.sparse.length; j++) {
    const f = sp.sparse[j]!, d = sp.mode[j]!;
    const ho = f * FEATURE_STRIDE;
    for (let ch = 0; ch < channels; ch++) {
      let rest = 0;
      for (let b = 0; b < nBins[f]!; b++) if (b !== d) rest += hist[ho + b * BIN_STRIDE + ch]!;
      if (d !== MISSING_BIN) rest += hist[ho + MISSING_BIN * BIN_STRIDE + ch]!;
      hist[ho + d * BIN_STRIDE + ch] = totals[ch]! - rest;
    }
  }
}
