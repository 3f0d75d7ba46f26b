/**
 * The active-learning queue of the text panel and the learning curve beside it: unlabelled rows
 * ordered by how uncertain the current model is about them, and the model's quality as a
 * function of how many labels it was trained on.
 */
import { assertNever } from '../../base/assert';
import { createRng } from '../../base/rng';
import { entropyUncertainty, leastConfidence, marginUncertainty, voteEntropy } from '../active';
import { argmaxClasses, fitTextModel, textModelProba, type TextModelOptions } from './text-model';

/** How the queue scores a row. `voteEntropy` uses a committee's hard predictions. */
export type QueueStrategy = 'leastConfident' | 'margin' | 'entropy' | 'voteEntropy';

/** One row of the queue: its row index and its uncertainty score (higher = ask first). */
export interface QueueEntry {
  readonly row: number;
  readonly score: number;
}

/** Per-row uncertainty under `strategy` from an n×k probability matrix (not for voteEntropy). */
export function uncertaintyScores(P: Float64Array, k: number, strategy: Exclude<QueueStrategy, 'voteEntropy'>): Float64Array {
  switch (strategy) {
    case 'leastConfident':
      return leastConfidence(P, k);
    case 'margin':
      return marginUncertainty(P, k);
    case 'entropy':
      return entropyUncertainty(P, k);
    default:
      return assertNever(strategy, 'queue strategy');
  }
}

/**
 * The `limit` most uncertain rows among `candidates` (row indices into `scores`), highest score
 * first; ties keep the lower row first so the order is stable between retrains with equal scores.
 */
export function orderQueue(scores: Float64Array, candidates: ArrayLike<number>, limit: number): QueueEntry[] {
  const rows = Array.from(candidates);
  rows.sort((a, b) => scores[b]! - scores[a]! || a - b);
  return rows.slice(0, limit).map((row) => ({ row, score: scores[row]! }));
}

/** Committee scores: vote entropy of the members' hard predictions (argmax of each member's P). */
export function committeeScores(members: readonly Float64Array[], k: number): Float64Array {
  return voteEntropy(members.map((P) => argmaxClasses(P, k)), k);
}

/** One point of the learning curve. */
export interface CurvePoint {
  /** Human labels the model was trained on. */
  readonly labels: number;
  /** Accuracy (0…1) on the evaluation rows. */
  readonly accuracy: number;
  /** `gold`: against a gold column on rows without a human label; `cv`: k-fold cross-validation over the labels. */
  readonly on: 'gold' | 'cv';
}

/**
 * k-fold cross-validated accuracy of the text model over labelled rows (`y` ≥ 0), folds assigned
 * by a seeded shuffle. Null when fewer than 2·folds labels or a training fold lacks two classes.
 */
export function crossValidatedAccuracy(texts: readonly string[], y: ArrayLike<number>, k: number, options: TextModelOptions, folds = 5, seed = 1): number | null {
  const rows: number[] = [];
  for (let i = 0; i < texts.length; i++) if (y[i]! >= 0) rows.push(i);
  if (rows.length < 2 * folds) return null;
  const rng = createRng(seed);
  for (let i = rows.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }
  let right = 0;
  for (let f = 0; f < folds; f++) {
    const test = rows.filter((_, i) => i % folds === f);
    const train = rows.filter((_, i) => i % folds !== f);
    const yTrain = train.map((i) => y[i]!);
    if (new Set(yTrain).size < 2) return null;
    const model = fitTextModel(train.map((i) => texts[i]!), yTrain, k, options);
    const pred = argmaxClasses(textModelProba(model, test.map((i) => texts[i]!)), k);
    test.forEach((row, i) => (right += pred[i] === y[row] ? 1 : 0));
  }
  return right / rows.length;
}

/** Accuracy of predictions `pred` against `gold` over the rows where gold ≥ 0 and `include(row)`; null when there are none. */
export function goldAccuracy(pred: ArrayLike<number>, gold: ArrayLike<number>, include: (row: number) => boolean = () => true): number | null {
  let right = 0;
  let total = 0;
  for (let i = 0; i < gold.length; i++) {
    if (gold[i]! < 0 || !include(i)) continue;
    total++;
    if (pred[i] === gold[i]) right++;
  }
  return total === 0 ? null : right / total;
}

/** One background retrain: every document's text, human classes (−1 = unlabelled), optional gold. */
export interface RetrainJob {
  readonly texts: readonly string[];
  readonly y: Int32Array;
  readonly k: number;
  readonly options: TextModelOptions;
  readonly gold?: Int32Array;
}

/** What a retrain gives: P for every row, a small committee's P (for vote entropy) and the curve point. */
export interface RetrainResult {
  readonly trainedOn: number;
  readonly proba: Float64Array;
  readonly committee: Float64Array[];
  readonly point: CurvePoint | null;
}

/**
 * Fits the model on the labelled rows and scores every row. The committee is the model, naive
 * Bayes and a unigram logistic regression (different views of the same labels). The curve point
 * is accuracy against gold on rows without a human label when gold exists, else 5-fold CV.
 */
export function retrain(job: RetrainJob): RetrainResult {
  const { texts, y, k, options } = job;
  const trainedOn = y.reduce((s, v) => s + (v >= 0 ? 1 : 0), 0);
  const model = fitTextModel(texts, y, k, options);
  const proba = textModelProba(model, texts);
  const committee = [proba, textModelProba(fitTextModel(texts, y, k, { ...options, model: 'naiveBayes' }), texts), textModelProba(fitTextModel(texts, y, k, { ...options, model: 'logistic', ngramMax: 1 }), texts)];
  let point: CurvePoint | null = null;
  const onGold = job.gold ? goldAccuracy(argmaxClasses(proba, k), job.gold, (row) => y[row]! < 0) : null;
  if (onGold !== null) point = { labels: trainedOn, accuracy: onGold, on: 'gold' };
  else {
    const cv = crossValidatedAccuracy(texts, y, k, options);
    if (cv !== null) point = { labels: trainedOn, accuracy: cv, on: 'cv' };
  }
  return { trainedOn, proba, committee, point };
}
