import type { Tree } from '../types';
import { createRng, type Rng } from '../../base/rng';
import { MISSING_BIN, binThreshold, type BinnedMatrix } from './binning';
import { TreeBuilder } from './tree-builder';

/** What a CART tree learns: class indices 0 … nClasses-1, or real targets. */
export type TreeTarget =
  | { kind: 'classification'; y: Int32Array; nClasses: number }
  | { kind: 'regression'; y: Float64Array };

/** Split criterion: gini/entropy for classification, squared_error for regression. */
export type Criterion = 'gini' | 'entropy' | 'squared_error';

/** Resolved CART parameters (sklearn names); `maxFeatures` is a count ≥ 1 of features tried per node. */
export interface CartParams {
  criterion: Criterion;
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  maxFeatures: number;
  /** When set, grows best-first (largest impurity decrease) up to this many leaves. */
  maxLeafNodes?: number;
}

interface Pending {
  id: number;
  start: number;
  end: number;
  depth: number;
  feature: number;
  bin: number;
  missingLeft: boolean;
  gain: number;
}

/**
 * Fits one CART tree on binned data. `rows` are training row indices into `binned` and may repeat
 * (a bootstrap sample: a row drawn k times gets weight k). Deterministic in (`rows`, `seed`), so a
 * forest's trees can be fitted in any worker in any order. Leaf values are class fractions
 * (nOutputs = nClasses) or the mean target (nOutputs = 1); cover is the summed row weight.
 */
export function fitTree(binned: BinnedMatrix, target: TreeTarget, rows: Uint32Array, params: CartParams, seed: number): Tree {
  const grower = new CartGrower(binned, target, rows, params, createRng(seed));
  return grower.grow();
}

class CartGrower {
  private readonly k: number;
  private readonly stride: number;
  private readonly weight: Float64Array;
  private readonly idx: Uint32Array;
  private readonly scratch: Uint32Array;
  private readonly hist: Float64Array;
  private readonly touched = new Int32Array(256);
  private readonly node: Float64Array;
  private readonly acc: Float64Array;
  private readonly perm: Int32Array;
  private readonly builder: TreeBuilder;
  private readonly cls: Int32Array | undefined;
  private readonly wy: Float64Array | undefined;
  private readonly y: Float64Array | undefined;

  constructor(
    private readonly binned: BinnedMatrix,
    target: TreeTarget,
    rows: Uint32Array,
    private readonly params: CartParams,
    private readonly rng: Rng,
  ) {
    const n = binned.rows;
    this.k = target.kind === 'classification' ? target.nClasses : 1;
    this.stride = 2 + this.k;
    this.weight = new Float64Array(n);
    for (let i = 0; i < rows.length; i++) this.weight[rows[i]!]! += 1;
    let m = 0;
    for (let r = 0; r < n; r++) if (this.weight[r]! > 0) m++;
    this.idx = new Uint32Array(m);
    m = 0;
    for (let r = 0; r < n; r++) if (this.weight[r]! > 0) this.idx[m++] = r;
    this.scratch = new Uint32Array(m);
    this.hist = new Float64Array(256 * this.stride);
    this.node = new Float64Array(this.stride);
    this.acc = new Float64Array(this.stride);
    this.perm = Int32Array.from({ length: binned.cols }, (_, i) => i);
    this.builder = new TreeBuilder(this.k);
    if (target.kind === 'classification') {
      this.cls = target.y;
    } else {
      this.y = target.y;
      this.wy = new Float64Array(n);
      for (let r = 0; r < n; r++) this.wy[r] = this.weight[r]! * target.y[r]!;
    }
  }

  grow(): Tree {
    const frontier: Pending[] = [];
    const root = this.evaluate(0, this.idx.length, 0);
    if (root.split) frontier.push(root.split);
    let leaves = 1;
    const maxLeaves = this.params.maxLeafNodes ?? Infinity;
    while (frontier.length > 0 && leaves < maxLeaves) {
      const p = this.params.maxLeafNodes === undefined ? frontier.pop()! : takeBest(frontier);
      const mid = this.partition(p);
      const left = this.evaluate(p.start, mid, p.depth + 1);
      const right = this.evaluate(mid, p.end, p.depth + 1);
      const threshold = binThreshold(this.binned.mapper, p.feature, p.bin);
      this.builder.setSplit(p.id, p.feature, threshold, p.missingLeft, left.id, right.id);
      leaves++;
      if (right.split) frontier.push(right.split);
      if (left.split) frontier.push(left.split);
    }
    return this.builder.finish();
  }

