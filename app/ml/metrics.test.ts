import { describe, expect, it } from 'vitest';
import { maxAbsError, readFixture } from '../../tools/fixtures/ml/datasets';
import {
  accuracy, averagePrecision, calibrationCurve, classificationReport, confusionMatrix, f1, logLoss, meanAbsoluteError,
  precision, precisionRecallCurve, r2, recall, residuals, rmse, rocAuc, rocAucOvr, rocCurve,
} from './metrics';

interface Binary {
  yTrue: number[]; score: number[]; yPred: number[]; accuracy: number; precision: number; recall: number; f1: number;
  rocAuc: number; averagePrecision: number; logLoss: number; confusion: number[];
  roc: { fpr: number[]; tpr: number[]; thresholds: number[] };
  pr: { precision: number[]; recall: number[]; thresholds: number[] };
  calibration: { probTrue: number[]; probPred: number[] };
}
type Multi = { yTrue: string[]; yPred: string[]; proba: number[]; confusion: number[]; rocAucOvrMacro: number; logLoss: number; accuracy: number } & Record<string, number | number[]>;
interface Regression { yTrue: number[]; yPred: number[]; rmse: number; mae: number; r2: number }
const fx = readFixture<{ binary: Binary; multiclass: Multi; regression: Regression }>('metrics.json');
const TOL = 1e-10;

describe('binary metrics on out-of-fold breast-cancer predictions (sklearn.metrics to 1e-10)', () => {
  const b = fx.binary, score = Float64Array.from(b.score), yTrue = Float64Array.from(b.yTrue), yPred = Float64Array.from(b.yPred);
  it('accuracy, precision, recall, f1 and confusionMatrix equal sklearn', () => {
    expect(Math.abs(accuracy(yTrue, yPred) - b.accuracy)).toBeLessThan(TOL);
    expect(Math.abs(precision(yTrue, yPred) - b.precision)).toBeLessThan(TOL);
    expect(Math.abs(recall(yTrue, yPred) - b.recall)).toBeLessThan(TOL);
    expect(Math.abs(f1(yTrue, yPred) - b.f1)).toBeLessThan(TOL);
    expect(Array.from(confusionMatrix(yTrue, yPred).counts)).toEqual(b.confusion);
  });
  it('rocAuc, averagePrecision and logLoss equal sklearn (scores with ties)', () => {
    expect(Math.abs(rocAuc(yTrue, score) - b.rocAuc)).toBeLessThan(TOL);
    expect(Math.abs(averagePrecision(yTrue, score) - b.averagePrecision)).toBeLessThan(TOL);
    expect(Math.abs(logLoss(yTrue, score) - b.logLoss)).toBeLessThan(TOL);
  });
  it('rocCurve drops intermediate points like sklearn and starts at (0, 0, +Infinity)', () => {
    const roc = rocCurve(yTrue, score);
    expect(maxAbsError(roc.fpr, b.roc.fpr)).toBeLessThan(TOL);
    expect(maxAbsError(roc.tpr, b.roc.tpr)).toBeLessThan(TOL);
    expect(roc.thresholds[0]).toBe(Infinity);
    expect(maxAbsError(roc.thresholds.subarray(1), b.roc.thresholds)).toBeLessThan(TOL);
  });
  it('precisionRecallCurve and calibrationCurve equal sklearn point for point', () => {
    const pr = precisionRecallCurve(yTrue, score);
    expect(maxAbsError(pr.precision, b.pr.precision)).toBeLessThan(TOL);
    expect(maxAbsError(pr.recall, b.pr.recall)).toBeLessThan(TOL);
    expect(maxAbsError(pr.thresholds, b.pr.thresholds)).toBeLessThan(TOL);
    const cal = calibrationCurve(yTrue, score, { nBins: 10 });
    expect(maxAbsError(cal.probTrue, b.calibration.probTrue)).toBeLessThan(TOL);
    expect(maxAbsError(cal.probPred, b.calibration.probPred)).toBeLessThan(TOL);
    expect(cal.counts.reduce((s, c) => s + c, 0)).toBe(score.length);
  });
  it('rocAuc refuses a single class in plain words', () => {
    expect(() => rocAuc(Float64Array.of(1, 1), Float64Array.of(0.2, 0.4))).toThrow(/only one class/);
  });
});

