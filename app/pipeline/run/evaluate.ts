import { UserInputError } from '../../base/errors';
import type { ClassTarget } from '../../ml/check';
import { encodeClasses } from '../../ml/check';
import { accuracy, calibrationCurve, classificationReport, confusionMatrix, logLoss, meanAbsoluteError, precisionRecallCurve, r2, rmse, rocAuc, rocAucOvr, rocCurve } from '../../ml/metrics';
import type { ClassLabels } from '../../ml/types';
import type { NabDetail } from './nab-evaluate';
import type { ModelTask } from './types';

/** A curve as JSON-safe arrays (non-finite thresholds become null). */
export interface CurvePoints {
  x: number[];
  y: number[];
  thresholds?: (number | null)[];
}

/**
 * What an Evaluate node produces, JSON-safe. `metrics` holds the scalar metrics that are logged to
 * the run (accuracy, precision/recall/f1 as `_macro`, `_micro` and binary, roc_auc, log_loss,
 * average-free ones; rmse, mae, r2). Curves hold at most `MAX_POINTS` points each.
 */
export interface Evaluation {
  task: ModelTask;
  rows: number;
  metrics: Record<string, number>;
  /** Binary: the class scored as positive (the second class, as scikit-learn does). */
  positiveClass?: string | number;
  perClass?: { label: string | number; precision: number; recall: number; f1: number; support: number }[];
  confusion?: { labels: (string | number)[]; counts: number[][] };
  roc?: CurvePoints;
  pr?: CurvePoints;
  calibration?: { probPred: number[]; probTrue: number[]; counts: number[] };
  /** Regression: predicted value and residual (true − predicted) per plotted row. */
  residuals?: { predicted: number[]; residual: number[] };
  /** Anomaly/clustering: the distribution of scores or cluster sizes. */
  scores?: { min: number; max: number; mean: number };
  clusterSizes?: number[];
  /** Anomaly detectors scored against a label set (NAB): settings, windows and delays; metrics `nab_*`. */
  nab?: NabDetail;
  /** Metrics that could not be computed, with the reason (e.g. a class absent from the test rows). */
  skipped?: Record<string, string>;
}

/** Upper bound on points per curve or residual plot (evenly thinned, ends kept). */
export const MAX_POINTS = 1000;

function thin(n: number, max = MAX_POINTS): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: max }, (_, i) => Math.round((i * (n - 1)) / (max - 1)));
}

function pick(values: ArrayLike<number>, index: readonly number[]): number[] {
  return index.map((i) => values[i]!);
}

function finiteOrNull(values: ArrayLike<number>, index: readonly number[]): (number | null)[] {
  return index.map((i) => (Number.isFinite(values[i]!) ? values[i]! : null));
}

function sameClasses(a: ClassLabels, b: ClassLabels): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * Classification metrics of predicted labels and class probabilities (row-major n×k in the order
 * of `classes`) against the true labels. ROC AUC and log loss need the test rows to hold exactly
 * the model's classes; otherwise they are listed in `skipped` with the reason.
 */
export function evaluateClassification(yTrue: ClassTarget, labels: ClassTarget, proba: Float64Array, classes: ClassLabels): Evaluation {
  const n = yTrue.length;
  if (n === 0) throw new UserInputError('There are no test rows to evaluate.');
  const report = classificationReport(yTrue, labels);
  const cm = confusionMatrix(yTrue, labels);
  const k = classes.length;
  const metrics: Record<string, number> = {
    accuracy: accuracy(yTrue, labels),
    precision_macro: report.macro.precision, recall_macro: report.macro.recall, f1_macro: report.macro.f1,
    precision_micro: report.micro.precision, recall_micro: report.micro.recall, f1_micro: report.micro.f1,
    precision_weighted: report.weighted.precision, recall_weighted: report.weighted.recall, f1_weighted: report.weighted.f1,
  };
  const evaluation: Evaluation = {
    task: 'classification', rows: n, metrics,
    perClass: report.perClass.map((s, i) => ({ label: report.labels[i]!, ...s })),
    confusion: { labels: [...cm.labels], counts: Array.from({ length: cm.labels.length }, (_, r) => Array.from(cm.counts.subarray(r * cm.labels.length, (r + 1) * cm.labels.length))) },
  };
  const trueClasses = encodeClasses(yTrue).classes;
  if (!sameClasses(trueClasses, classes)) {
    evaluation.skipped = { roc_auc: `the test rows hold the classes ${JSON.stringify(trueClasses)}, the model ${JSON.stringify(classes)}`, log_loss: 'as roc_auc' };
    return evaluation;
  }
  metrics['log_loss'] = logLoss(yTrue, proba, k);
  if (k === 2) addBinary(evaluation, yTrue, proba, classes, report.perClass[1]!);
  else metrics['roc_auc'] = rocAucOvr(yTrue, proba);
  return evaluation;
}