  /** Adds the node as a leaf; `split` is its best split when it may be split. */
  private evaluate(start: number, end: number, depth: number): { id: number; split: Pending | undefined } {
    const stats = this.nodeStats(start, end);
    const value = new Float64Array(this.k);
    for (let j = 0; j < this.k; j++) value[j] = stats.w > 0 ? this.node[2 + j]! / stats.w : 0;
    const id = this.builder.addLeaf(stats.w, value);
    const count = end - start;
    const p = this.params;
    const isLeaf = depth >= p.maxDepth || count < p.minSamplesSplit || count < 2 * p.minSamplesLeaf || stats.impurity <= 1e-7;
    return { id, split: isLeaf ? undefined : this.findSplit(id, start, end, depth) };
  }

  private nodeStats(start: number, end: number): { w: number; impurity: number } {
    const node = this.node;
    node.fill(0);
    let sumSq = 0;
    for (let i = start; i < end; i++) {
      const r = this.idx[i]!;
      const wt = this.weight[r]!;
      node[0]! += wt;
      if (this.cls) {
        node[2 + this.cls[r]!]! += wt;
      } else {
        node[2]! += this.wy![r]!;
        sumSq += this.wy![r]! * this.y![r]!;
      }
    }
    node[1] = end - start;
    const w = node[0]!;
    if (!this.cls) return { w, impurity: w > 0 ? sumSq / w - (node[2]! / w) ** 2 : 0 };
    let maxFrac = 0;
    for (let j = 0; j < this.k; j++) maxFrac = Math.max(maxFrac, node[2 + j]! / w);
    return { w, impurity: 1 - maxFrac };
  }

  private findSplit(id: number, start: number, end: number, depth: number): Pending | undefined {
    const cols = this.binned.cols;
    let best: Pending | undefined;
    let visited = 0;
    for (let j = 0; j < cols && visited < this.params.maxFeatures; j++) {
      const swap = j + this.rng.int(cols - j);
      const f = this.perm[swap]!;
      this.perm[swap] = this.perm[j]!;
      this.perm[j] = f;
      const nt = this.buildHistogram(f, start, end);
      const candidate = this.scanFeature(f, nt);
      this.clearHistogram(nt);
      if (candidate === undefined) continue;
      visited++;
      if (candidate.feasible && (!best || candidate.gain > best.gain)) {
        best = { id, start, end, depth, feature: f, bin: candidate.bin, missingLeft: candidate.missingLeft, gain: candidate.gain };
      }
    }
    return best;
  }

  /** Accumulates feature f over the node's rows; returns the number of distinct codes (sorted, in `touched`). */
  private buildHistogram(f: number, start: number, end: number): number {
    const { codes, rows: n } = this.binned;
    const off = f * n;
    const { hist, stride, idx, weight } = this;
    if (this.cls) {
      const cls = this.cls;
      for (let i = start; i < end; i++) {
        const r = idx[i]!;
        const o = codes[off + r]! * stride;
        const wt = weight[r]!;
        hist[o]! += wt;
        hist[o + 1]! += 1;
        hist[o + 2 + cls[r]!]! += wt;
      }
    } else {
      const wy = this.wy!;
      for (let i = start; i < end; i++) {
        const r = idx[i]!;
        const o = codes[off + r]! * stride;
        hist[o]! += weight[r]!;
        hist[o + 1]! += 1;
        hist[o + 2]! += wy[r]!;
      }
    }
    return end - start > 128 ? this.touchedByBins(f) : this.touchedByRows(off, start, end);
  }

  /** Large nodes: the occupied bins, in order, by one pass over the feature's bins. */
  private touchedByBins(f: number): number {
    const { hist, stride, touched } = this;
    const nb = this.binned.nBins[f]!;
    let nt = 0;
    for (let b = 0; b < nb; b++) if (hist[b * stride + 1] !== 0) touched[nt++] = b;
    if (hist[MISSING_BIN * stride + 1] !== 0) touched[nt++] = MISSING_BIN;
    return nt;
  }

  /** Small nodes: the occupied bins from the rows themselves (cheaper than visiting 255 bins). */
  private touchedByRows(off: number, start: number, end: number): number {
    const { codes } = this.binned;
    const { touched, idx, seen } = this;
    const stamp = ++this.stamp;
    let nt = 0;
    for (let i = start; i < end; i++) {
      const b = codes[off + idx[i]!]!;
      if (seen[b] === stamp) continue;
      seen[b] = stamp;
      // Insertion sort: nodes here are small, and a typed-array sort call costs more.
      let j = nt++;
      while (j > 0 && touched[j - 1]! > b) {
        touched[j] = touched[j - 1]!;
        j--;
      }
      touched[j] = b;
    }
    return nt;
  }

  private readonly seen = new Uint32Array(256);
  private stamp = 0;

