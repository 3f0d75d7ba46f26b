import { MISSING_BIN, type BinnedMatrix } from './binning';
import type { TreeTarget } from './cart';

/**
 * The sample of one CART tree, one slot per distinct sampled row ("position"), partitioned in
 * place so each node owns a contiguous range of positions. A row drawn k times by the bootstrap
 * is one position of weight k. Each position carries the row's bin codes (row-major, padded to
 * whole 32-bit words): moving them with the row costs a few word copies, while reading them
 * through a row index costs a cache miss per row and feature (a deep node's rows are scattered).
 */
export class CartRows {
  /** Number of positions. */
  readonly size: number;
  /** Codes of position i, feature f: `codes8[i * rowBytes + f]`. */
  readonly codes8: Uint8Array;
  readonly rowBytes: number;
  /** Weight (bootstrap count) of each position. */
  readonly weight: Float64Array;
  /** Histogram channel of each position: 2 + class (classification) or 2 (regression). */
  readonly channel: Int32Array;
  /** Regression only (empty for classifiers): weight·y and weight·y² of each position. */
  readonly wy: Float64Array;
  readonly wyy: Float64Array;
  private readonly codes32: Uint32Array;
  private readonly words: number;
  private readonly scratch32: Uint32Array;
  private readonly scratchW: Float64Array;
  private readonly scratchC: Int32Array;
  private readonly scratchY: Float64Array;
  private readonly scratchYY: Float64Array;

  /** `rows` are row indices into `binned` and may repeat (a bootstrap sample). */
  constructor(binned: BinnedMatrix, target: TreeTarget, rows: Uint32Array) {
    const n = binned.rows;
    const counts = new Float64Array(n);
    for (let i = 0; i < rows.length; i++) counts[rows[i]!]! += 1;
    let m = 0;
    for (let r = 0; r < n; r++) if (counts[r]! > 0) m++;
    this.size = m;
    const rowOf = new Uint32Array(m);
    const isRegression = target.kind === 'regression';
    this.weight = new Float64Array(m);
    this.channel = new Int32Array(m);
    this.wy = new Float64Array(isRegression ? m : 0);
    this.wyy = new Float64Array(isRegression ? m : 0);
    for (let r = 0, i = 0; r < n; r++) {
      const w = counts[r]!;
      if (w === 0) continue;
      rowOf[i] = r;
      this.weight[i] = w;
      if (target.kind === 'classification') {
        this.channel[i] = 2 + target.y[r]!;
      } else {
        this.channel[i] = 2;
        this.wy[i] = w * target.y[r]!;
        this.wyy[i] = w * target.y[r]! * target.y[r]!;
      }
      i++;
    }
    this.words = (binned.cols + 3) >> 2;
    this.rowBytes = 4 * this.words;
    this.codes32 = new Uint32Array(m * this.words);
    this.codes8 = new Uint8Array(this.codes32.buffer);
    for (let f = 0; f < binned.cols; f++) {
      const off = f * n;
      for (let i = 0; i < m; i++) this.codes8[i * this.rowBytes + f] = binned.codes[off + rowOf[i]!]!;
    }
    this.scratch32 = new Uint32Array(m * this.words);
    this.scratchW = new Float64Array(m);
    this.scratchC = new Int32Array(m);
    this.scratchY = new Float64Array(this.wy.length);
    this.scratchYY = new Float64Array(this.wy.length);
  }

  /**
   * Stable partition of positions [start, end) by `code <= bin` on `feature` (missing values go
   * left iff `missingLeft`); returns the right child's start.
   */
  partition(start: number, end: number, feature: number, bin: number, missingLeft: boolean): number {
    // A module-local copy: bundlers may compile the import to a getter, too slow per row.
    const missingBin = MISSING_BIN;
    const { codes32, codes8, words, rowBytes, weight, channel, wy, wyy, scratch32, scratchW, scratchC, scratchY, scratchYY } = this;
    const hasY = wy.length > 0;
    let l = start;
    let s = 0;
    for (let i = start; i < end; i++) {
      const c = codes8[i * rowBytes + feature]!;
      if (c <= bin || (c === missingBin && missingLeft)) {
        if (l !== i) {
          for (let w = 0, from = i * words, to = l * words; w < words; w++) codes32[to + w] = codes32[from + w]!;
          weight[l] = weight[i]!;
          channel[l] = channel[i]!;
          if (hasY) { wy[l] = wy[i]!; wyy[l] = wyy[i]!; }
        }
        l++;
      } else {
        for (let w = 0, from = i * words, to = s * words; w < words; w++) scratch32[to + w] = codes32[from + w]!;
        scratchW[s] = weight[i]!;
        scratchC[s] = channel[i]!;
        if (hasY) { scratchY[s] = wy[i]!; scratchYY[s] = wyy[i]!; }
        s++;
      }
    }
    codes32.set(scratch32.subarray(0, s * words), l * words);
    weight.set(scratchW.subarray(0, s), l);
    channel.set(scratchC.subarray(0, s), l);
    if (hasY) { wy.set(scratchY.subarray(0, s), l); wyy.set(scratchYY.subarray(0, s), l); }
    return l;
  }
}
