import { assertNever } from '../base/assert';
import type { GraphBuilder } from '../onnx/builder';
import { attr } from '../onnx/types';
import type { ElemType, TensorValue } from '../onnx/types';
import type { ClassLabels, FittedModel } from '../ml/types';
import { averagePathLength, compileTreeEnsemble } from './compile-trees';

/** Names and meaning of the graph outputs a model kind produces. */
export interface ModelOutputInfo {
  name: 'label' | 'probabilities' | 'variable' | 'score' | 'distances';
  type: ElemType;
  /** Column count of a [N, k] output; 0 for a [N] output. */
  width: number;
}

/** Number of input features a fitted model expects. */
export function modelFeatureCount(model: FittedModel): number {
  switch (model.kind) {
    case 'linearRegression':
    case 'logisticRegression':
    case 'naiveBayes': return model.nFeatures;
    case 'treeRegressor':
    case 'treeClassifier':
    case 'isolationForest': return model.ensemble.nFeatures;
    case 'kmeans': return model.centers.cols;
    default: return assertNever(model, 'model kind');
  }
}

/** Element type of the `label` output: text labels → string, whole numbers → int64, else double. */
export function labelType(classes: ClassLabels): ElemType {
  if (classes.length > 0 && typeof classes[0] === 'string') return 'string';
  return classes.every((c) => Number.isInteger(c)) ? 'int64' : 'double';
}

function labelTensor(classes: ClassLabels): TensorValue {
  const type = labelType(classes);
  const dims = [classes.length];
  if (type === 'string') return { type, dims, values: classes.map(String) };
  return { type: type === 'int64' ? 'int64' : 'double', dims, values: classes.map(Number) };
}

/**
 * Emits the model part of the graph on features `x` ([N, F] float) and declares its outputs:
 * classifiers `label` [N] + `probabilities` [N, classes]; regressors `variable` [N, outputs];
 * isolation forest `score` [N, 1] (scikit-learn's score_samples, −2^(−E[h]/c(ψ))); k-means
 * `label` [N] (int64 cluster) + `distances` [N, k] (Euclidean). Returns the outputs declared.
 */
export function compileModel(b: GraphBuilder, x: string, model: FittedModel): ModelOutputInfo[] {
  switch (model.kind) {
    case 'linearRegression': {
      const y = b.typed(b.op('LinearRegressor', [x], { coefficients: attr.floats(model.coef), intercepts: attr.floats(model.intercept), targets: attr.int(model.nOutputs) }, 'ai.onnx.ml'), 'float', ['N', model.nOutputs]);
      return declare(b, [['variable', y, 'float', model.nOutputs]]);
    }
    case 'logisticRegression': return classifierOutputs(b, logisticProbabilities(b, x, model), model.classes);
    case 'treeRegressor': return declare(b, [['variable', compileTreeEnsemble(b, x, model.ensemble), 'float', model.ensemble.nOutputs]]);
    case 'treeClassifier': return classifierOutputs(b, treeProbabilities(b, compileTreeEnsemble(b, x, model.ensemble), model.ensemble.postTransform, model.ensemble.nOutputs, model.classes.length), model.classes);
    case 'isolationForest': {
      const h = compileTreeEnsemble(b, x, model.ensemble);
      const factor = b.addInitializer('neg_ln2_over_c', { type: 'float', dims: [1], values: [-Math.LN2 / averagePathLength(model.sampleSize)] });
      const score = b.op('Neg', [b.op('Exp', [b.op('Mul', [h, factor])])]);
      return declare(b, [['score', score, 'float', 1]]);
    }
    case 'kmeans': return kmeansOutputs(b, x, model.centers.rows, model.centers.cols, model.centers.data);
    case 'naiveBayes': {
      const w = b.addInitializer('nb_log_prob_t', { type: 'float', dims: [model.nFeatures, model.classes.length], values: transpose(model.featureLogProb, model.classes.length, model.nFeatures) });
      const prior = b.addInitializer('nb_log_prior', { type: 'float', dims: [model.classes.length], values: model.classLogPrior });
      const jll = b.op('Add', [b.op('MatMul', [x, w]), prior]);
      return classifierOutputs(b, b.op('Softmax', [jll], { axis: attr.int(1) }), model.classes);
    }
    default: return assertNever(model, 'model kind');
  }
}

