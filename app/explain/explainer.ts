import { UserInputError } from '../base/errors';
import type { FittedModel, Matrix, Tree, TreeEnsemble } from '../ml/types';
import { groupAttributions } from './group';
import { columnMeans, linearShap } from './linear-shap';
import { treeShap } from './tree-shap';

/**
 * What an explainer's `output` means: the raw score the attributions add up to. Classifiers are
 * explained before their link: `log_odds` (boosted trees with a logistic link, logistic
 * regression), `logit` (softmax models, one class), or `probability` (forests averaging class
 * probabilities). Regressors explain their `value`.
 */
export type ExplainedOutput = 'log_odds' | 'logit' | 'probability' | 'value';

/** A tree of the ensemble as JSON arrays (same fields as `Tree`). */
export interface SerializedTree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  missingLeft: number[];
  value: number[];
  cover: number[];
}

/**
 * A serialisable explainer (`explainer.json` in a bundle): the model on its feature space, the
 * preprocessing that maps raw columns to features (`featuresOnnx`, base64 of `compileFeatures`),
 * and the lineage `lineage[f]` = index in `columns` of the raw column feature f derives from.
 * The bundle's `/explain` and the app both run `explainFeatures` over the same features, so their
 * attributions agree exactly.
 */
export interface Explainer {
  format: 'vajra.explainer';
  version: 1;
  method: 'tree' | 'linear';
  output: ExplainedOutput;
  /** Which model output (class) is explained. */
  outputIndex: number;
  /** The class the output belongs to, for classifiers. */
  outputClass?: string | number;
  columns: string[];
  features: string[];
  lineage: number[];
  featuresOnnx: string;
  tree?: { trees: SerializedTree[]; nFeatures: number; nOutputs: number; baseScore: number[]; aggregate: 'sum' | 'average' };
  linear?: { coef: number[]; intercept: number; mean: number[] };
}

/** Attributions of rows: feature-level `detail[r * F + f]` and raw-column `values[r * C + c]`. */
export interface RowExplanations {
  rows: number;
  baseValue: number;
  /** The explained output per row; baseValue + Σ values (or detail) of the row = output. */
  output: Float64Array;
  values: Float64Array;
  detail: Float64Array;
}

/**
 * `lineage[f]`: the raw column a derived feature name comes from — the same name, or the longest
 * raw column name followed by a separator the steps use (`=` one-hot, `:` text terms, `_` cyclic).
 */
export function featureLineage(features: readonly string[], columns: readonly string[]): number[] {
  return features.map((name) => {
    let best = -1;
    columns.forEach((c, i) => {
      const match = name === c || (name.startsWith(c) && '=:_'.includes(name.charAt(c.length)));
      if (match && (best < 0 || c.length > columns[best]!.length)) best = i;
    });
    if (best < 0) throw new UserInputError(`Feature "${name}" does not derive from any raw column.`);
    return best;
  });
}

function treeOf(t: Tree): SerializedTree {
  return { feature: [...t.feature], threshold: [...t.threshold], left: [...t.left], right: [...t.right], missingLeft: [...t.missingLeft], value: [...t.value], cover: [...t.cover] };
}

function treeFrom(t: SerializedTree): Tree {
  return { feature: Int32Array.from(t.feature), threshold: Float64Array.from(t.threshold), left: Int32Array.from(t.left), right: Int32Array.from(t.right), missingLeft: Uint8Array.from(t.missingLeft), value: Float64Array.from(t.value), cover: Float64Array.from(t.cover) };
}

/** The ensemble of a tree explainer (typed arrays again). */
export function explainerEnsemble(e: Explainer): TreeEnsemble {
  if (!e.tree) throw new UserInputError('This explainer holds no trees.');
  return { trees: e.tree.trees.map(treeFrom), nFeatures: e.tree.nFeatures, nOutputs: e.tree.nOutputs, baseScore: Float64Array.from(e.tree.baseScore), aggregate: e.tree.aggregate, postTransform: 'none' };
}

/** The common parts of an explainer: raw columns, features, lineage and the preprocessing graph. */
export interface ExplainerBase {
  columns: string[];
  features: string[];
  featuresOnnx: Uint8Array;
  /** Training feature matrix: the background mean of linear SHAP. */
  background: Matrix;
}

function classIndex(k: number): number {
  return k >= 2 ? 1 : 0;
}

