import type { FittedModel, Matrix, Tree, TrainContext, TreeEnsemble } from '../types';
import { throwIfAborted } from '../../base/errors';
import { createRng } from '../../base/rng';
import { binMatrix, fitBinMapper, type BinnedMatrix } from './binning';
import { fitTree, type CartParams, type Criterion, type TreeTarget } from './cart';
import { deriveSeed, encodeClasses } from './classes';

/** Features tried per node: a count ('all' = every feature), 'sqrt', 'log2', or a fraction in (0, 1]. */
export type MaxFeatures = 'all' | 'sqrt' | 'log2' | number;

/** Parameters of a decision tree (sklearn names and defaults). */
export interface TreeParams {
  criterion?: Criterion;
  maxDepth?: number;
  minSamplesSplit?: number;
  minSamplesLeaf?: number;
  maxFeatures?: MaxFeatures;
  maxLeafNodes?: number;
  /** Histogram bins per feature, ≤ 255. */
  maxBins?: number;
}

/** Parameters of a random forest; defaults as sklearn (100 trees, bootstrap, sqrt features for classifiers). */
export interface ForestParams extends TreeParams {
  nEstimators?: number;
  bootstrap?: boolean;
}

/** Turns `maxFeatures` into a count for `nFeatures` features. */
export function resolveMaxFeatures(maxFeatures: MaxFeatures, nFeatures: number): number {
  if (maxFeatures === 'all') return nFeatures;
  if (maxFeatures === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(nFeatures)));
  if (maxFeatures === 'log2') return Math.max(1, Math.floor(Math.log2(nFeatures)));
  if (maxFeatures <= 1) return Math.max(1, Math.floor(maxFeatures * nFeatures));
  return Math.min(nFeatures, Math.floor(maxFeatures));
}

function cartParams(p: TreeParams, nFeatures: number, isClassifier: boolean, defaultFeatures: MaxFeatures): CartParams {
  return {
    criterion: p.criterion ?? (isClassifier ? 'gini' : 'squared_error'),
    maxDepth: p.maxDepth ?? Infinity,
    minSamplesSplit: p.minSamplesSplit ?? 2,
    minSamplesLeaf: p.minSamplesLeaf ?? 1,
    maxFeatures: resolveMaxFeatures(p.maxFeatures ?? defaultFeatures, nFeatures),
    ...(p.maxLeafNodes === undefined ? {} : { maxLeafNodes: p.maxLeafNodes }),
  };
}

/**
 * Fits tree `index` of a forest: draws its bootstrap sample and feature choices from
 * `deriveSeed(seed, index)`, so results are identical whichever worker fits which tree.
 */
export function fitForestTree(binned: BinnedMatrix, target: TreeTarget, params: CartParams, bootstrap: boolean, seed: number, index: number): Tree {
  const treeSeed = deriveSeed(seed, index);
  const n = binned.rows;
  const rows = new Uint32Array(n);
  if (bootstrap) {
    const rng = createRng(treeSeed ^ 0x5bd1e995);
    for (let i = 0; i < n; i++) rows[i] = rng.int(n);
  } else {
    for (let i = 0; i < n; i++) rows[i] = i;
  }
  return fitTree(binned, target, rows, params, treeSeed);
}

function fitForest(x: Matrix, target: TreeTarget, params: CartParams, nTrees: number, bootstrap: boolean, maxBins: number, ctx: TrainContext): Tree[] {
  const binned = binMatrix(x, fitBinMapper(x, { maxBins, seed: ctx.seed }));
  const trees: Tree[] = [];
  for (let t = 0; t < nTrees; t++) {
    throwIfAborted(ctx.signal);
    trees.push(fitForestTree(binned, target, params, bootstrap, ctx.seed, t));
    ctx.progress?.({ done: t + 1, total: nTrees, message: 'trees' });
  }
  return trees;
}

/** Random forest classifier; the ensemble averages per-tree class fractions (nOutputs = class count). */
export function fitRandomForestClassifier(x: Matrix, y: ArrayLike<number>, params: ForestParams, ctx: TrainContext): FittedModel {
  const { classes, codes } = encodeClasses(y);
  const target: TreeTarget = { kind: 'classification', y: codes, nClasses: classes.length };
  const cart = cartParams(params, x.cols, true, 'sqrt');
  const trees = fitForest(x, target, cart, params.nEstimators ?? 100, params.bootstrap ?? true, params.maxBins ?? 255, ctx);
  return { kind: 'treeClassifier', classes, ensemble: averaged(trees, x.cols, classes.length) };
}

/** Random forest regressor (all features per node by default, as sklearn ≥ 1.1). */
export function fitRandomForestRegressor(x: Matrix, y: Float64Array, params: ForestParams, ctx: TrainContext): FittedModel {
  const cart = cartParams(params, x.cols, false, 'all');
  const trees = fitForest(x, { kind: 'regression', y }, cart, params.nEstimators ?? 100, params.bootstrap ?? true, params.maxBins ?? 255, ctx);
  return { kind: 'treeRegressor', ensemble: averaged(trees, x.cols, 1) };
}

/** One CART classification tree on all rows (no bootstrap, all features unless `maxFeatures`). */
export function fitDecisionTreeClassifier(x: Matrix, y: ArrayLike<number>, params: TreeParams, ctx: TrainContext): FittedModel {
  return fitRandomForestClassifier(x, y, { maxFeatures: 'all', ...params, nEstimators: 1, bootstrap: false }, ctx);
}

/** One CART regression tree on all rows. */
export function fitDecisionTreeRegressor(x: Matrix, y: Float64Array, params: TreeParams, ctx: TrainContext): FittedModel {
  return fitRandomForestRegressor(x, y, { maxFeatures: 'all', ...params, nEstimators: 1, bootstrap: false }, ctx);
}

function averaged(trees: Tree[], nFeatures: number, nOutputs: number): TreeEnsemble {
  return { trees, nFeatures, nOutputs, baseScore: new Float64Array(nOutputs), aggregate: 'average', postTransform: 'none' };
}
