import type { FittedModel, Matrix, Tree, TrainContext, TreeEnsemble } from '../types';
import { throwIfAborted, UserInputError } from '../../base/errors';
import { createRng, type Rng } from '../../base/rng';
import { deriveSeed } from './classes';
import { float32SafeThreshold } from './float32';
import { averagePathLength } from './predict';
import { TreeBuilder } from './tree-builder';

/** Parameters of an isolation forest (sklearn names and defaults). */
export interface IsolationForestParams {
  nEstimators?: number;
  /** Rows per tree, drawn without replacement; default min(256, rows). */
  maxSamples?: number;
}

/**
 * Isolation forest with sklearn's semantics. Each leaf's value is its depth + c(leaf size), so the
 * ensemble's average is E[h(x)] and `isolationScores` (−2^(−E[h]/c(ψ))) equals `score_samples`;
 * an ONNX TreeEnsembleRegressor (AVERAGE) plus Div/Neg/Pow ops reproduces it. Thresholds are
 * float32-safe, drawn uniformly between the node's min and max of a random non-constant feature.
 */
export function fitIsolationForest(x: Matrix, params: IsolationForestParams, ctx: TrainContext): FittedModel {
  if (x.rows < 1) throw new UserInputError('An isolation forest needs at least one row');
  const sampleSize = Math.min(params.maxSamples ?? 256, x.rows);
  const maxDepth = Math.ceil(Math.log2(Math.max(sampleSize, 2)));
  const nTrees = params.nEstimators ?? 100;
  const trees: Tree[] = [];
  for (let t = 0; t < nTrees; t++) {
    throwIfAborted(ctx.signal);
    const rng = createRng(deriveSeed(ctx.seed, t));
    trees.push(fitIsolationTree(x, sampleRows(x.rows, sampleSize, rng), maxDepth, rng));
    ctx.progress?.({ done: t + 1, total: nTrees, message: 'trees' });
  }
  const ensemble: TreeEnsemble = { trees, nFeatures: x.cols, nOutputs: 1, baseScore: new Float64Array(1), aggregate: 'average', postTransform: 'none' };
  return { kind: 'isolationForest', sampleSize, ensemble };
}

function sampleRows(n: number, size: number, rng: Rng): Uint32Array {
  const all = Uint32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < size; i++) {
    const j = i + rng.int(n - i);
    const tmp = all[i]!;
    all[i] = all[j]!;
    all[j] = tmp;
  }
  return all.slice(0, size).sort();
}

/** Grows one isolation tree on `rows` of `x` (depth-first, random feature and threshold per node). */
export function fitIsolationTree(x: Matrix, rows: Uint32Array, maxDepth: number, rng: Rng): Tree {
  const builder = new TreeBuilder(1);
  const idx = Uint32Array.from(rows);
  const scratch = new Uint32Array(rows.length);
  const leafValue = new Float64Array(1);
  const stack: Array<{ id: number; start: number; end: number; depth: number }> = [];
  leafValue[0] = averagePathLength(rows.length);
  stack.push({ id: builder.addLeaf(rows.length, leafValue), start: 0, end: rows.length, depth: 0 });
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.depth >= maxDepth || node.end - node.start <= 1) continue;
    const split = randomSplit(x, idx, node.start, node.end, rng);
    if (!split) continue;
    let l = node.start;
    let s = 0;
    for (let i = node.start; i < node.end; i++) {
      const r = idx[i]!;
      if (x.data[r * x.cols + split.feature]! <= split.threshold) idx[l++] = r;
      else scratch[s++] = r;
    }
    idx.set(scratch.subarray(0, s), l);
    const children = [
      { start: node.start, end: l },
      { start: l, end: node.end },
    ].map((c) => {
      leafValue[0] = node.depth + 1 + averagePathLength(c.end - c.start);
      return { id: builder.addLeaf(c.end - c.start, leafValue), start: c.start, end: c.end, depth: node.depth + 1 };
    });
    builder.setSplit(node.id, split.feature, split.threshold, false, children[0]!.id, children[1]!.id);
    stack.push(children[1]!, children[0]!);
  }
  return builder.finish();
}

/** Tries features in random order until one is not constant (as sklearn's random splitter). */
function randomSplit(x: Matrix, idx: Uint32Array, start: number, end: number, rng: Rng): { feature: number; threshold: number } | undefined {
  const order = Array.from({ length: x.cols }, (_, i) => i);
  for (let j = 0; j < order.length; j++) {
    const pick = j + rng.int(order.length - j);
    const f = order[pick]!;
    order[pick] = order[j]!;
    let min = Infinity;
    let max = -Infinity;
    for (let i = start; i < end; i++) {
      const v = x.data[idx[i]! * x.cols + f]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (!(max > min)) continue;
    let threshold = float32SafeThreshold(min + rng.next() * (max - min));
    // Both sides must keep a row: the threshold must be a float32 in [min, max).
    if (threshold < min) threshold = -float32SafeThreshold(-min);
    if (threshold >= max) continue;
    return { feature: f, threshold };
  }
  return undefined;
}
