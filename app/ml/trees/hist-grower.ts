import type { Tree } from '../types';
import { MISSING_BIN, binThreshold, type BinnedMatrix } from './binning';
import { BIN_STRIDE, FEATURE_STRIDE, binCounts, countsAsHessians, gather, nodeHistogram, rootHistogram } from './hist-kernels';
import { fillModeBins, sparseBins, sparseNodeHistogram, sparseRootHistogram, type SparseBins } from './sparse-bins';
import { TreeBuilder } from './tree-builder';

/** Growth parameters of one gradient-boosting tree (sklearn HistGradientBoosting names). */
export interface HistTreeParams {
  maxLeafNodes: number;
  maxDepth: number;
  minSamplesLeaf: number;
  l2Regularization: number;
  minHessianToSplit: number;
  learningRate: number;
  /** false: every feature histogrammed column-wise, none from the sparse index (default true). */
  sparse?: boolean;
}

interface Split {
  gain: number;
  feature: number;
  bin: number;
  missingLeft: boolean;
  g: number;
  h: number;
  c: number;
}

interface GrowNode {
  id: number;
  start: number;
  end: number;
  depth: number;
  g: number;
  h: number;
  hist: Float64Array | undefined;
  split: Split | undefined;
}

/**
 * Grows leaf-wise (best gain first) histogram trees on one binned training matrix, reusing its
 * buffers across trees. Histograms hold (Σg, Σh, count) per bin; the larger child's histogram is the
 * parent's minus the smaller child's. After `grow`, `addLeafValues` adds each leaf's value to the
 * training rows that reached it, without walking the tree.
 */
export class HistGrower {
  private readonly idx: Uint32Array;
  private readonly scratch: Uint32Array;
  private readonly goLeft = new Uint8Array(256);
  private readonly og: Float64Array;
  private readonly oh: Float64Array;
  private readonly pool: Float64Array[] = [];
  private readonly leaves: GrowNode[] = [];
  private readonly leafValues: number[] = [];
  private g: Float64Array = new Float64Array(0);
  private h: Float64Array | undefined;
  private builder: TreeBuilder = new TreeBuilder(1);
  /** Each bin's row count, the same for every tree. */
  private readonly rootCounts: Float64Array;
  private readonly sparse: SparseBins | undefined;
  /** Features histogrammed column by column (all of them unless some are sparse). */
  private readonly dense: Int32Array;

  constructor(private readonly binned: BinnedMatrix, private readonly params: HistTreeParams) {
    this.idx = new Uint32Array(binned.rows);
    this.scratch = new Uint32Array(binned.rows);
    this.og = new Float64Array(binned.rows);
    this.oh = new Float64Array(binned.rows);
    this.rootCounts = binCounts(binned);
    this.sparse = params.sparse === false ? undefined : sparseBins(binned, this.rootCounts);
    this.dense = this.sparse?.dense ?? Int32Array.from({ length: binned.cols }, (_, f) => f);
  }

  /**
   * Grows one tree on gradients `g` and hessians `h` (undefined = constant hessian 1). Leaf values
   * are −learningRate·G/(H+λ), written at `outputIndex` of an `nOutputs`-vector (multiclass trees
   * hold zeros for the other classes).
   */
  grow(g: Float64Array, h: Float64Array | undefined, nOutputs: number, outputIndex: number): Tree {
    this.g = g;
    this.h = h;
    this.builder = new TreeBuilder(nOutputs);
    this.leaves.length = 0;
    this.leafValues.length = 0;
    const n = this.binned.rows;
    resetRows(this.idx);
    const sumG = sum(g);
    const sumH = h ? sum(h) : n;
    const root = this.makeNode(0, n, 0, sumG, sumH, nOutputs, outputIndex);
    const open: GrowNode[] = [];
    if (this.mayBeSplit(root)) {
      root.hist = this.acquire();
      this.buildRootHistogram(root.hist, sumG, sumH);
      this.considerSplit(root, open);
    } else {
      this.finalize(root);
    }
    let nLeaves = 1;
    while (open.length > 0 && nLeaves < this.params.maxLeafNodes) {
      this.splitNode(takeBest(open), open, nOutputs, outputIndex, nLeaves + 1 >= this.params.maxLeafNodes);
      nLeaves++;
    }
    for (const node of open) this.finalize(node);
    return this.builder.finish();
  }

  /** Adds the last tree's leaf values to `raw[offset + row]` for every training row. */
  addLeafValues(raw: Float64Array, offset: number): void {
    for (let l = 0; l < this.leaves.length; l++) {
      const leaf = this.leaves[l]!;
      const v = this.leafValues[l]!;
      for (let i = leaf.start; i < leaf.end; i++) raw[offset + this.idx[i]!]! += v;
    }
  }

