import { describe, expect, it } from 'vitest';
import { applyLfs, labelMatrix, lfAnalysis, type LabelingFunction } from './lf';

// Snorkel's own docstring example matrix (LFAnalysis doctests).
const L = labelMatrix([
  [-1, 0, 0],
  [-1, -1, -1],
  [1, 0, -1],
  [-1, 0, -1],
  [0, 0, 0],
]);

describe('lfAnalysis', () => {
  it('lfAnalysis(L) matches Snorkel LFAnalysis doctest values', () => {
    const a = lfAnalysis(L);
    expect(a.polarity).toEqual([[0, 1], [0], [0]]);
    expect([...a.coverage]).toEqual([0.4, 0.8, 0.4]);
    expect([...a.overlaps]).toEqual([0.4, 0.6, 0.4]);
    expect([...a.conflicts]).toEqual([0.2, 0.2, 0]);
    expect(a.labelCoverage).toBe(0.8);
    expect(a.labelOverlap).toBe(0.6);
    expect(a.labelConflict).toBe(0.2);
  });

  it('lfAnalysis(L) pairwise matrices count rows where both vote / both vote and disagree', () => {
    const a = lfAnalysis(L);
    expect([...a.overlapMatrix]).toEqual([0, 0.4, 0.2, 0.4, 0, 0.4, 0.2, 0.4, 0]);
    expect([...a.conflictMatrix]).toEqual([0, 0.2, 0, 0.2, 0, 0, 0, 0, 0]);
  });

  it('lfAnalysis(L, gold) counts correct/incorrect and empirical accuracy by hand', () => {
    const a = lfAnalysis(L, [0, 1, 1, 1, 0]);
    expect([...a.correct!]).toEqual([2, 2, 2]);
    expect([...a.incorrect!]).toEqual([0, 2, 0]);
    expect([...a.empiricalAccuracy!]).toEqual([1, 0.5, 1]);
    const never = lfAnalysis(labelMatrix([[-1, 1], [-1, 0]]), [1, 1]);
    expect([...never.empiricalAccuracy!]).toEqual([0, 0.5]);
  });

  it('lfAnalysis(L) with three classes counts a conflict when any two votes differ', () => {
    const a = lfAnalysis(labelMatrix([[2, 2, 1], [0, -1, 0], [1, 2, -1]]));
    expect([...a.conflicts].map((x) => x * 3)).toEqual([2, 2, 1]);
    expect(a.polarity).toEqual([[0, 1, 2], [2], [0, 1]]);
  });
});

describe('applyLfs', () => {
  const lfs: LabelingFunction[] = [
    { name: 'kw_my', kind: 'keyword', keywords: ['my'], label: 1 },
    { name: 'check_out', kind: 'regex', pattern: 'check.*out', flags: 'i', label: 1 },
    { name: 'short', kind: 'length', unit: 'words', lessThan: 5, label: 0 },
    { name: 'sql_lf', kind: 'sql', sql: 'SELECT …' },
  ];

  it('applyLfs(lfs, texts, external) votes keyword by substring, regex case-insensitively, length in words', () => {
    const M = applyLfs(lfs, ['Check it OUT on MYSPACE please', 'nice song', 'I love\nthis song so much'], { sql_lf: [-1, 0, 1] });
    expect([...M.data]).toEqual([1, 1, -1, -1, -1, -1, 0, 0, -1, -1, -1, 1]);
  });

  it('applyLfs throws when a SQL LF has no external votes', () => {
    expect(() => applyLfs(lfs, ['x'])).toThrow(/external/);
  });
});
