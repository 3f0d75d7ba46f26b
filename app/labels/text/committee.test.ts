import { describe, expect, it } from 'vitest';
import { voteEntropy } from '../active';
import { memberFeeds, predictionCodes } from './committee';

describe('committee of tracked runs', () => {
  it('memberFeeds(run, inputs, columns, textColumn) reads same-named columns and gives a lone renamed text input the text column', () => {
    expect(memberFeeds('r1', [{ name: 'text', elemType: 'string' }], ['CONTENT', 'CLASS'], 'CONTENT')).toEqual([{ input: 'text', column: 'CONTENT', elemType: 'string' }]);
    expect(memberFeeds('r2', [{ name: 'CONTENT', elemType: 'string' }, { name: 'len', elemType: 'float' }], ['CONTENT', 'len'], 'CONTENT').map((f) => f.column)).toEqual(['CONTENT', 'len']);
    expect(() => memberFeeds('r3', [{ name: 'a', elemType: 'string' }, { name: 'b', elemType: 'string' }], ['CONTENT'], 'CONTENT')).toThrow(/Run r3 needs a column "a"/);
  });

  it('predictionCodes(classes, labels) maps names ignoring case and 0…k−1 codes; others abstain', () => {
    expect(Array.from(predictionCodes(['HAM', 'SPAM'], ['spam', 'Ham', 'other']))).toEqual([1, 0, -1]);
    expect(Array.from(predictionCodes(['HAM', 'SPAM'], [1, 0, 2, 0.5]))).toEqual([1, 0, -1, -1]);
  });

  it('voteEntropy over mapped votes: ln 2 where two members split, ln 3 for a three-way split, 0 when unanimous', () => {
    const members = [predictionCodes(['a', 'b', 'c'], ['a', 'a', 'a', 'a']), predictionCodes(['a', 'b', 'c'], ['a', 'b', 'b', 'x']), predictionCodes(['a', 'b', 'c'], [0, 2, 1, 0])];
    const h = voteEntropy(members, 3);
    expect(h[0]).toBe(0);
    expect(h[1]).toBeCloseTo(Math.log(3), 12);
    // Votes a, b, b: −(⅓ ln ⅓ + ⅔ ln ⅔).
    expect(h[2]).toBeCloseTo(-(1 / 3) * Math.log(1 / 3) - (2 / 3) * Math.log(2 / 3), 12);
    // The abstaining member does not vote: a, a → 0.
    expect(h[3]).toBe(0);
  });
});