  private leafValue(g: number, h: number): number {
    return (-this.params.learningRate * g) / (h + this.params.l2Regularization);
  }

  private makeNode(start: number, end: number, depth: number, g: number, h: number, k: number, out: number): GrowNode {
    const value = new Float64Array(k);
    value[out] = this.leafValue(g, h);
    const id = this.builder.addLeaf(end - start, value);
    return { id, start, end, depth, g, h, hist: undefined, split: undefined };
  }

  private mayBeSplit(node: GrowNode): boolean {
    return node.depth < this.params.maxDepth && node.end - node.start >= 2 * this.params.minSamplesLeaf;
  }

  private finalize(node: GrowNode): void {
    if (node.hist) this.pool.push(node.hist);
    node.hist = undefined;
    this.leaves.push(node);
    this.leafValues.push(this.leafValue(node.g, node.h));
  }

  private considerSplit(node: GrowNode, open: GrowNode[]): void {
    node.split = this.findSplit(node);
    if (node.split) open.push(node);
    else this.finalize(node);
  }

  /** Splits `node`; after the `last` split allowed the children are leaves, so no histograms (as sklearn). */
  private splitNode(node: GrowNode, open: GrowNode[], k: number, out: number, last: boolean): void {
    const s = node.split!;
    const mid = this.partition(node, s);
    const left = this.makeNode(node.start, mid, node.depth + 1, s.g, s.h, k, out);
    const right = this.makeNode(mid, node.end, node.depth + 1, node.g - s.g, node.h - s.h, k, out);
    const threshold = binThreshold(this.binned.mapper, s.feature, s.bin);
    this.builder.setSplit(node.id, s.feature, threshold, s.missingLeft, left.id, right.id);
    const splitLeft = !last && this.mayBeSplit(left);
    const splitRight = !last && this.mayBeSplit(right);
    if (splitLeft || splitRight) {
      const parentHist = node.hist!;
      const leftIsSmaller = mid - node.start <= node.end - mid;
      const small = leftIsSmaller ? left : right;
      const large = leftIsSmaller ? right : left;
      small.hist = this.acquire();
      this.buildHistogram(small.hist, small);
      this.subtractInPlace(parentHist, small.hist);
      large.hist = parentHist;
    } else {
      this.pool.push(node.hist!);
    }
    node.hist = undefined;
    if (splitLeft) this.considerSplit(left, open);
    else this.finalize(left);
    if (splitRight) this.considerSplit(right, open);
    else this.finalize(right);
  }

  private acquire(): Float64Array {
    const hist = this.pool.pop();
    if (!hist) return new Float64Array(this.binned.cols * FEATURE_STRIDE);
    const { nBins, cols } = this.binned;
    for (let f = 0; f < cols; f++) {
      const ho = f * FEATURE_STRIDE;
      const end = ho + nBins[f]! * BIN_STRIDE;
      for (let i = ho; i < end; i++) hist[i] = 0;
      for (let i = ho + MISSING_BIN * BIN_STRIDE; i < ho + FEATURE_STRIDE; i++) hist[i] = 0;
    }
    return hist;
  }

  /** parent −= child over the bins in use (real bins and the missing bin), the rest stay zero. */
  private subtractInPlace(parent: Float64Array, child: Float64Array): void {
    const { nBins, cols } = this.binned;
    for (let f = 0; f < cols; f++) {
      const ho = f * FEATURE_STRIDE;
      const end = ho + nBins[f]! * BIN_STRIDE;
      for (let i = ho; i < end; i++) parent[i] = parent[i]! - child[i]!;
      for (let i = ho + MISSING_BIN * BIN_STRIDE; i < ho + FEATURE_STRIDE; i++) parent[i] = parent[i]! - child[i]!;
    }
  }

  /**
   * The root's histograms. The count channel (and the hessian one under a constant hessian) is
   * each bin's row count, the same for every tree: copied in.
   */
  private buildRootHistogram(hist: Float64Array, sumG: number, sumH: number): void {
    const { g, h, rootCounts: counts, sparse } = this;
    rootHistogram(hist, this.binned, this.dense, g, h);
    if (sparse) sparseRootHistogram(hist, sparse, g, h);
    for (let q = 0; q < counts.length; q++) {
      const o = q * BIN_STRIDE;
      hist[o + 2] = counts[q]!;
      if (!h) hist[o + 1] = counts[q]!;
    }
    if (sparse) fillModeBins(hist, sparse, this.binned.nBins, [sumG, sumH], h ? 2 : 1);
  }