  private clearHistogram(nt: number): void {
    for (let t = 0; t < nt; t++) {
      const o = this.touched[t]! * this.stride;
      this.hist.fill(0, o, o + this.stride);
    }
  }

  /** Best split of one histogram; undefined when the feature is constant in the node. */
  private scanFeature(f: number, nt: number): { feasible: boolean; gain: number; bin: number; missingLeft: boolean } | undefined {
    const { hist, stride, acc, node, touched } = this;
    const hasMissing = touched[nt - 1] === MISSING_BIN;
    const nReal = hasMissing ? nt - 1 : nt;
    if (nReal === 0 || (nReal === 1 && !hasMissing)) return undefined;
    const mo = MISSING_BIN * stride;
    const parent = this.proxy(node);
    acc.fill(0);
    let best = { feasible: false, gain: -Infinity, bin: 0, missingLeft: false };
    for (let t = 0; t < nReal; t++) {
      const b = touched[t]!;
      for (let c = 0; c < stride; c++) acc[c]! += hist[b * stride + c]!;
      const last = t === nReal - 1;
      if (last && !hasMissing) break;
      const bin = last ? this.binned.nBins[f]! - 1 : (b + touched[t + 1]! - 1) >> 1;
      const gainRight = this.splitGain(acc, hist, mo, 0, parent);
      if (gainRight > best.gain) best = { feasible: true, gain: gainRight, bin, missingLeft: false };
      if (hasMissing && !last) {
        const gainLeft = this.splitGain(acc, hist, mo, 1, parent);
        if (gainLeft > best.gain) best = { feasible: true, gain: gainLeft, bin, missingLeft: true };
      }
    }
    // Rows missing at predict time follow the heavier child when training saw none (as sklearn HGB).
    if (best.feasible && !hasMissing) best.missingLeft = this.leftWeight(best.bin, nt) >= node[0]! / 2;
    return best;
  }

  private leftWeight(bin: number, nt: number): number {
    let w = 0;
    for (let t = 0; t < nt; t++) if (this.touched[t]! <= bin) w += this.hist[this.touched[t]! * this.stride]!;
    return w;
  }

  /** Gain of left = acc (+ missing when `withMissing`), right = node − left; −Infinity if infeasible. */
  private splitGain(acc: Float64Array, hist: Float64Array, mo: number, withMissing: number, parent: number): number {
    const { node, stride } = this;
    const cl = acc[1]! + withMissing * hist[mo + 1]!;
    const cr = node[1]! - cl;
    const min = this.params.minSamplesLeaf;
    if (cl < min || cr < min) return -Infinity;
    const left = this.left;
    const right = this.right;
    for (let c = 0; c < stride; c++) {
      left[c] = acc[c]! + withMissing * hist[mo + c]!;
      right[c] = node[c]! - left[c]!;
    }
    if (left[0]! <= 0 || right[0]! <= 0) return -Infinity;
    return this.proxy(left) + this.proxy(right) - parent;
  }

  private readonly left = new Float64Array(258);
  private readonly right = new Float64Array(258);

  /** −(weighted impurity) up to a constant: Σ s²/w (gini, mse) or Σ s ln s − w ln w (entropy). */
  private proxy(stats: Float64Array): number {
    const w = stats[0]!;
    let total = 0;
    if (this.params.criterion === 'entropy') {
      for (let j = 0; j < this.k; j++) {
        const s = stats[2 + j]!;
        if (s > 0) total += s * Math.log(s);
      }
      return total - w * Math.log(w);
    }
    for (let j = 0; j < this.k; j++) total += stats[2 + j]! * stats[2 + j]!;
    return total / w;
  }

  /** Stable in-place partition of the node's rows; returns the first index of the right child. */
  private partition(p: Pending): number {
    // A module-local copy: bundlers may compile the import to a getter, too slow per row.
    const missingBin = MISSING_BIN;
    const { codes, rows: n } = this.binned;
    const off = p.feature * n;
    const idx = this.idx;
    let l = p.start;
    let s = 0;
    for (let i = p.start; i < p.end; i++) {
      const r = idx[i]!;
      const c = codes[off + r]!;
      const goLeft = c <= p.bin || (c === missingBin && p.missingLeft);
      if (goLeft) idx[l++] = r;
      else this.scratch[s++] = r;
    }
    idx.set(this.scratch.subarray(0, s), l);
    return l;
  }
}

function takeBest(frontier: Pending[]): Pending {
  let best = 0;
  for (let i = 1; i < frontier.length; i++) if (frontier[i]!.gain > frontier[best]!.gain) best = i;
  const [p] = frontier.splice(best, 1);
  return p!;
}