function declare(b: GraphBuilder, outs: [ModelOutputInfo['name'], string, ElemType, number][]): ModelOutputInfo[] {
  return outs.map(([name, value, type, width]) => {
    b.addOutput(value, name, type, width === 0 ? ['N'] : ['N', width]);
    return { name, type, width };
  });
}

function classifierOutputs(b: GraphBuilder, probabilities: string, classes: ClassLabels): ModelOutputInfo[] {
  const index = b.op('ArgMax', [probabilities], { axis: attr.int(1), keepdims: attr.int(0) });
  const label = b.op('Gather', [b.addInitializer('classes', labelTensor(classes)), index], { axis: attr.int(0) });
  return declare(b, [['label', label, labelType(classes), 0], ['probabilities', probabilities, 'float', classes.length]]);
}

/** [1 − p, p] from a [N, 1] positive-class probability. */
function twoColumns(b: GraphBuilder, p: string): string {
  const one = b.addInitializer('one', { type: 'float', dims: [1], values: [1] });
  return b.op('Concat', [b.op('Sub', [one, p]), p], { axis: attr.int(1) });
}

function logisticProbabilities(b: GraphBuilder, x: string, model: Extract<FittedModel, { kind: 'logisticRegression' }>): string {
  const k = model.classes.length;
  const rows = model.coef.length / model.nFeatures;
  const w = b.addInitializer('coef_t', { type: 'float', dims: [model.nFeatures, rows], values: transpose(model.coef, rows, model.nFeatures) });
  const logits = b.op('Add', [b.op('MatMul', [x, w]), b.addInitializer('intercept', { type: 'float', dims: [rows], values: model.intercept })]);
  if (rows === 1 && k === 2) return twoColumns(b, b.op('Sigmoid', [logits]));
  if (model.multinomial) return b.op('Softmax', [logits], { axis: attr.int(1) });
  // One-vs-rest: per-class sigmoids normalised to sum 1, as scikit-learn's predict_proba does.
  const p = b.op('Sigmoid', [logits]);
  return b.op('Div', [p, b.op('ReduceSum', [p, b.addInitializer('axis1', { type: 'int64', dims: [1], values: [1] })], { keepdims: attr.int(1) })]);
}

function treeProbabilities(b: GraphBuilder, raw: string, post: 'none' | 'logistic' | 'softmax', nOutputs: number, classCount: number): string {
  switch (post) {
    case 'logistic': return twoColumns(b, b.op('Sigmoid', [raw]));
    case 'softmax': return b.op('Softmax', [raw], { axis: attr.int(1) });
    // An averaging forest may store only the positive-class probability for two classes.
    case 'none': return nOutputs === 1 && classCount === 2 ? twoColumns(b, raw) : raw;
    default: return assertNever(post, 'post transform');
  }
}

function kmeansOutputs(b: GraphBuilder, x: string, k: number, f: number, centers: Float64Array): ModelOutputInfo[] {
  const c = b.addInitializer('centers', { type: 'float', dims: [1, k, f], values: centers });
  const x3 = b.op('Unsqueeze', [x, b.addInitializer('axis1', { type: 'int64', dims: [1], values: [1] })]);
  const diff = b.op('Sub', [x3, c]);
  const sq = b.op('ReduceSum', [b.op('Mul', [diff, diff]), b.addInitializer('axis2', { type: 'int64', dims: [1], values: [2] })], { keepdims: attr.int(0) });
  const label = b.op('ArgMin', [sq], { axis: attr.int(1), keepdims: attr.int(0) });
  return declare(b, [['label', label, 'int64', 0], ['distances', b.op('Sqrt', [sq]), 'float', k]]);
}

/** Row-major rows×cols → cols×rows. */
function transpose(data: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  return out;
}