/**
 * An explainer for a fitted model, or null when the model has no exact explainer (k-means,
 * isolation forest, naive Bayes; imported ONNX models use Kernel SHAP instead). Binary
 * classifiers explain the positive (second) class.
 */
export function buildExplainer(model: FittedModel, base: ExplainerBase): Explainer | null {
  const common = { format: 'vajra.explainer' as const, version: 1 as const, columns: base.columns, features: base.features, lineage: featureLineage(base.features, base.columns), featuresOnnx: toBase64(base.featuresOnnx) };
  switch (model.kind) {
    case 'treeRegressor': case 'treeClassifier': {
      const en = model.ensemble;
      const outputIndex = model.kind === 'treeClassifier' ? classIndex(en.nOutputs) : 0;
      const output: ExplainedOutput = model.kind === 'treeRegressor' ? 'value' : en.postTransform === 'logistic' ? 'log_odds' : en.postTransform === 'softmax' ? 'logit' : 'probability';
      const tree = { trees: en.trees.map(treeOf), nFeatures: en.nFeatures, nOutputs: en.nOutputs, baseScore: [...en.baseScore], aggregate: en.aggregate };
      return { ...common, method: 'tree', output, outputIndex, ...(model.kind === 'treeClassifier' ? { outputClass: model.classes[model.classes.length === 2 ? 1 : outputIndex]! } : {}), tree };
    }
    case 'linearRegression': case 'logisticRegression': {
      const k = model.kind === 'linearRegression' ? model.nOutputs : model.intercept.length;
      const outputIndex = model.kind === 'logisticRegression' && k > 1 ? classIndex(k) : 0;
      const p = model.nFeatures;
      const coef = Array.from(model.coef.subarray(outputIndex * p, (outputIndex + 1) * p));
      const output: ExplainedOutput = model.kind === 'linearRegression' ? 'value' : k === 1 ? 'log_odds' : 'logit';
      return { ...common, method: 'linear', output, outputIndex, ...(model.kind === 'logisticRegression' ? { outputClass: model.classes[model.classes.length === 2 ? 1 : outputIndex]! } : {}), linear: { coef, intercept: model.intercept[outputIndex]!, mean: [...columnMeans(base.background)] } };
    }
    case 'kmeans': case 'isolationForest': case 'naiveBayes': return null;
  }
}

/**
 * Exact SHAP attributions of rows given as features (the `features` output of `featuresOnnx`):
 * TreeSHAP or linear SHAP on the features, then grouped to raw columns by the lineage.
 */
export function explainFeatures(e: Explainer, x: Matrix): RowExplanations {
  const F = e.features.length;
  if (x.cols !== F) throw new UserInputError(`The explainer expects ${F} features, got ${x.cols}.`);
  let detail: Float64Array;
  let baseValue: number;
  if (e.method === 'tree') {
    const shap = treeShap(explainerEnsemble(e), x);
    const k = shap.nOutputs;
    detail = new Float64Array(x.rows * F);
    for (let i = 0; i < x.rows * F; i++) detail[i] = shap.values[i * k + e.outputIndex]!;
    baseValue = shap.expectedValue[e.outputIndex]!;
  } else {
    const lin = e.linear!;
    const result = linearShap(Float64Array.from(lin.coef), lin.intercept, Float64Array.from(lin.mean), x);
    detail = result.values;
    baseValue = result.baseValue;
  }
  const output = new Float64Array(x.rows);
  for (let r = 0; r < x.rows; r++) {
    let s = baseValue;
    for (let f = 0; f < F; f++) s += detail[r * F + f]!;
    output[r] = s;
  }
  return { rows: x.rows, baseValue, output, detail, values: groupAttributions(detail, F, e.lineage, e.columns.length) };
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 of bytes (with padding). */
export function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!, b = bytes[i + 1], c = bytes[i + 2];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]! + (b === undefined ? '=' : ALPHABET[(n >> 6) & 63]!) + (c === undefined ? '=' : ALPHABET[n & 63]!);
  }
  return out;
}

/** Bytes of a standard base64 string (padding optional). */
export function fromBase64(text: string): Uint8Array {
  const clean = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0, acc = 0, o = 0;
  for (const ch of clean) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) throw new UserInputError('The explainer holds invalid base64.');
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) { bits -= 8; out[o++] = (acc >> bits) & 255; }
  }
  return out;
}