  /** The histograms of `node`'s rows (its g and h gathered first, so they are read in order). */
  private buildHistogram(hist: Float64Array, node: GrowNode): void {
    const { idx, og, oh, g, h, sparse } = this;
    const { start, end } = node;
    gather(idx, start, end, g, h, og, oh);
    nodeHistogram(hist, this.binned, this.dense, idx, start, end, og, h ? oh : undefined);
    if (!h) countsAsHessians(hist, this.dense, this.binned.nBins);
    if (sparse) {
      sparseNodeHistogram(hist, sparse, idx, start, end, og, oh);
      fillModeBins(hist, sparse, this.binned.nBins, [node.g, node.h, end - start], 3);
    }
  }

  private findSplit(node: GrowNode): Split | undefined {
    const best: Split = { gain: 0, feature: -1, bin: 0, missingLeft: false, g: 0, h: 0, c: 0 };
    for (let f = 0; f < this.binned.cols; f++) this.scanFeature(node, f, best);
    return best.feature === -1 ? undefined : best;
  }

  /**
   * Updates `best` with feature f's best bin: a left-to-right scan with missing values right, then
   * with missing values left (sklearn's order). Only gains > 0 count.
   */
  private scanFeature(node: GrowNode, f: number, best: Split): void {
    const hist = node.hist!;
    const { minSamplesLeaf, minHessianToSplit, l2Regularization: l2 } = this.params;
    const ho = f * FEATURE_STRIDE;
    const count = node.end - node.start;
    const { g: nodeG, h: nodeH } = node;
    const parent = (nodeG * nodeG) / (nodeH + l2);
    const mo = ho + MISSING_BIN * BIN_STRIDE;
    // Locals, not object fields, in the per-bin loop: V8 reloads fields after every store.
    let bestGain = best.gain;
    const nb = this.binned.nBins[f]!;
    const hasMissing = this.binned.hasMissing[f] === 1;
    for (let pass = 0; pass < (hasMissing ? 2 : 1); pass++) {
      let gl = pass * hist[mo]!;
      let hl = pass * hist[mo + 1]!;
      let cl = pass * hist[mo + 2]!;
      const last = pass === 0 && hasMissing ? nb - 1 : nb - 2;
      for (let b = 0; b <= last; b++) {
        const o = ho + b * BIN_STRIDE;
        gl += hist[o]!;
        hl += hist[o + 1]!;
        cl += hist[o + 2]!;
        if (cl < minSamplesLeaf) continue;
        if (count - cl < minSamplesLeaf) break;
        const hr = nodeH - hl;
        if (hl < minHessianToSplit || hr < minHessianToSplit) continue;
        const gr = nodeG - gl;
        const gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parent;
        if (gain <= bestGain) continue;
        bestGain = gain;
        best.gain = gain;
        best.feature = f;
        best.bin = b;
        // Without missing values in training, NaN at predict time follows the larger child (as sklearn).
        best.missingLeft = hasMissing ? pass === 1 : cl >= count - cl;
        best.g = gl;
        best.h = hl;
        best.c = cl;
      }
    }
  }

  /**
   * Stable in-place partition of the node's rows, left rows first. Branch-free: every row is
   * written to both sides and only the cursor of its side moves, so the CPU never mispredicts
   * on the (random) side of a row.
   */
  private partition(node: GrowNode, s: Split): number {
    const goLeft = this.goLeft;
    for (let c = 0; c < 256; c++) goLeft[c] = c <= s.bin ? 1 : 0;
    goLeft[MISSING_BIN] = s.missingLeft ? 1 : 0;
    const { codes, rows: n } = this.binned;
    return partitionRows(this.idx, this.scratch, codes.subarray(s.feature * n, (s.feature + 1) * n), goLeft, node.start, node.end);
  }
}

/** The partition loop, in its own small function so V8 optimises it fully. */
function partitionRows(idx: Uint32Array, scratch: Uint32Array, column: Uint8Array, goLeft: Uint8Array, start: number, end: number): number {
  let l = start;
  let k = 0;
  for (let i = start; i < end; i++) {
    const r = idx[i]!;
    const left = goLeft[column[r]!]!;
    idx[l] = r;
    scratch[k] = r;
    l += left;
    k += 1 - left;
  }
  idx.set(scratch.subarray(0, k), l);
  return l;
}

function resetRows(idx: Uint32Array): void {
  for (let i = 0; i < idx.length; i++) idx[i] = i;
}

function sum(values: Float64Array): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  return total;
}

function takeBest(open: GrowNode[]): GrowNode {
  let best = 0;
  for (let i = 1; i < open.length; i++) if (open[i]!.split!.gain > open[best]!.split!.gain) best = i;
  const [node] = open.splice(best, 1);
  return node!;
}
