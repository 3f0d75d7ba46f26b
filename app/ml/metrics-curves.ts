import { UserInputError } from '../base/errors';
import { encodeClasses, type ClassTarget } from './check';

/** ROC points by decreasing threshold; the first threshold is +Infinity (no row predicted positive). */
export interface RocCurve {
  fpr: Float64Array;
  tpr: Float64Array;
  thresholds: Float64Array;
}

/** Precision–recall points by increasing threshold, ending at (recall 0, precision 1) as sklearn does. */
export interface PrecisionRecallCurve {
  precision: Float64Array;
  recall: Float64Array;
  /** One fewer than the points: the last point has no threshold. */
  thresholds: Float64Array;
}

/** Reliability diagram: per non-empty bin, the observed positive rate, the mean predicted probability and the row count. */
export interface CalibrationCurve {
  probTrue: Float64Array;
  probPred: Float64Array;
  counts: Int32Array;
}

/** 1 where `yTrue` equals `posLabel`; refuses more than two classes or a missing positive label. */
function binaryTruth(yTrue: ClassTarget, score: Float64Array, posLabel: string | number, what: string): Uint8Array {
  if (yTrue.length !== score.length) throw new UserInputError(`${what}: ${yTrue.length} labels but ${score.length} scores.`);
  if (yTrue.length === 0) throw new UserInputError(`${what}: there are no rows to score.`);
  const { classes } = encodeClasses(yTrue);
  if (classes.length > 2) throw new UserInputError(`${what} needs two classes; the labels have ${classes.length}.`);
  for (let i = 0; i < score.length; i++) {
    if (!Number.isFinite(score[i]!)) throw new UserInputError(`${what}: the score in row ${i} is missing or infinite.`, { row: i });
  }
  const out = new Uint8Array(yTrue.length);
  for (let i = 0; i < yTrue.length; i++) out[i] = yTrue[i] === posLabel ? 1 : 0;
  return out;
}

/** Cumulative true/false positives at each distinct score, scores descending (sklearn's _binary_clf_curve). */
function binaryCounts(truth: Uint8Array, score: Float64Array): { fps: Float64Array; tps: Float64Array; thresholds: Float64Array } {
  const n = score.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[b]! - score[a]! || a - b);
  const fps: number[] = [], tps: number[] = [], thresholds: number[] = [];
  let tp = 0;
  for (let r = 0; r < n; r++) {
    tp += truth[order[r]!]!;
    const s = score[order[r]!]!;
    if (r === n - 1 || score[order[r + 1]!]! !== s) {
      tps.push(tp);
      fps.push(r + 1 - tp);
      thresholds.push(s);
    }
  }
  return { fps: Float64Array.from(fps), tps: Float64Array.from(tps), thresholds: Float64Array.from(thresholds) };
}

/**
 * ROC curve like sklearn's roc_curve (drop_intermediate on): collinear points dropped, a first
 * point (0, 0) added. Its threshold is +Infinity, as in sklearn ≥ 1.3 (1.2 used max score + 1).
 */
export function rocCurve(yTrue: ClassTarget, score: Float64Array, posLabel: string | number = 1): RocCurve {
  const truth = binaryTruth(yTrue, score, posLabel, 'ROC curve');
  const { fps, tps, thresholds } = binaryCounts(truth, score);
  let keep = Array.from({ length: fps.length }, (_, i) => i);
  if (fps.length > 2) {
    keep = keep.filter((i) => i === 0 || i === fps.length - 1
      || fps[i + 1]! - 2 * fps[i]! + fps[i - 1]! !== 0 || tps[i + 1]! - 2 * tps[i]! + tps[i - 1]! !== 0);
  }
  const m = keep.length + 1;
  const fpr = new Float64Array(m), tpr = new Float64Array(m), thr = new Float64Array(m);
  const P = tps[tps.length - 1]!, N = fps[fps.length - 1]!;
  thr[0] = Infinity;
  keep.forEach((i, r) => {
    fpr[r + 1] = N > 0 ? fps[i]! / N : NaN;
    tpr[r + 1] = P > 0 ? tps[i]! / P : NaN;
    thr[r + 1] = thresholds[i]!;
  });
  if (N === 0) fpr[0] = NaN;
  if (P === 0) tpr[0] = NaN;
  return { fpr, tpr, thresholds: thr };
}

