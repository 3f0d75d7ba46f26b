import type { Matrix, Tree, TreeEnsemble } from '../ml/types';
import { throwIfAborted, UserInputError } from '../base/errors';
import type { CancelSignal } from '../base/signal';

/**
 * SHAP values of a tree ensemble's raw output (before its post-transform): `values[(r * nFeatures
 * + f) * nOutputs + k]`. For every row and output, expectedValue[k] + Σ_f values = the raw score
 * (baseScore + summed or averaged leaves).
 */
export interface ShapValues {
  rows: number;
  nFeatures: number;
  nOutputs: number;
  values: Float64Array;
  expectedValue: Float64Array;
}

/**
 * Exact path-dependent TreeSHAP (Lundberg et al. 2018, Algorithm 2): O(leaves · depth²) per tree
 * and row. Absent features follow both children weighted by `cover`; NaN follows `missingLeft`.
 */
export function treeShap(ensemble: TreeEnsemble, x: Matrix, signal?: CancelSignal): ShapValues {
  if (x.cols !== ensemble.nFeatures) throw new UserInputError(`The model expects ${ensemble.nFeatures} features, got ${x.cols}`);
  const k = ensemble.nOutputs;
  const values = new Float64Array(x.rows * x.cols * k);
  const expectedValue = Float64Array.from(ensemble.baseScore);
  const scale = ensemble.aggregate === 'average' && ensemble.trees.length > 0 ? 1 / ensemble.trees.length : 1;
  const depth = maxDepth(ensemble.trees);
  ensureReciprocals(depth);
  const walker = new ShapWalker(k, depth);
  for (const tree of ensemble.trees) {
    throwIfAborted(signal);
    const mean = expectedLeafValue(tree, k);
    for (let j = 0; j < k; j++) expectedValue[j]! += scale * mean[j]!;
    if (tree.left[0] === -1) continue;
    walker.setTree(tree, scale);
    for (let r = 0; r < x.rows; r++) walker.explain(x.data, r * x.cols, values, r * x.cols * k);
  }
  return { rows: x.rows, nFeatures: x.cols, nOutputs: k, values, expectedValue };
}

/** Cover-weighted mean leaf value: the tree's output when no feature is known. */
export function expectedLeafValue(tree: Tree, k: number): Float64Array {
  const out = new Float64Array(k);
  const stack: Array<[number, number]> = [[0, 1]];
  while (stack.length > 0) {
    const [node, weight] = stack.pop()!;
    const l = tree.left[node]!;
    if (l === -1) {
      for (let j = 0; j < k; j++) out[j]! += weight * tree.value[node * k + j]!;
      continue;
    }
    const r = tree.right[node]!;
    const c = tree.cover[node]!;
    stack.push([l, (weight * tree.cover[l]!) / c], [r, (weight * tree.cover[r]!) / c]);
  }
  return out;
}

function maxDepth(trees: readonly Tree[]): number {
  let deepest = 0;
  for (const tree of trees) {
    const depth = new Int32Array(tree.left.length);
    for (let i = 0; i < tree.left.length; i++) {
      if (tree.left[i] === -1) continue;
      depth[tree.left[i]!] = depth[i]! + 1;
      depth[tree.right[i]!] = depth[i]! + 1;
      deepest = Math.max(deepest, depth[i]! + 1);
    }
  }
  return deepest;
}

/**
 * The recursion of Algorithm 2 over one preallocated path buffer: element e of the path segment
 * starting at p is `path[(p + e) * 4 + {0: feature, 1: zero fraction, 2: one fraction, 3: weight}]`.
 */
class ShapWalker {
  private readonly path: Float64Array;
  private tree!: Tree;
  private scale = 1;
  private data!: Float64Array;
  private rowBase = 0;
  private phi!: Float64Array;
  private phiBase = 0;

  constructor(private readonly k: number, depth: number) {
    this.path = new Float64Array((((depth + 3) * (depth + 4)) / 2) * 4);
  }

  setTree(tree: Tree, scale: number): void {
    this.tree = tree;
    this.scale = scale;
  }

  explain(data: Float64Array, rowBase: number, phi: Float64Array, phiBase: number): void {
    this.data = data;
    this.rowBase = rowBase;
    this.phi = phi;
    this.phiBase = phiBase;
    this.recurse(0, 0, 0, 1, 1, -1);
  }

