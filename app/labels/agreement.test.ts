import { describe, expect, it } from 'vitest';
import { cohenKappa, documentKappa, perSampleKappa, rangeIoU, rangeSetIoU, spanF1, textAgreement, type DocSpan } from './agreement';
import type { Label } from './model';
import fixture from './agreement.fixture.json';

describe('agreement', () => {
  it('cohenKappa(a, b) matches sklearn cohen_kappa_score', () => {
    for (const c of fixture) expect(cohenKappa(c.a, c.b)).toBeCloseTo(c.kappa, 12);
  });

  it('perSampleKappa(x, a, b) equals kappa over per-sample classes (sklearn case 2)', () => {
    const x = Array.from({ length: 20 }, (_, i) => i * 10);
    const a = [{ start: 100, end: 140, label: 'anomaly' }];
    const b = [{ start: 120, end: 170, label: 'anomaly' }];
    expect(perSampleKappa(x, a, b)).toBeCloseTo(fixture[1]!.kappa, 12);
  });

  it('documentKappa(a, b) uses only documents both labelled', () => {
    const a = { d1: 'spam', d2: 'ham', d3: 'ham', d4: 'spam', d5: 'ham', d6: 'ham', only_a: 'spam' };
    const b = { d1: 'spam', d2: 'ham', d3: 'spam', d4: 'spam', d5: 'ham', d6: 'ham', only_b: 'ham' };
    expect(documentKappa(a, b)).toEqual({ kappa: expect.closeTo(fixture[2]!.kappa, 12), documents: 6 });
  });

  it('rangeIoU and rangeSetIoU measure overlap along the axis', () => {
    expect(rangeIoU({ start: 0, end: 10 }, { start: 5, end: 15 })).toBeCloseTo(5 / 15, 12);
    expect(rangeIoU({ start: 0, end: 10 }, { start: 10, end: 15 })).toBe(0);
    expect(rangeSetIoU([{ start: 0, end: 10 }, { start: 5, end: 20 }], [{ start: 10, end: 30 }])).toBeCloseTo(10 / 30, 12);
    expect(rangeSetIoU([], [])).toBe(1);
  });

  it('spanF1(gold, pred, exact|overlap) counts boundary errors only in exact mode', () => {
    const gold: DocSpan[] = [
      { doc: 'a', start: 0, end: 5, label: 'PER' },
      { doc: 'a', start: 10, end: 15, label: 'LOC' },
      { doc: 'b', start: 0, end: 3, label: 'ORG' },
    ];
    const pred: DocSpan[] = [
      { doc: 'a', start: 0, end: 5, label: 'PER' },
      { doc: 'a', start: 9, end: 15, label: 'LOC' },
      { doc: 'b', start: 0, end: 3, label: 'PER' },
      { doc: 'b', start: 20, end: 23, label: 'ORG' },
    ];
    const exact = spanF1(gold, pred, 'exact');
    expect([exact.tp, exact.fp, exact.fn]).toEqual([1, 3, 2]);
    expect(exact.f1).toBeCloseTo((2 * 0.25 * (1 / 3)) / (0.25 + 1 / 3), 12);
    const overlap = spanF1(gold, pred, 'overlap');
    expect([overlap.tp, overlap.fp, overlap.fn]).toEqual([2, 2, 1]);
    expect(overlap.precision).toBe(0.5);
  });

  it('textAgreement(a, b) gives hand-computed document kappa (multi-label as a class set) and exact/overlap span F1', () => {
    const doc = (id: string, d: string, ...labels: string[]): Label => ({ kind: 'doc', id, doc: d, labels });
    const span = (id: string, d: string, start: number, end: number, label: string): Label => ({ kind: 'span', id, doc: d, start, end, label });
    const a = [doc('a1', 'd1', 'spam'), doc('a2', 'd2', 'ham'), doc('a3', 'd3', 'ham'), doc('a4', 'd4', 'spam'), doc('a6', 'd6', 'b', 'a'), span('s1', 'd1', 0, 5, 'PER'), span('s2', 'd1', 10, 15, 'LOC')];
    const b = [doc('b1', 'd1', 'spam'), doc('b2', 'd2', 'spam'), doc('b3', 'd3', 'ham'), doc('b4', 'd4', 'spam'), doc('b5', 'd5', 'ham'), doc('b6', 'd6', 'a', 'b'), doc('b7', 'd7')];
    b.push(span('t1', 'd1', 0, 5, 'PER'), span('t2', 'd1', 9, 15, 'LOC'), span('t3', 'd2', 0, 3, 'ORG'));
    const r = textAgreement(a, b);
    // 5 shared docs, p_o = 4/5; p_e = (2·3 + 2·1 + 1·1)/25 = 9/25 → κ = (20 − 9)/16 = 11/16.
    expect(r.documents).toBe(5);
    expect(r.kappa).toBeCloseTo(11 / 16, 12);
    // Exact: 1 of 3 predicted, 1 of 2 reference → F1 = 2·(1/3)(1/2)/(5/6) = 0.4. Overlap: P 2/3, R 1 → 0.8.
    expect([r.exact.tp, r.exact.fp, r.exact.fn, r.exact.f1]).toEqual([1, 2, 1, expect.closeTo(0.4, 12)]);
    expect([r.overlap.precision, r.overlap.recall, r.overlap.f1]).toEqual([expect.closeTo(2 / 3, 12), 1, expect.closeTo(0.8, 12)]);
    expect([r.spansA, r.spansB]).toEqual([2, 3]);
    expect(textAgreement(a, [span('x', 'd9', 0, 1, 'PER')]).kappa).toBeNull();
  });
});
