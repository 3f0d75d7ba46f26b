import { describe, expect, it } from 'vitest';
import { createRng } from '../base/rng';
import { rollingZScores, rollingZScoreSuggestions } from './suggest';

describe('rolling z-score suggestions', () => {
  it('rollingZScores(v, w) standardises each point by the w points before it', () => {
    const z = rollingZScores([1, 2, 3, 4, 10], 4);
    const mean = 2.5;
    const sd = Math.sqrt((1.5 ** 2 + 0.5 ** 2 + 0.5 ** 2 + 1.5 ** 2) / 4);
    expect(Number.isNaN(z[3]!)).toBe(true);
    expect(z[4]).toBeCloseTo((10 - mean) / sd, 12);
  });

  it('rollingZScoreSuggestions finds injected spikes as ranges, merged and ranked by score', () => {
    const rng = createRng(3);
    const values = Array.from({ length: 500 }, () => rng.normal());
    values[200] = 20;
    values[201] = 20;
    values[400] = -10;
    const x = values.map((_, i) => 1000 + i * 60_000);
    const s = rollingZScoreSuggestions(x, values, { series: 'cpu', window: 50, threshold: 6 });
    expect(s.map((r) => r.proposal.kind === 'range' && [r.proposal.start, r.proposal.end])).toEqual([
      [x[200], x[201]],
      [x[400], x[400]],
    ]);
    expect(s[0]!.score).toBeGreaterThan(s[1]!.score);
    expect(s[0]!.id).toBe('rolling-zscore:cpu:200');
    expect(s[0]!.source).toEqual({ type: 'detector', name: 'rolling-zscore' });
  });
});