  private recurse(node: number, depth: number, parent: number, pz: number, po: number, pf: number): void {
    const path = this.path;
    const p = parent + depth + 1;
    // Copy the parent's segment forward (from the end: the ranges may overlap by one element).
    for (let i = (depth + 1) * 4 - 1; i >= 0; i--) path[p * 4 + i] = path[parent * 4 + i]!;
    extendPath(path, p, depth, pz, po, pf);
    const t = this.tree;
    const l = t.left[node]!;
    if (l === -1) {
      this.addLeaf(node, p, depth);
      return;
    }
    const f = t.feature[node]!;
    const v = this.data[this.rowBase + f]!;
    const r = t.right[node]!;
    const goLeft = v <= t.threshold[node]! || (v !== v && t.missingLeft[node] === 1);
    const hot = goLeft ? l : r;
    const cold = goLeft ? r : l;
    const c = t.cover[node]!;
    let iz = 1;
    let io = 1;
    let d = depth;
    let i = 0;
    while (i <= d && path[(p + i) * 4] !== f) i++;
    if (i <= d) {
      iz = path[(p + i) * 4 + 1]!;
      io = path[(p + i) * 4 + 2]!;
      unwindPath(path, p, d, i);
      d--;
    }
    this.recurse(hot, d + 1, p, (t.cover[hot]! / c) * iz, io, f);
    this.recurse(cold, d + 1, p, (t.cover[cold]! / c) * iz, 0, f);
  }

  private addLeaf(node: number, p: number, depth: number): void {
    const { k, path, phi } = this;
    const value = this.tree.value;
    for (let i = 1; i <= depth; i++) {
      const e = (p + i) * 4;
      const w = unwoundPathSum(path, p, depth, i) * (path[e + 2]! - path[e + 1]!) * this.scale;
      const o = this.phiBase + path[e]! * k;
      for (let j = 0; j < k; j++) phi[o + j]! += w * value[node * k + j]!;
    }
  }
}

/** 1/n for 0 < n ≤ deepest tree + 1: the path recursions divide only by small integers. */
let INV = new Float64Array(0);

function ensureReciprocals(depth: number): void {
  if (INV.length > depth + 2) return;
  INV = Float64Array.from({ length: depth + 3 }, (_, n) => (n === 0 ? 0 : 1 / n));
}

function extendPath(path: Float64Array, p: number, d: number, zero: number, one: number, f: number): void {
  const e = (p + d) * 4;
  path[e] = f;
  path[e + 1] = zero;
  path[e + 2] = one;
  path[e + 3] = d === 0 ? 1 : 0;
  const inv = INV[d + 1]!;
  for (let i = d - 1; i >= 0; i--) {
    const w = (p + i) * 4 + 3;
    const pw = path[w]! * inv;
    path[w + 4]! += one * pw * (i + 1);
    path[w] = zero * pw * (d - i);
  }
}

function unwindPath(path: Float64Array, p: number, d: number, index: number): void {
  const one = path[(p + index) * 4 + 2]!;
  const zero = path[(p + index) * 4 + 1]!;
  let next = path[(p + d) * 4 + 3]!;
  for (let i = d - 1; i >= 0; i--) {
    const w = (p + i) * 4 + 3;
    if (one !== 0) {
      const tmp = path[w]!;
      path[w] = (next * (d + 1)) / ((i + 1) * one);
      next = tmp - (path[w]! * zero * (d - i)) / (d + 1);
    } else {
      path[w] = (path[w]! * (d + 1)) / (zero * (d - i));
    }
  }
  for (let i = index; i < d; i++) {
    const e = (p + i) * 4;
    path[e] = path[e + 4]!;
    path[e + 1] = path[e + 5]!;
    path[e + 2] = path[e + 6]!;
  }
}

function unwoundPathSum(path: Float64Array, p: number, d: number, index: number): number {
  const one = path[(p + index) * 4 + 2]!;
  const zero = path[(p + index) * 4 + 1]!;
  let next = path[(p + d) * 4 + 3]!;
  let total = 0;
  const invD = INV[d + 1]!;
  if (one !== 0) {
    const scaled = (d + 1) / one;
    for (let i = d - 1; i >= 0; i--) {
      const tmp = next * scaled * INV[i + 1]!;
      total += tmp;
      next = path[(p + i) * 4 + 3]! - tmp * zero * (d - i) * invD;
    }
  } else if (zero !== 0) {
    const scaled = (d + 1) / zero;
    for (let i = d - 1; i >= 0; i--) total += path[(p + i) * 4 + 3]! * scaled * INV[d - i]!;
  }
  return total;
}