/** Area under a curve by the trapezoidal rule, x increasing. */
function trapezoid(x: Float64Array, y: Float64Array): number {
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i]! - x[i - 1]!) * (y[i]! + y[i - 1]!)) / 2;
  return area;
}

/** Binary ROC AUC; refuses labels with only one class (the AUC is undefined then). */
export function rocAuc(yTrue: ClassTarget, score: Float64Array, posLabel: string | number = 1): number {
  const truth = binaryTruth(yTrue, score, posLabel, 'ROC AUC');
  let positives = 0;
  for (let i = 0; i < truth.length; i++) positives += truth[i]!;
  if (positives === 0 || positives === truth.length) throw new UserInputError('ROC AUC is undefined when the true labels hold only one class.');
  const { fpr, tpr } = rocCurve(yTrue, score, posLabel);
  return trapezoid(fpr, tpr);
}

/**
 * Multiclass ROC AUC, one-vs-rest, macro average (sklearn's multi_class='ovr'). `proba` is
 * row-major n×k with columns in the sorted order of the classes in `yTrue`.
 */
export function rocAucOvr(yTrue: ClassTarget, proba: Float64Array): number {
  const { classes, codes } = encodeClasses(yTrue);
  const k = classes.length, n = codes.length;
  if (proba.length !== n * k) throw new UserInputError(`ROC AUC: expected ${n}×${k} probabilities (one column per class in the labels), got ${proba.length} values.`);
  let total = 0;
  const column = new Float64Array(n);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < n; i++) column[i] = proba[i * k + c]!;
    total += rocAuc(Array.from(codes, (v) => (v === c ? 1 : 0)), column, 1);
  }
  return total / k;
}

/** Precision–recall curve like sklearn's precision_recall_curve (one point per distinct score). */
export function precisionRecallCurve(yTrue: ClassTarget, score: Float64Array, posLabel: string | number = 1): PrecisionRecallCurve {
  const truth = binaryTruth(yTrue, score, posLabel, 'Precision–recall curve');
  const { fps, tps, thresholds } = binaryCounts(truth, score);
  const m = tps.length, P = tps[m - 1]!;
  const precision = new Float64Array(m + 1), recall = new Float64Array(m + 1), thr = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const r = m - 1 - i;
    const predicted = tps[r]! + fps[r]!;
    precision[i] = predicted === 0 ? 0 : tps[r]! / predicted;
    recall[i] = P === 0 ? 1 : tps[r]! / P;
    thr[i] = thresholds[r]!;
  }
  precision[m] = 1;
  recall[m] = 0;
  return { precision, recall, thresholds: thr };
}

/** Average precision Σ (R_n − R_n−1)·P_n, the step-wise area under the PR curve (sklearn's, no interpolation). */
export function averagePrecision(yTrue: ClassTarget, score: Float64Array, posLabel: string | number = 1): number {
  const { precision, recall } = precisionRecallCurve(yTrue, score, posLabel);
  let ap = 0;
  for (let i = 0; i + 1 < recall.length; i++) ap -= (recall[i + 1]! - recall[i]!) * precision[i]!;
  return ap;
}

/**
 * Log loss (cross-entropy) like sklearn 1.2's log_loss: probabilities clipped to [ε, 1 − ε]
 * (ε = 2.2e-16) and rows renormalised. `proba` is row-major n×k over the sorted classes of
 * `yTrue`, or (k = 1) the probability of the larger class of a binary target.
 */
