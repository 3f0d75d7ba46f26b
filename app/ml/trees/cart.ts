import type { Tree } from '../types';
import { createRng, type Rng } from '../../base/rng';
import { MISSING_BIN, binThreshold, type BinnedMatrix } from './binning';
import { CartRows } from './cart-rows';
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
  /** Features found constant in this node (1 = constant): constant in every descendant too. */
  constant: Uint8Array | undefined;
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
  private readonly isClassifier: boolean;
  private readonly isEntropy: boolean;
  private readonly rows: CartRows;
  private readonly hist: Float64Array;
  private readonly featureSize: number;
  private readonly chosen: Int32Array;
  private readonly active: Int32Array;
  private readonly touched = new Int32Array(256);
  private readonly node: Float64Array;
  private readonly acc: Float64Array;
  private readonly perm: Int32Array;
  private readonly builder: TreeBuilder;

  constructor(
    private readonly binned: BinnedMatrix,
    target: TreeTarget,
    rows: Uint32Array,
    private readonly params: CartParams,
    private readonly rng: Rng,
  ) {
    this.k = target.kind === 'classification' ? target.nClasses : 1;
    this.stride = 2 + this.k;
    this.isClassifier = target.kind === 'classification';
    this.rows = new CartRows(binned, target, rows);
    this.isEntropy = params.criterion === 'entropy';
    this.featureSize = 256 * this.stride;
    this.hist = new Float64Array(Math.min(params.maxFeatures, binned.cols) * this.featureSize);
    this.chosen = new Int32Array(binned.cols);
    this.active = new Int32Array(binned.cols);
    this.node = new Float64Array(this.stride);
    this.acc = new Float64Array(this.stride);
    this.perm = Int32Array.from({ length: binned.cols }, (_, i) => i);
    this.builder = new TreeBuilder(this.k);
  }

  grow(): Tree {
    const frontier: Pending[] = [];
    const root = this.evaluate(0, this.rows.size, 0, undefined);
    if (root.split) frontier.push(root.split);
    let leaves = 1;
    const maxLeaves = this.params.maxLeafNodes ?? Infinity;
    while (frontier.length > 0 && leaves < maxLeaves) {
      const p = this.params.maxLeafNodes === undefined ? frontier.pop()! : takeBest(frontier);
      const mid = this.rows.partition(p.start, p.end, p.feature, p.bin, p.missingLeft);
      const left = this.evaluate(p.start, mid, p.depth + 1, p.constant);
      const right = this.evaluate(mid, p.end, p.depth + 1, p.constant);
      const threshold = binThreshold(this.binned.mapper, p.feature, p.bin);
      this.builder.setSplit(p.id, p.feature, threshold, p.missingLeft, left.id, right.id);
      leaves++;
      if (right.split) frontier.push(right.split);
      if (left.split) frontier.push(left.split);
    }
    return this.builder.finish();
  }

  /**
   * Adds the node as a leaf; `split` is its best split when it may be split. `constant`: features
   * already known constant here (found so in an ancestor).
   */
  private evaluate(start: number, end: number, depth: number, constant: Uint8Array | undefined): { id: number; split: Pending | undefined } {
    const stats = this.nodeStats(start, end);
    const value = new Float64Array(this.k);
    for (let j = 0; j < this.k; j++) value[j] = stats.w > 0 ? this.node[2 + j]! / stats.w : 0;
    const id = this.builder.addLeaf(stats.w, value);
    const count = end - start;
    const p = this.params;
    const isLeaf = depth >= p.maxDepth || count < p.minSamplesSplit || count < 2 * p.minSamplesLeaf || stats.impurity <= 1e-7;
    return { id, split: isLeaf ? undefined : this.findSplit(id, start, end, depth, constant) };
  }

  private nodeStats(start: number, end: number): { w: number; impurity: number } {
    const { node } = this;
    const { weight, channel, wy, wyy } = this.rows;
    node.fill(0);
    let sumSq = 0;
    for (let i = start; i < end; i++) {
      node[0]! += weight[i]!;
      node[channel[i]!]! += this.isClassifier ? weight[i]! : wy[i]!;
    }
    if (!this.isClassifier) for (let i = start; i < end; i++) sumSq += wyy[i]!;
    node[1] = end - start;
    const w = node[0]!;
    if (!this.isClassifier) return { w, impurity: w > 0 ? sumSq / w - (node[2]! / w) ** 2 : 0 };
    let maxFrac = 0;
    for (let j = 0; j < this.k; j++) maxFrac = Math.max(maxFrac, node[2 + j]! / w);
    return { w, impurity: 1 - maxFrac };
  }

  /**
   * Draws features in random order until `maxFeatures` non-constant ones were scanned (as sklearn).
   * Each batch of drawn features is histogrammed in one pass over the node's rows: with row-major
   * codes a row's bins share a cache line. Features known constant from an ancestor are drawn as
   * before (the same random sequence, so the same tree) but not histogrammed: deep nodes of
   * one-hot data have most features constant, and sklearn skips them the same way.
   */
  private findSplit(id: number, start: number, end: number, depth: number, inherited: Uint8Array | undefined): Pending | undefined {
    const cols = this.binned.cols;
    const want = Math.min(this.params.maxFeatures, cols);
    let best: Pending | undefined;
    let constant = inherited, owned = false;
    let visited = 0;
    let j = 0;
    while (visited < want && j < cols) {
      const batch = Math.min(want - visited, cols - j);
      let active = 0;
      for (let b = 0; b < batch; b++, j++) {
        const swap = j + this.rng.int(cols - j);
        const f = this.perm[swap]!;
        this.perm[swap] = this.perm[j]!;
        this.perm[j] = f;
        this.chosen[b] = f;
        if (constant?.[f] !== 1) this.active[active++] = f;
      }
      this.buildHistograms(active, start, end);
      for (let b = 0, slot = 0; b < batch; b++) {
        const f = this.chosen[b]!;
        if (constant?.[f] === 1) continue;
        const ho = slot++ * this.featureSize;
        const nt = end - start > 128 ? this.touchedByBins(f, ho) : this.touchedByRows(f, start, end);
        const candidate = this.scanFeature(f, ho, nt);
        this.clearHistogram(ho, nt);
        if (candidate === undefined) {
          if (!owned) { constant = constant ? constant.slice() : new Uint8Array(cols); owned = true; }
          constant![f] = 1;
          continue;
        }
        visited++;
        if (candidate.feasible && (!best || candidate.gain > best.gain)) {
          best = { id, start, end, depth, feature: f, bin: candidate.bin, missingLeft: candidate.missingLeft, gain: candidate.gain, constant: undefined };
        }
      }
    }
    if (best) best.constant = constant;
    return best;
  }

  /** Accumulates the first `count` features of `active` over the node's rows into their histograms. */
  private buildHistograms(count: number, start: number, end: number): void {
    const { hist, stride, active, featureSize, isClassifier } = this;
    const { weight: ow, channel: oc, wy: oa, codes8: pc8, rowBytes } = this.rows;
    for (let i = start; i < end; i++) {
      const base = i * rowBytes;
      const wt = ow[i]!;
      const channel = oc[i]!;
      // A classifier adds the weight itself (`wy` is empty then).
      const add = isClassifier ? wt : oa[i]!;
      for (let b = 0; b < count; b++) {
        const o = b * featureSize + pc8[base + active[b]!]! * stride;
        hist[o]! += wt;
        hist[o + 1]! += 1;
        hist[o + channel]! += add;
      }
    }
  }

  /** Large nodes: the occupied bins, in order, by one pass over the feature's bins. */
  private touchedByBins(f: number, ho: number): number {
    const { hist, stride, touched } = this;
    const nb = this.binned.nBins[f]!;
    let nt = 0;
    for (let b = 0; b < nb; b++) if (hist[ho + b * stride + 1] !== 0) touched[nt++] = b;
    if (hist[ho + MISSING_BIN * stride + 1] !== 0) touched[nt++] = MISSING_BIN;
    return nt;
  }

  /** Small nodes: the occupied bins from the rows themselves (cheaper than visiting 255 bins). */
  private touchedByRows(f: number, start: number, end: number): number {
    const { touched, seen } = this;
    const { codes8: pc8, rowBytes } = this.rows;
    const stamp = ++this.stamp;
    let nt = 0;
    for (let i = start; i < end; i++) {
      const b = pc8[i * rowBytes + f]!;
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

  private clearHistogram(ho: number, nt: number): void {
    const { hist, stride, touched } = this;
    for (let t = 0; t < nt; t++) {
      const o = ho + touched[t]! * stride;
      for (let c = 0; c < stride; c++) hist[o + c] = 0;
    }
  }

  /** Best split of one histogram; undefined when the feature is constant in the node. */
  private scanFeature(f: number, ho: number, nt: number): { feasible: boolean; gain: number; bin: number; missingLeft: boolean } | undefined {
    const { hist, stride, acc, node, touched } = this;
    const hasMissing = touched[nt - 1] === MISSING_BIN;
    const nReal = hasMissing ? nt - 1 : nt;
    if (nReal === 0 || (nReal === 1 && !hasMissing)) return undefined;
    if (!hasMissing && !this.isEntropy && this.k <= 2) return this.scanSquares(ho, nt);
    const mo = ho + MISSING_BIN * stride;
    const parent = this.proxy(node);
    acc.fill(0);
    let best = { feasible: false, gain: -Infinity, bin: 0, missingLeft: false };
    for (let t = 0; t < nReal; t++) {
      const b = touched[t]!;
      for (let c = 0; c < stride; c++) acc[c]! += hist[ho + b * stride + c]!;
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
    if (best.feasible && !hasMissing) best.missingLeft = this.leftWeight(ho, best.bin, nt) >= node[0]! / 2;
    return best;
  }

  /**
   * `scanFeature` for the common case — no missing value in the node, gini or squared error with
   * one or two channels — on scalar running sums instead of the `acc` vector. Same sums in the
   * same order as `splitGain`, so the same gains to the bit.
   */
  private scanSquares(ho: number, nt: number): { feasible: boolean; gain: number; bin: number; missingLeft: boolean } {
    const { hist, stride, node, touched } = this;
    const min = this.params.minSamplesLeaf;
    const two = this.k === 2;
    const parent = this.proxy(node);
    const w = node[0]!, count = node[1]!, s0 = node[2]!, s1 = two ? node[3]! : 0;
    let wl = 0, cl = 0, a0 = 0, a1 = 0;
    let bestGain = -Infinity, bestBin = 0, feasible = false;
    for (let t = 0; t < nt - 1; t++) {
      const b = touched[t]!, o = ho + b * stride;
      wl += hist[o]!;
      cl += hist[o + 1]!;
      a0 += hist[o + 2]!;
      if (two) a1 += hist[o + 3]!;
      const cr = count - cl, wr = w - wl;
      if (cl < min || cr < min || wl <= 0 || wr <= 0) continue;
      const b0 = s0 - a0, b1 = s1 - a1;
      const gain = two ? (a0 * a0 + a1 * a1) / wl + (b0 * b0 + b1 * b1) / wr - parent : (a0 * a0) / wl + (b0 * b0) / wr - parent;
      if (gain > bestGain) { bestGain = gain; bestBin = (b + touched[t + 1]! - 1) >> 1; feasible = true; }
    }
    const missingLeft = feasible && this.leftWeight(ho, bestBin, nt) >= w / 2;
    return { feasible, gain: bestGain, bin: bestBin, missingLeft };
  }

  private leftWeight(ho: number, bin: number, nt: number): number {
    let w = 0;
    for (let t = 0; t < nt; t++) if (this.touched[t]! <= bin) w += this.hist[ho + this.touched[t]! * this.stride]!;
    return w;
  }

  /** Gain of left = acc (+ missing when `withMissing`), right = node − left; −Infinity if infeasible. */
  private splitGain(acc: Float64Array, hist: Float64Array, mo: number, withMissing: number, parent: number): number {
    const node = this.node;
    const cl = acc[1]! + withMissing * hist[mo + 1]!;
    const cr = node[1]! - cl;
    const min = this.params.minSamplesLeaf;
    if (cl < min || cr < min) return -Infinity;
    const wl = acc[0]! + withMissing * hist[mo]!;
    const wr = node[0]! - wl;
    if (wl <= 0 || wr <= 0) return -Infinity;
    let pl = 0;
    let pr = 0;
    if (this.isEntropy) {
      for (let j = 2; j < this.stride; j++) {
        const a = acc[j]! + withMissing * hist[mo + j]!;
        const b = node[j]! - a;
        if (a > 0) pl += a * Math.log(a);
        if (b > 0) pr += b * Math.log(b);
      }
      return pl - wl * Math.log(wl) + pr - wr * Math.log(wr) - parent;
    }
    for (let j = 2; j < this.stride; j++) {
      const a = acc[j]! + withMissing * hist[mo + j]!;
      const b = node[j]! - a;
      pl += a * a;
      pr += b * b;
    }
    return pl / wl + pr / wr - parent;
  }

  /** −(weighted impurity) up to a constant: Σ s²/w (gini, mse) or Σ s ln s − w ln w (entropy). */
  private proxy(stats: Float64Array): number {
    const w = stats[0]!;
    let total = 0;
    if (this.isEntropy) {
      for (let j = 0; j < this.k; j++) {
        const s = stats[2 + j]!;
        if (s > 0) total += s * Math.log(s);
      }
      return total - w * Math.log(w);
    }
    for (let j = 0; j < this.k; j++) total += stats[2 + j]! * stats[2 + j]!;
    return total / w;
  }
}

function takeBest(frontier: Pending[]): Pending {
  let best = 0;
  for (let i = 1; i < frontier.length; i++) if (frontier[i]!.gain > frontier[best]!.gain) best = i;
  const [p] = frontier.splice(best, 1);
  return p!;
}