describe('multiclass metrics on out-of-fold wine predictions, string labels', () => {
  const m = fx.multiclass, proba = Float64Array.from(m.proba);
  it.each(['macro', 'micro', 'weighted'] as const)('precision/recall/f1 with average=%s equal sklearn', (avg) => {
    expect(Math.abs(precision(m.yTrue, m.yPred, avg) - (m[`precision_${avg}`] as number))).toBeLessThan(TOL);
    expect(Math.abs(recall(m.yTrue, m.yPred, avg) - (m[`recall_${avg}`] as number))).toBeLessThan(TOL);
    expect(Math.abs(f1(m.yTrue, m.yPred, avg) - (m[`f1_${avg}`] as number))).toBeLessThan(TOL);
  });
  it('classificationReport per class and confusionMatrix follow sorted labels like sklearn', () => {
    const report = classificationReport(m.yTrue, m.yPred);
    expect(report.labels).toEqual(['barbera', 'barolo', 'grignolino']);
    expect(maxAbsError(report.perClass.map((c) => c.precision), m.precision_none as number[])).toBeLessThan(TOL);
    expect(maxAbsError(report.perClass.map((c) => c.recall), m.recall_none as number[])).toBeLessThan(TOL);
    expect(maxAbsError(report.perClass.map((c) => c.f1), m.f1_none as number[])).toBeLessThan(TOL);
    expect(Array.from(confusionMatrix(m.yTrue, m.yPred).counts)).toEqual(m.confusion);
    expect(Math.abs(accuracy(m.yTrue, m.yPred) - m.accuracy)).toBeLessThan(TOL);
  });
  it('rocAucOvr and logLoss equal sklearn for class-probability matrices', () => {
    // The fixture's probability columns follow the numeric classes 0, 1, 2 = barolo, grignolino, barbera.
    const numeric = m.yTrue.map((s) => ['barolo', 'grignolino', 'barbera'].indexOf(s));
    expect(Math.abs(rocAucOvr(numeric, proba) - m.rocAucOvrMacro)).toBeLessThan(TOL);
    expect(Math.abs(logLoss(numeric, proba, 3) - m.logLoss)).toBeLessThan(TOL);
  });
  it('precision(…, binary) on three classes asks for an average in plain words', () => {
    expect(() => precision(m.yTrue, m.yPred)).toThrow(/choose a macro, micro or weighted average/);
  });
});

describe('regression metrics on out-of-fold diabetes predictions', () => {
  const r = fx.regression, yTrue = Float64Array.from(r.yTrue), yPred = Float64Array.from(r.yPred);
  it('rmse, meanAbsoluteError and r2 equal sklearn to 1e-10', () => {
    expect(Math.abs(rmse(yTrue, yPred) - r.rmse)).toBeLessThan(TOL);
    expect(Math.abs(meanAbsoluteError(yTrue, yPred) - r.mae)).toBeLessThan(TOL);
    expect(Math.abs(r2(yTrue, yPred) - r.r2)).toBeLessThan(TOL);
  });
  it('residuals are yTrue − yPred and r2 handles a constant target like sklearn', () => {
    expect(residuals(yTrue, yPred)[3]).toBe(yTrue[3]! - yPred[3]!);
    expect(r2(Float64Array.of(2, 2), Float64Array.of(2, 2))).toBe(1);
    expect(r2(Float64Array.of(2, 2), Float64Array.of(1, 2))).toBe(0);
    expect(() => rmse(Float64Array.of(1), Float64Array.of(1, 2))).toThrow(/differ in length \(1 vs 2\)/);
  });
});
