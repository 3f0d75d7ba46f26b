import { assertNever } from '../base/assert';
import { UserInputError } from '../base/errors';
import { encodeClasses, type ClassTarget } from './check';
import type { ClassLabels } from './types';

export { averagePrecision, calibrationCurve, logLoss, precisionRecallCurve, rocAuc, rocAucOvr, rocCurve } from './metrics-curves';
export type { CalibrationCurve, PrecisionRecallCurve, RocCurve } from './metrics-curves';

/** How per-class scores combine, as sklearn's `average`; 'binary' scores only `posLabel`. */
export type Average = 'binary' | 'macro' | 'micro' | 'weighted';

/** Precision, recall, F1 and support of one class. */
export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  /** Rows whose true class is this one. */
  support: number;
}

/** Per-class scores (in `labels` order) and their macro, micro and support-weighted averages. */
export interface ClassificationReport {
  labels: ClassLabels;
  perClass: ClassScores[];
  macro: Omit<ClassScores, 'support'>;
  micro: Omit<ClassScores, 'support'>;
  weighted: Omit<ClassScores, 'support'>;
  accuracy: number;
}

/** A k×k count matrix: rows are true classes, columns predicted ones, both in `labels` order. */
export interface ConfusionMatrix {
  labels: ClassLabels;
  /** Row-major k×k counts. */
  counts: Int32Array;
}

function checkPair(a: { length: number }, b: { length: number }, what: string): void {
  if (a.length !== b.length) throw new UserInputError(`${what}: the true and predicted values differ in length (${a.length} vs ${b.length}).`);
  if (a.length === 0) throw new UserInputError(`${what}: there are no rows to score.`);
}

/** Encodes two label arrays over their sorted union of labels (sklearn's unique_labels). */
export function encodeLabelPair(yTrue: ClassTarget, yPred: ClassTarget): { labels: ClassLabels; t: Int32Array; p: Int32Array } {
  const n = yTrue.length;
  const both: ClassTarget = isStrings(yTrue) && isStrings(yPred) ? [...yTrue, ...yPred] : joinNumbers(yTrue, yPred);
  const { classes, codes } = encodeClasses(both);
  return { labels: classes, t: codes.slice(0, n), p: codes.slice(n) };
}

function isStrings(y: ClassTarget): y is readonly string[] {
  return Array.isArray(y) && typeof y[0] === 'string';
}

function joinNumbers(a: ClassTarget, b: ClassTarget): number[] {
  if (isStrings(a) || isStrings(b)) throw new UserInputError('True and predicted labels mix text and numbers; use one kind for both.');
  return [...Array.from(a, Number), ...Array.from(b, Number)];
}

/** Share of rows whose predicted label equals the true one. */
export function accuracy(yTrue: ClassTarget, yPred: ClassTarget): number {
  checkPair(yTrue, yPred, 'Accuracy');
  let right = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) right++;
  return right / yTrue.length;
}

/** Confusion matrix over the sorted union of labels (or the given `labels`, in that order). */
export function confusionMatrix(yTrue: ClassTarget, yPred: ClassTarget): ConfusionMatrix {
  checkPair(yTrue, yPred, 'Confusion matrix');
  const { labels, t, p } = encodeLabelPair(yTrue, yPred);
  const k = labels.length;
  const counts = new Int32Array(k * k);
  for (let i = 0; i < t.length; i++) counts[t[i]! * k + p[i]!]!++;
  return { labels, counts };
}

/** 0 where sklearn's zero_division default would warn and return 0. */
function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

