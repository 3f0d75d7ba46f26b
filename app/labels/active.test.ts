import { describe, expect, it } from 'vitest';
import { entropyUncertainty, leastConfidence, marginUncertainty, rankByScore, voteEntropy } from './active';

// Rows chosen so the three strategies disagree on order (the classic example).
const P = Float64Array.from([
  0.5, 0.3, 0.2, // row 0
  0.45, 0.45, 0.1, // row 1: tiny margin
  0.4, 0.3, 0.3, // row 2: least confident, highest entropy
  0.9, 0.05, 0.05, // row 3: certain
]);

describe('active learning', () => {
  it('leastConfidence ranks the row with the lowest top probability first', () => {
    expect([...leastConfidence(P, 3)].map((v) => +v.toFixed(12))).toEqual([0.5, 0.55, 0.6, 0.1]);
    expect([...rankByScore(leastConfidence(P, 3))]).toEqual([2, 1, 0, 3]);
  });

  it('marginUncertainty ranks the smallest top-two margin first', () => {
    expect([...rankByScore(marginUncertainty(P, 3))]).toEqual([1, 2, 0, 3]);
  });

  it('entropyUncertainty ranks the flattest distribution first', () => {
    const h = entropyUncertainty(P, 3);
    expect(h[2]).toBeCloseTo(-(0.4 * Math.log(0.4) + 0.6 * Math.log(0.3)), 12);
    expect([...rankByScore(h)]).toEqual([2, 0, 1, 3]);
  });

  it('voteEntropy(committee) is 0 on unanimity and log 2 on an even split', () => {
    const committee = [[0, 1, 2, 0], [0, 0, 2, 1], [0, 1, 2, -1], [0, 0, 1, 2]];
    const v = voteEntropy(committee, 3);
    expect(v[0]).toBe(0);
    expect(v[1]).toBeCloseTo(Math.log(2), 12);
    expect(v[3]).toBeCloseTo(Math.log(3), 12);
    expect([...rankByScore(v, 2)]).toEqual([3, 1]);
  });
});
