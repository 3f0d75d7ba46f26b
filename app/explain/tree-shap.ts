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
  const walker = new ShapWalker(k, maxDepth(ensemble.trees));
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

/** The recursion of Algorithm 2 over preallocated path arrays (one segment per depth). */
class ShapWalker {
  private readonly feat: Int32Array;
  private readonly zero: Float64Array;
  private readonly one: Float64Array;
  private readonly pw: Float64Array;
  private tree!: Tree;
  private scale = 1;
  private data!: Float64Array;
  private rowBase = 0;
  private phi!: Float64Array;
  private phiBase = 0;

  constructor(private readonly k: number, depth: number) {
    const size = ((depth + 3) * (depth + 4)) / 2;
    this.feat = new Int32Array(size);
    this.zero = new Float64Array(size);
    this.one = new Float64Array(size);
    this.pw = new Float64Array(size);
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
    const path = parent + depth + 1;
    this.feat.copyWithin(path, parent, parent + depth + 1);
    this.zero.copyWithin(path, parent, parent + depth + 1);
    this.one.copyWithin(path, parent, parent + depth + 1);
    this.pw.copyWithin(path, parent, parent + depth + 1);
    this.extend(path, depth, pz, po, pf);
    const t = this.tree;
    const l = t.left[node]!;
    if (l === -1) {
      this.addLeaf(node, path, depth);
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
    while (i <= d && this.feat[path + i] !== f) i++;
    if (i <= d) {
      iz = this.zero[path + i]!;
      io = this.one[path + i]!;
      this.unwind(path, d, i);
      d--;
    }
    this.recurse(hot, d + 1, path, (t.cover[hot]! / c) * iz, io, f);
    this.recurse(cold, d + 1, path, (t.cover[cold]! / c) * iz, 0, f);
  }

  private addLeaf(node: number, path: number, depth: number): void {
    const k = this.k;
    const value = this.tree.value;
    for (let i = 1; i <= depth; i++) {
      const w = this.unwoundSum(path, depth, i) * (this.one[path + i]! - this.zero[path + i]!) * this.scale;
      const o = this.phiBase + this.feat[path + i]! * k;
      for (let j = 0; j < k; j++) this.phi[o + j]! += w * value[node * k + j]!;
    }
  }

  private extend(p: number, d: number, zero: number, one: number, f: number): void {
    const pw = this.pw;
    this.feat[p + d] = f;
    this.zero[p + d] = zero;
    this.one[p + d] = one;
    pw[p + d] = d === 0 ? 1 : 0;
    for (let i = d - 1; i >= 0; i--) {
      pw[p + i + 1]! += (one * pw[p + i]! * (i + 1)) / (d + 1);
      pw[p + i] = (zero * pw[p + i]! * (d - i)) / (d + 1);
    }
  }

  private unwind(p: number, d: number, index: number): void {
    const pw = this.pw;
    const one = this.one[p + index]!;
    const zero = this.zero[p + index]!;
    let next = pw[p + d]!;
    for (let i = d - 1; i >= 0; i--) {
      if (one !== 0) {
        const tmp = pw[p + i]!;
        pw[p + i] = (next * (d + 1)) / ((i + 1) * one);
        next = tmp - (pw[p + i]! * zero * (d - i)) / (d + 1);
      } else {
        pw[p + i] = (pw[p + i]! * (d + 1)) / (zero * (d - i));
      }
    }
    for (let i = index; i < d; i++) {
      this.feat[p + i] = this.feat[p + i + 1]!;
      this.zero[p + i] = this.zero[p + i + 1]!;
      this.one[p + i] = this.one[p + i + 1]!;
    }
  }

  private unwoundSum(p: number, d: number, index: number): number {
    const pw = this.pw;
    const one = this.one[p + index]!;
    const zero = this.zero[p + index]!;
    let next = pw[p + d]!;
    let total = 0;
    for (let i = d - 1; i >= 0; i--) {
      if (one !== 0) {
        const tmp = (next * (d + 1)) / ((i + 1) * one);
        total += tmp;
        next = pw[p + i]! - (tmp * zero * (d - i)) / (d + 1);
      } else if (zero !== 0) {
        total += pw[p + i]! / zero / ((d - i) / (d + 1));
      }
    }
    return total;
  }
}
