/**
 * The text classifier that active learning retrains and that the LF experiment uses as its end
 * model: the pipeline's text vectorizer (TF-IDF, fitted as the canvas step fits it) followed by
 * logistic regression or multinomial naive Bayes. Plain data in, plain data out, so it runs in a
 * worker thread and its fitted parts are the same values the pipeline compiles to ONNX.
 */
import { UserInputError } from '../../base/errors';
import { fitLogisticRegression } from '../../ml/logistic-regression';
import type { LogisticRegressionModel, NaiveBayesModel } from '../../ml/models';
import { fitNaiveBayes } from '../../ml/naive-bayes';
import { predictLogisticProba, predictNaiveBayesProba } from '../../ml/predict';
import type { Matrix, TrainContext } from '../../ml/types';
import { terms, textVectorizer, tokenize } from '../../pipeline/steps/text';
import type { FittedStep } from '../../pipeline/steps/types';

/** Settings of the text model. Defaults: TF-IDF of uni- and bigrams (≤ 2000 terms), logistic regression with C = 10. */
export interface TextModelOptions {
  readonly model?: 'logistic' | 'naiveBayes';
  readonly maxFeatures?: number;
  readonly ngramMax?: 1 | 2;
  /** Inverse L2 strength of logistic regression. */
  readonly C?: number;
}

/** A fitted text model. `classes[c]` is the class index (0…k−1) of probability column c of the inner model. */
export interface TextModel {
  readonly k: number;
  readonly vectorizer: Extract<FittedStep, { kind: 'textVectorizer' }>;
  readonly model: LogisticRegressionModel | NaiveBayesModel;
}

const COLUMN = 'text';

/** TF-IDF features of `texts` under a fitted vectorizer as a dense n×|vocabulary| matrix (rows L2-normalised, as the step's transform). */
export function vectorize(vectorizer: TextModel['vectorizer'], texts: readonly string[]): Matrix {
  const p = vectorizer.vocabulary.length;
  const index = new Map(vectorizer.vocabulary.map((t, i) => [t, i]));
  const data = new Float64Array(texts.length * p);
  texts.forEach((text, row) => {
    const o = row * p;
    for (const t of terms(tokenize(text, vectorizer.lowercase, vectorizer.minTokenLength), vectorizer.ngramMax)) {
      const j = index.get(t);
      if (j !== undefined) data[o + j]! += vectorizer.idf ? vectorizer.idf[j]! : 1;
    }
    if (vectorizer.idf) {
      let norm = 0;
      for (let j = 0; j < p; j++) norm += data[o + j]! ** 2;
      if (norm > 0) for (let j = 0; j < p; j++) data[o + j]! /= Math.sqrt(norm);
    }
  });
  return { rows: texts.length, cols: p, data };
}

/**
 * Fits the model on `texts` with class indices `y` (0…k−1; rows with −1 are skipped). Needs at
 * least two distinct classes among the kept rows (UserInputError otherwise). Deterministic.
 */
export function fitTextModel(texts: readonly string[], y: ArrayLike<number>, k: number, options: TextModelOptions = {}, ctx: Partial<TrainContext> = {}): TextModel {
  const keep: number[] = [];
  for (let i = 0; i < texts.length; i++) if (y[i]! >= 0) keep.push(i);
  const docs = keep.map((i) => texts[i]!);
  const target = keep.map((i) => y[i]!);
  if (new Set(target).size < 2) throw new UserInputError('The text model needs labelled examples of at least two classes.');
  const vectorizer = textVectorizer.fit(
    { kind: 'textVectorizer', column: COLUMN, mode: 'tfidf', lowercase: true, minTokenLength: 2, maxFeatures: options.maxFeatures ?? 2000, ngramMax: options.ngramMax ?? 2 },
    { rows: docs.length, columns: [{ name: COLUMN, type: 'string', values: docs }] },
  );
  const X = vectorize(vectorizer, docs);
  const model = options.model === 'naiveBayes' ? fitNaiveBayes(X, target) : fitLogisticRegression(X, target, { C: options.C ?? 10, maxIter: 300 }, ctx);
  return { k, vectorizer, model };
}

/** P(class | text), n×k row-major over ALL k classes (a class the model never saw gets 0). */
export function textModelProba(model: TextModel, texts: readonly string[]): Float64Array {
  const X = vectorize(model.vectorizer, texts);
  const inner = model.model.kind === 'naiveBayes' ? predictNaiveBayesProba(model.model, X) : predictLogisticProba(model.model, X);
  const seen = model.model.classes.map(Number);
  const out = new Float64Array(texts.length * model.k);
  for (let i = 0; i < texts.length; i++) seen.forEach((c, q) => (out[i * model.k + c] = inner[i * seen.length + q]!));
  return out;
}

/** Argmax class index of each row of an n×k probability matrix (ties: lower index). */
export function argmaxClasses(P: Float64Array, k: number): Int32Array {
  const n = P.length / k;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (P[i * k + c]! > P[i * k + best]!) best = c;
    out[i] = best;
  }
  return out;
}
