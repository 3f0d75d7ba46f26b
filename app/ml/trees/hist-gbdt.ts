import { createMatrix, type FittedModel, type Matrix, type Tree, type TrainContext, type TreeEnsemble } from '../types';
import { throwIfAborted, UserInputError } from '../../base/errors';
import { createRng } from '../../base/rng';
import { binMatrix, fitBinMapper } from './binning';
import { baselineScores, lossAndGradients, type BoostingLoss } from './boosting-loss';
import { encodeClasses } from './classes';
import { HistGrower } from './hist-grower';
import { leafIndex } from './predict';

/** Parameters of histogram gradient boosting (sklearn HistGradientBoosting* names and defaults). */
export interface HistGradientBoostingParams {
  learningRate?: number;
  maxIter?: number;
  maxLeafNodes?: number;
  maxDepth?: number;
  minSamplesLeaf?: number;
  l2Regularization?: number;
  maxBins?: number;
  /** 'auto' (default) stops early when there are more than 10,000 rows or a validation set is given. */
  earlyStopping?: 'auto' | boolean;
  validationFraction?: number;
  nIterNoChange?: number;
  tol?: number;
  /** A validation set to score (and stop early on) instead of a fraction of the training rows. */
  validation?: { x: Matrix; y: ArrayLike<number> };
  /** Called after every iteration with the mean training (and validation) loss: the training curve. */
  onIteration?: (step: BoostingStep) => void;
}

/** Losses after one boosting iteration (1-based); iteration 0 is the baseline. */
export interface BoostingStep {
  iteration: number;
  trainLoss: number;
  validLoss?: number;
}

/** A fitted booster with its training curve and the number of iterations actually run. */
export interface BoostingResult {
  model: FittedModel;
  history: BoostingStep[];
  nIter: number;
}

/** Binary (logistic) or multiclass (softmax, one tree per class per iteration) boosted trees. */
export function fitHistGradientBoostingClassifier(x: Matrix, y: ArrayLike<number>, params: HistGradientBoostingParams, ctx: TrainContext): BoostingResult {
  const { classes, codes } = encodeClasses(y);
  if (classes.length < 2) throw new UserInputError('A classifier needs at least two classes');
  const index = new Map(classes.map((c, i) => [c, i]));
  const validation = params.validation && {
    x: params.validation.x,
    y: Float64Array.from(params.validation.y, (v) => index.get(v) ?? Number.NaN),
  };
  if (validation && validation.y.some(Number.isNaN)) throw new UserInputError('The validation set has a class unseen in training');
  const nOutputs = classes.length === 2 ? 1 : classes.length;
  const fit = boost(x, Float64Array.from(codes), 'log_loss', nOutputs, params, ctx, validation);
  const ensemble = toEnsemble(fit.trees, x.cols, nOutputs, fit.baseline, nOutputs === 1 ? 'logistic' : 'softmax');
  return { model: { kind: 'treeClassifier', ensemble, classes }, history: fit.history, nIter: fit.history.length - 1 };
}

/** Least-squares boosted regression trees. */
export function fitHistGradientBoostingRegressor(x: Matrix, y: Float64Array, params: HistGradientBoostingParams, ctx: TrainContext): BoostingResult {
  const validation = params.validation && { x: params.validation.x, y: Float64Array.from(params.validation.y) };
  const fit = boost(x, y, 'squared_error', 1, params, ctx, validation);
  const ensemble = toEnsemble(fit.trees, x.cols, 1, fit.baseline, 'none');
  return { model: { kind: 'treeRegressor', ensemble }, history: fit.history, nIter: fit.history.length - 1 };
}

function toEnsemble(trees: Tree[], nFeatures: number, nOutputs: number, baseScore: Float64Array, post: TreeEnsemble['postTransform']): TreeEnsemble {
  return { trees, nFeatures, nOutputs, baseScore, aggregate: 'sum', postTransform: post };
}

interface Validation {
  x: Matrix;
  y: Float64Array;
}