function addBinary(evaluation: Evaluation, yTrue: ClassTarget, proba: Float64Array, classes: ClassLabels, positive: { precision: number; recall: number; f1: number }): void {
  const pos = classes[1]!;
  const p = Float64Array.from({ length: yTrue.length }, (_, i) => proba[2 * i + 1]!);
  evaluation.positiveClass = pos;
  evaluation.metrics['precision'] = positive.precision;
  evaluation.metrics['recall'] = positive.recall;
  evaluation.metrics['f1'] = positive.f1;
  evaluation.metrics['roc_auc'] = rocAuc(yTrue, p, pos);
  const roc = rocCurve(yTrue, p, pos);
  const ri = thin(roc.fpr.length);
  evaluation.roc = { x: pick(roc.fpr, ri), y: pick(roc.tpr, ri), thresholds: finiteOrNull(roc.thresholds, ri) };
  const pr = precisionRecallCurve(yTrue, p, pos);
  const pi = thin(pr.recall.length);
  evaluation.pr = { x: pick(pr.recall, pi), y: pick(pr.precision, pi), thresholds: pi.map((i) => (i < pr.thresholds.length ? pr.thresholds[i]! : null)) };
  let ap = 0;
  for (let i = 0; i + 1 < pr.recall.length; i++) ap -= (pr.recall[i + 1]! - pr.recall[i]!) * pr.precision[i]!;
  evaluation.metrics['average_precision'] = ap;
  const cal = calibrationCurve(yTrue, p, { nBins: 10, posLabel: pos });
  evaluation.calibration = { probPred: Array.from(cal.probPred), probTrue: Array.from(cal.probTrue), counts: Array.from(cal.counts) };
}

/** Regression metrics (RMSE, MAE, R²) and a thinned residual plot. Refuses missing values. */
export function evaluateRegression(yTrue: Float64Array, yPred: Float64Array): Evaluation {
  const n = yTrue.length;
  if (n === 0) throw new UserInputError('There are no test rows to evaluate.');
  for (let i = 0; i < n; i++) if (Number.isNaN(yTrue[i]!)) throw new UserInputError(`The target is missing in test row ${i}; drop or impute those rows before evaluating.`, { row: i });
  const index = thin(n);
  return {
    task: 'regression', rows: n,
    metrics: { rmse: rmse(yTrue, yPred), mae: meanAbsoluteError(yTrue, yPred), r2: n > 1 ? r2(yTrue, yPred) : Number.NaN },
    residuals: { predicted: pick(yPred, index), residual: index.map((i) => yTrue[i]! - yPred[i]!) },
  };
}

/** Summary of anomaly scores (no labels needed). */
export function evaluateScores(scores: Float64Array): Evaluation {
  let min = Infinity, max = -Infinity, sum = 0;
  for (const s of scores) { min = Math.min(min, s); max = Math.max(max, s); sum += s; }
  const mean = scores.length > 0 ? sum / scores.length : Number.NaN;
  return { task: 'anomaly', rows: scores.length, metrics: { mean_score: mean }, scores: { min, max, mean } };
}

/** Cluster sizes of k-means labels and their mean distance to the assigned center. */
export function evaluateClusters(labels: Float64Array, distances: Float64Array, k: number): Evaluation {
  const sizes = new Array<number>(k).fill(0);
  let total = 0;
  for (let i = 0; i < labels.length; i++) { sizes[labels[i]!]!++; total += distances[i * k + labels[i]!]!; }
  return { task: 'clustering', rows: labels.length, metrics: { mean_distance: labels.length > 0 ? total / labels.length : Number.NaN }, clusterSizes: sizes };
}