export function logLoss(yTrue: ClassTarget, proba: Float64Array, k = 1): number {
  const { classes, codes } = encodeClasses(yTrue);
  const n = codes.length;
  if (n === 0) throw new UserInputError('Log loss: there are no rows to score.');
  if (classes.length < 2) throw new UserInputError('Log loss needs at least two classes in the true labels.');
  const width = k === 1 ? 2 : k;
  if (width !== classes.length || proba.length !== n * k) throw new UserInputError(`Log loss: the labels have ${classes.length} classes but the probabilities have ${k === 1 ? 2 : k} columns for ${proba.length / k} rows.`);
  const eps = Number.EPSILON;
  const clip = (v: number): number => Math.min(Math.max(v, eps), 1 - eps);
  let total = 0;
  for (let i = 0; i < n; i++) {
    let rowSum = 0, own = 0;
    for (let c = 0; c < width; c++) {
      // sklearn clips the positive-class column before deriving 1 − p from it.
      const v = k === 1 ? (c === 1 ? clip(proba[i]!) : 1 - clip(proba[i]!)) : clip(proba[i * k + c]!);
      rowSum += v;
      if (c === codes[i]) own = v;
    }
    total -= Math.log(own / rowSum);
  }
  return total / n;
}

/** numpy's default (linear) percentile of sorted values, q in [0, 1]. */
function percentile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1), lo = Math.floor(pos), hi = Math.min(lo + 1, sorted.length - 1);
  const t = pos - lo, a = sorted[lo]!, b = sorted[hi]!;
  return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
}

/**
 * Calibration curve like sklearn's calibration_curve: `nBins` bins, uniform on [0, 1] or at
 * quantiles of `prob`; a value on an inner edge falls in the lower bin; empty bins are left out.
 */
export function calibrationCurve(yTrue: ClassTarget, prob: Float64Array, options: { nBins?: number; strategy?: 'uniform' | 'quantile'; posLabel?: string | number } = {}): CalibrationCurve {
  const truth = binaryTruth(yTrue, prob, options.posLabel ?? 1, 'Calibration curve');
  const nBins = options.nBins ?? 5;
  if (!Number.isInteger(nBins) || nBins < 1) throw new UserInputError(`Calibration curve needs a whole number of bins ≥ 1; got ${nBins}.`);
  for (let i = 0; i < prob.length; i++) if (prob[i]! < 0 || prob[i]! > 1) throw new UserInputError(`Calibration curve: the probability in row ${i} is outside [0, 1].`, { row: i });
  const sorted = Float64Array.from(prob).sort();
  const edges = new Float64Array(nBins + 1);
  // Uniform edges as numpy's linspace computes them (b · step, last exactly 1), so ties on an edge bin alike.
  const step = 1 / nBins;
  for (let b = 0; b <= nBins; b++) edges[b] = options.strategy === 'quantile' ? percentile(sorted, b / nBins) : b === nBins ? 1 : b * step;
  const sums = new Float64Array(nBins + 1), trues = new Float64Array(nBins + 1), counts = new Int32Array(nBins + 1);
  for (let i = 0; i < prob.length; i++) {
    let bin = 0;
    while (bin < nBins - 1 && edges[bin + 1]! < prob[i]!) bin++;
    sums[bin] = sums[bin]! + prob[i]!;
    trues[bin] = trues[bin]! + truth[i]!;
    counts[bin]!++;
  }
  const probTrue: number[] = [], probPred: number[] = [], kept: number[] = [];
  for (let b = 0; b <= nBins; b++) {
    if (counts[b] === 0) continue;
    probTrue.push(trues[b]! / counts[b]!);
    probPred.push(sums[b]! / counts[b]!);
    kept.push(counts[b]!);
  }
  return { probTrue: Float64Array.from(probTrue), probPred: Float64Array.from(probPred), counts: Int32Array.from(kept) };
}
