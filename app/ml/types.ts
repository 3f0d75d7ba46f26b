import type { CancelSignal, ProgressSink } from '../base/signal';

/** A dense row-major matrix of float64: element (r, c) is `data[r * cols + c]`. NaN = missing. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** Creates a zero-filled matrix. */
export function createMatrix(rows: number, cols: number, data?: Float64Array): Matrix {
  if (data && data.length !== rows * cols) throw new Error(`Matrix data has ${data.length} values, expected ${rows}×${cols}`);
  return { rows, cols, data: data ?? new Float64Array(rows * cols) };
}

/** What every trainer receives besides its data: a seed, and optional cancel and progress. */
export interface TrainContext {
  seed: number;
  signal?: CancelSignal;
  progress?: ProgressSink;
}

/** Class labels of a classifier, in the order of its probability columns. */
export type ClassLabels = readonly string[] | readonly number[];

/**
 * One regression/decision tree as flat arrays (node i). A node is a leaf when `left[i] === -1`.
 * A row goes left when `x[feature[i]] <= threshold[i]`, and when the value is missing (NaN) it goes
 * left iff `missingLeft[i] === 1`. `value` holds `nOutputs` numbers per node (leaf outputs; for
 * inner nodes the cover-weighted mean, which TreeSHAP uses). `cover` is the training weight
 * (sample count) that reached the node.
 */
export interface Tree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  missingLeft: Uint8Array;
  value: Float64Array;
  cover: Float64Array;
}

/**
 * A tree ensemble. Raw score of output k = baseScore[k] + aggregate over trees of leaf value k;
 * `aggregate: 'average'` divides the sum by the number of trees (random forest).
 * `postTransform` maps raw scores to the model output (logistic for binary, softmax for multiclass).
 */
export interface TreeEnsemble {
  trees: Tree[];
  nFeatures: number;
  nOutputs: number;
  baseScore: Float64Array;
  aggregate: 'sum' | 'average';
  postTransform: 'none' | 'logistic' | 'softmax';
}

/**
 * A fitted model as plain data: what the ONNX compiler, the explainers and the run store consume.
 * Coefficients are row-major `nOutputs × nFeatures`. For a binary linear classifier `nOutputs` is
 * 1 (the positive class' logit); for multinomial it equals the class count.
 */
export type FittedModel =
  | { kind: 'linearRegression'; coef: Float64Array; intercept: Float64Array; nFeatures: number; nOutputs: number }
  | { kind: 'logisticRegression'; coef: Float64Array; intercept: Float64Array; nFeatures: number; classes: ClassLabels; multinomial: boolean }
  | { kind: 'treeRegressor'; ensemble: TreeEnsemble }
  | { kind: 'treeClassifier'; ensemble: TreeEnsemble; classes: ClassLabels }
  | { kind: 'kmeans'; centers: Matrix; inertia: number }
  | { kind: 'isolationForest'; ensemble: TreeEnsemble; sampleSize: number }
  | { kind: 'naiveBayes'; classLogPrior: Float64Array; featureLogProb: Float64Array; nFeatures: number; classes: ClassLabels };