function f1Of(precision: number, recall: number): number {
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

/** Precision, recall and F1 per class and averaged (sklearn's precision_recall_fscore_support). */
export function classificationReport(yTrue: ClassTarget, yPred: ClassTarget): ClassificationReport {
  const { labels, counts } = confusionMatrix(yTrue, yPred);
  const k = labels.length, n = yTrue.length;
  const perClass: ClassScores[] = [];
  let tpAll = 0;
  for (let c = 0; c < k; c++) {
    let predicted = 0, actual = 0;
    for (let r = 0; r < k; r++) { predicted += counts[r * k + c]!; actual += counts[c * k + r]!; }
    const tp = counts[c * k + c]!;
    tpAll += tp;
    const precision = ratio(tp, predicted), recall = ratio(tp, actual);
    perClass.push({ precision, recall, f1: f1Of(precision, recall), support: actual });
  }
  const mean = (key: 'precision' | 'recall' | 'f1', weighted: boolean): number => {
    let s = 0;
    for (const c of perClass) s += c[key] * (weighted ? c.support : 1);
    return s / (weighted ? n : k);
  };
  const micro = tpAll / n;
  return {
    labels,
    perClass,
    macro: { precision: mean('precision', false), recall: mean('recall', false), f1: mean('f1', false) },
    micro: { precision: micro, recall: micro, f1: micro },
    weighted: { precision: mean('precision', true), recall: mean('recall', true), f1: mean('f1', true) },
    accuracy: micro,
  };
}

function averaged(yTrue: ClassTarget, yPred: ClassTarget, key: 'precision' | 'recall' | 'f1', average: Average, posLabel: string | number): number {
  const report = classificationReport(yTrue, yPred);
  switch (average) {
    case 'binary': {
      const at = indexOfLabel(report.labels, posLabel);
      if (report.labels.length > 2) throw new UserInputError(`The labels have ${report.labels.length} classes; choose a macro, micro or weighted average instead of binary.`);
      return at < 0 ? 0 : report.perClass[at]![key];
    }
    case 'macro': return report.macro[key];
    case 'micro': return report.micro[key];
    case 'weighted': return report.weighted[key];
    default: return assertNever(average, 'average');
  }
}

/** Position of `label` in `labels`, or −1. */
export function indexOfLabel(labels: ClassLabels, label: string | number): number {
  for (let i = 0; i < labels.length; i++) if (labels[i] === label) return i;
  return -1;
}

/** Precision tp / (tp + fp); 'binary' scores `posLabel` (default 1); 0 when nothing was predicted. */
export function precision(yTrue: ClassTarget, yPred: ClassTarget, average: Average = 'binary', posLabel: string | number = 1): number {
  return averaged(yTrue, yPred, 'precision', average, posLabel);
}

/** Recall tp / (tp + fn), averaged like `precision`. */
export function recall(yTrue: ClassTarget, yPred: ClassTarget, average: Average = 'binary', posLabel: string | number = 1): number {
  return averaged(yTrue, yPred, 'recall', average, posLabel);
}

/** F1 = 2PR / (P + R) per class, averaged like `precision` (macro averages the per-class F1). */
export function f1(yTrue: ClassTarget, yPred: ClassTarget, average: Average = 'binary', posLabel: string | number = 1): number {
  return averaged(yTrue, yPred, 'f1', average, posLabel);
}

function checkValues(yTrue: Float64Array, yPred: Float64Array, what: string): void {
  checkPair(yTrue, yPred, what);
  for (let i = 0; i < yTrue.length; i++) {
    if (!Number.isFinite(yTrue[i]!) || !Number.isFinite(yPred[i]!)) throw new UserInputError(`${what}: row ${i} has a missing or infinite value.`, { row: i });
  }
}

/** Mean squared error. */
export function meanSquaredError(yTrue: Float64Array, yPred: Float64Array): number {
  checkValues(yTrue, yPred, 'Mean squared error');
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) { const d = yTrue[i]! - yPred[i]!; s += d * d; }
  return s / yTrue.length;
}

/** Root mean squared error, in the target's units. */
export function rmse(yTrue: Float64Array, yPred: Float64Array): number {
  return Math.sqrt(meanSquaredError(yTrue, yPred));
}

/** Mean absolute error, in the target's units. */
export function meanAbsoluteError(yTrue: Float64Array, yPred: Float64Array): number {
  checkValues(yTrue, yPred, 'Mean absolute error');
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += Math.abs(yTrue[i]! - yPred[i]!);
  return s / yTrue.length;
}

/** R² = 1 − SS_res / SS_tot; like sklearn, 1 for a perfect fit and 0 when the target is constant but missed. */
export function r2(yTrue: Float64Array, yPred: Float64Array): number {
  checkValues(yTrue, yPred, 'R²');
  const n = yTrue.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yTrue[i]!;
  mean /= n;
  let res = 0, tot = 0;
  for (let i = 0; i < n; i++) { res += (yTrue[i]! - yPred[i]!) ** 2; tot += (yTrue[i]! - mean) ** 2; }
  if (res === 0) return 1;
  return tot === 0 ? 0 : 1 - res / tot;
}

/** Residuals yTrue − yPred, one per row. */
export function residuals(yTrue: Float64Array, yPred: Float64Array): Float64Array {
  checkPair(yTrue, yPred, 'Residuals');
  return yTrue.map((v, i) => v - yPred[i]!);
}