function boost(x: Matrix, y: Float64Array, loss: BoostingLoss, k: number, p: HistGradientBoostingParams, ctx: TrainContext, given?: Validation) {
  const stopEarly = p.earlyStopping === 'auto' || p.earlyStopping === undefined ? x.rows > 10_000 || given !== undefined : p.earlyStopping;
  const split = stopEarly && !given ? holdOut(y, p.validationFraction ?? 0.1, loss === 'log_loss', ctx.seed) : undefined;
  const valid = given ?? (split ? { x: takeRows(x, split.valid), y: Float64Array.from(split.valid, (r) => y[r]!) } : undefined);
  const trainRows = split?.train;
  const yTrain = trainRows ? Float64Array.from(trainRows, (r) => y[r]!) : y;
  const binned = binMatrix(x, fitBinMapper(x, { maxBins: p.maxBins ?? 255, seed: ctx.seed }, trainRows), trainRows);
  const n = binned.rows;
  const grower = new HistGrower(binned, {
    maxLeafNodes: p.maxLeafNodes ?? 31,
    maxDepth: p.maxDepth ?? Infinity,
    minSamplesLeaf: p.minSamplesLeaf ?? 20,
    l2Regularization: p.l2Regularization ?? 0,
    minHessianToSplit: 1e-3,
    learningRate: p.learningRate ?? 0.1,
  });
  const baseline = baselineScores(loss, yTrain, k);
  const raw = filledWith(baseline, n);
  const rawValid = valid ? filledWith(baseline, valid.x.rows) : undefined;
  const g = new Float64Array(n * k);
  const h = loss === 'squared_error' ? undefined : new Float64Array(n * k);
  const trees: Tree[] = [];
  const history: BoostingStep[] = [];
  const validLosses: number[] = [];
  const maxIter = p.maxIter ?? 100;
  for (let iter = 0; ; iter++) {
    throwIfAborted(ctx.signal);
    const step: BoostingStep = { iteration: iter, trainLoss: lossAndGradients(loss, yTrain, raw, k, g, h) };
    if (valid && rawValid) {
      step.validLoss = lossAndGradients(loss, valid.y, rawValid, k);
      validLosses.push(step.validLoss);
    }
    history.push(step);
    if (iter > 0) p.onIteration?.(step);
    ctx.progress?.({ done: iter, total: maxIter, message: 'iterations' });
    if (iter === maxIter || (stopEarly && shouldStop(validLosses, p.nIterNoChange ?? 10, p.tol ?? 1e-7))) break;
    for (let c = 0; c < k; c++) {
      const tree = grower.grow(g.subarray(c * n, (c + 1) * n), h?.subarray(c * n, (c + 1) * n), k, c);
      grower.addLeafValues(raw, c * n);
      if (valid && rawValid) addTreeValues(tree, valid.x, rawValid, k, c);
      trees.push(tree);
    }
  }
  return { trees, baseline, history };
}

/** sklearn's rule: stop when none of the last `m` losses beats the one before them by more than tol. */
function shouldStop(losses: number[], m: number, tol: number): boolean {
  if (losses.length < m + 1) return false;
  const reference = losses[losses.length - m - 1]! - tol;
  for (let i = losses.length - m; i < losses.length; i++) if (losses[i]! < reference) return false;
  return true;
}

function filledWith(baseline: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * baseline.length);
  for (let c = 0; c < baseline.length; c++) out.fill(baseline[c]!, c * n, (c + 1) * n);
  return out;
}

function addTreeValues(tree: Tree, x: Matrix, raw: Float64Array, k: number, c: number): void {
  for (let r = 0; r < x.rows; r++) raw[c * x.rows + r]! += tree.value[leafIndex(tree, x, r) * k + c]!;
}

/** A seeded hold-out of `fraction` of the rows, stratified by class for classifiers. */
function holdOut(y: Float64Array, fraction: number, stratify: boolean, seed: number): { train: Uint32Array; valid: Uint32Array } {
  const rng = createRng(seed ^ 0x2545f491);
  const groups = new Map<number, number[]>();
  for (let r = 0; r < y.length; r++) {
    const key = stratify ? y[r]! : 0;
    const list = groups.get(key) ?? [];
    list.push(r);
    groups.set(key, list);
  }
  const train: number[] = [];
  const valid: number[] = [];
  for (const key of [...groups.keys()].sort((a, b) => a - b)) {
    const rows = rng.shuffle(groups.get(key)!);
    const nValid = Math.max(1, Math.round(fraction * rows.length));
    valid.push(...rows.slice(0, nValid));
    train.push(...rows.slice(nValid));
  }
  const sorted = (a: number[]) => Uint32Array.from(a).sort();
  return { train: sorted(train), valid: sorted(valid) };
}

function takeRows(x: Matrix, rows: Uint32Array): Matrix {
  const out = new Float64Array(rows.length * x.cols);
  for (let i = 0; i < rows.length; i++) out.set(x.data.subarray(rows[i]! * x.cols, (rows[i]! + 1) * x.cols), i * x.cols);
  return createMatrix(rows.length, x.cols, out);
}
