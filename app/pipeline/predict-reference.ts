import { assertNever } from '../base/assert';
import type { ClassLabels, FittedModel, Matrix, Tree, TreeEnsemble } from '../ml/types';
import { averagePathLength } from './compile-trees';

/** Model outputs on the TypeScript side, named like the compiled graph's outputs. */
export interface ReferenceOutputs {
  label?: (string | number)[];
  probabilities?: Matrix;
  variable?: Matrix;
  score?: Float64Array;
  distances?: Matrix;
}

/**
 * Float64 reference predictions of a fitted model, the same formulas as `compileModel`, used to
 * check the compiled graph (parity tests) until app/ml ships its own predict functions.
 */
export function predictReference(model: FittedModel, x: Matrix): ReferenceOutputs {
  switch (model.kind) {
    case 'linearRegression': return { variable: linear(x, model.coef, model.intercept, model.nOutputs) };
    case 'logisticRegression': {
      const z = linear(x, model.coef, model.intercept, model.coef.length / model.nFeatures);
      const p = z.cols === 1 ? twoColumns(mapM(z, sigmoid)) : model.multinomial ? softmaxRows(z) : normaliseRows(mapM(z, sigmoid));
      return classify(p, model.classes);
    }
    case 'treeRegressor': return { variable: ensembleRaw(model.ensemble, x) };
    case 'treeClassifier': {
      const raw = ensembleRaw(model.ensemble, x);
      const post = model.ensemble.postTransform;
      const p = post === 'logistic' ? twoColumns(mapM(raw, sigmoid)) : post === 'softmax' ? softmaxRows(raw) : raw.cols === 1 ? twoColumns(raw) : raw;
      return classify(p, model.classes);
    }
    case 'isolationForest': {
      const h = ensembleRaw(model.ensemble, x);
      const c = averagePathLength(model.sampleSize);
      return { score: h.data.map((v) => -(2 ** (-v / c))) };
    }
    case 'kmeans': {
      const { centers } = model;
      const d = { rows: x.rows, cols: centers.rows, data: new Float64Array(x.rows * centers.rows) };
      for (let r = 0; r < x.rows; r++) for (let k = 0; k < centers.rows; k++) {
        let s = 0;
        for (let f = 0; f < x.cols; f++) s += (x.data[r * x.cols + f]! - centers.data[k * centers.cols + f]!) ** 2;
        d.data[r * d.cols + k] = Math.sqrt(s);
      }
      return { distances: d, label: Array.from({ length: x.rows }, (_, r) => argBest(d, r, (a, b) => a < b)) };
    }
    case 'naiveBayes': return classify(softmaxRows(linear(x, model.featureLogProb, model.classLogPrior, model.classes.length)), model.classes);
    default: return assertNever(model, 'model kind');
  }
}

/** The leaf a row reaches: left when x <= threshold, NaN follows `missingLeft`. */
export function treeLeaf(tree: Tree, x: Float64Array, offset: number): number {
  let i = 0;
  while (tree.left[i] !== -1) {
    const v = x[offset + tree.feature[i]!]!;
    const goLeft = Number.isNaN(v) ? tree.missingLeft[i] === 1 : v <= tree.threshold[i]!;
    i = goLeft ? tree.left[i]! : tree.right[i]!;
  }
  return i;
}

function ensembleRaw(e: TreeEnsemble, x: Matrix): Matrix {
  const out = { rows: x.rows, cols: e.nOutputs, data: new Float64Array(x.rows * e.nOutputs) };
  for (let r = 0; r < x.rows; r++) {
    for (const tree of e.trees) {
      const leaf = treeLeaf(tree, x.data, r * x.cols);
      for (let k = 0; k < e.nOutputs; k++) out.data[r * e.nOutputs + k]! += tree.value[leaf * e.nOutputs + k]!;
    }
    for (let k = 0; k < e.nOutputs; k++) {
      const sum = out.data[r * e.nOutputs + k]!;
      out.data[r * e.nOutputs + k] = (e.aggregate === 'average' ? sum / e.trees.length : sum) + e.baseScore[k]!;
    }
  }
  return out;
}

function linear(x: Matrix, coef: ArrayLike<number>, intercept: ArrayLike<number>, k: number): Matrix {
  const out = { rows: x.rows, cols: k, data: new Float64Array(x.rows * k) };
  for (let r = 0; r < x.rows; r++) for (let j = 0; j < k; j++) {
    let s = intercept[j]!;
    for (let f = 0; f < x.cols; f++) s += x.data[r * x.cols + f]! * coef[j * x.cols + f]!;
    out.data[r * k + j] = s;
  }
  return out;
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
const mapM = (m: Matrix, fn: (v: number) => number): Matrix => ({ rows: m.rows, cols: m.cols, data: m.data.map(fn) });

function twoColumns(p: Matrix): Matrix {
  const out = { rows: p.rows, cols: 2, data: new Float64Array(p.rows * 2) };
  for (let r = 0; r < p.rows; r++) { out.data[2 * r] = 1 - p.data[r]!; out.data[2 * r + 1] = p.data[r]!; }
  return out;
}

function normaliseRows(m: Matrix): Matrix {
  const out = { rows: m.rows, cols: m.cols, data: new Float64Array(m.data) };
  for (let r = 0; r < m.rows; r++) {
    let s = 0;
    for (let k = 0; k < m.cols; k++) s += m.data[r * m.cols + k]!;
    for (let k = 0; k < m.cols; k++) out.data[r * m.cols + k]! /= s;
  }
  return out;
}

function softmaxRows(m: Matrix): Matrix {
  const out = { rows: m.rows, cols: m.cols, data: new Float64Array(m.data.length) };
  for (let r = 0; r < m.rows; r++) {
    let max = -Infinity;
    for (let k = 0; k < m.cols; k++) max = Math.max(max, m.data[r * m.cols + k]!);
    for (let k = 0; k < m.cols; k++) out.data[r * m.cols + k] = Math.exp(m.data[r * m.cols + k]! - max);
  }
  return normaliseRows(out);
}

function argBest(m: Matrix, r: number, better: (a: number, b: number) => boolean): number {
  let best = 0;
  for (let k = 1; k < m.cols; k++) if (better(m.data[r * m.cols + k]!, m.data[r * m.cols + best]!)) best = k;
  return best;
}

function classify(p: Matrix, classes: ClassLabels): ReferenceOutputs {
  return { probabilities: p, label: Array.from({ length: p.rows }, (_, r) => classes[argBest(p, r, (a, b) => a > b)]!) };
}
