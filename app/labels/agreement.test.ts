import { describe, expect, it } from 'vitest';
import { cohenKappa, documentKappa, perSampleKappa, rangeIoU, rangeSetIoU, spanF1, type DocSpan } from './agreement';
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
});
