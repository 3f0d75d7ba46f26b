import { describe, expect, it } from 'vitest';
import { createRng } from '../base/rng';
import { finiteQuantile, isolationForestScores, rollingZScores, rollingZScoreSuggestions, scoreSuggestions } from './suggest';

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

describe('model suggestions', () => {
  it('finiteQuantile(v, q) interpolates linearly as numpy.quantile and ignores NaN', () => {
    expect(finiteQuantile([1, 2, 3, 4, Number.NaN], 0.5)).toBe(2.5);
    expect(finiteQuantile([10, 0, 5], 0.9)).toBeCloseTo(9, 12);
    expect(Number.isNaN(finiteQuantile([Number.NaN], 0.5))).toBe(true);
  });

  it('scoreSuggestions(x, scores) flags points above the quantile, merges gaps ≤ maxGap, ranks by peak score', () => {
    const scores = Array.from({ length: 100 }, () => 0);
    scores[10] = 5;
    scores[13] = 6;
    scores[50] = 9;
    scores[90] = Number.NaN;
    const x = scores.map((_, i) => i * 10);
    const s = scoreSuggestions(x, scores, { series: 's', quantile: 0.97, maxGap: 3, sourceName: 'm', sourceType: 'model', run: 'r1' });
    expect(s.map((g) => g.proposal.kind === 'range' && [g.proposal.start, g.proposal.end, g.score])).toEqual([[500, 500, 9], [100, 130, 6]]);
    expect(s[0]!.source).toEqual({ type: 'model', name: 'm', run: 'r1' });
    expect(scoreSuggestions(x, scores, { series: 's', threshold: 5.5, maxGap: 3, sourceName: 'm' })).toHaveLength(2);
    expect(scoreSuggestions(x, scores, { series: 's', threshold: 5.5, maxGap: 1, sourceName: 'm' }).map((g) => g.id)).toEqual(['m:s:50', 'm:s:13']);
  });

  it('isolationForestScores(lag/window features) puts injected level shifts and spikes in the top suggestions', () => {
    const rng = createRng(11);
    const n = 3000;
    const values = Array.from({ length: n }, (_, i) => Math.sin(i / 20) + 0.1 * rng.normal());
    values[1200] = 6;
    for (let i = 2400; i < 2410; i++) values[i] = -4;
    // value, lag 1, rolling mean and sd of the 10 before: the features the backend computes in DuckDB.
    const cols = 4;
    const data = new Float64Array(n * cols).fill(Number.NaN);
    for (let i = 10; i < n; i++) {
      const w = values.slice(i - 10, i);
      const mean = w.reduce((a, b) => a + b, 0) / 10;
      data.set([values[i]!, values[i - 1]!, mean, Math.sqrt(w.reduce((a, b) => a + (b - mean) ** 2, 0) / 10)], i * cols);
    }
    const progress: number[] = [];
    const scores = isolationForestScores({ rows: n, cols, data }, { seed: 1, chunkRows: 1000, progress: (p) => progress.push(p.done) });
    expect(progress).toEqual([1000, 2000, 2990]);
    expect(Number.isNaN(scores[5]!)).toBe(true);
    const x = values.map((_, i) => i);
    const top = scoreSuggestions(x, scores, { series: 's', quantile: 0.985, maxGap: 5, sourceName: 'isolation-forest' }).slice(0, 2);
    const hits = (at: number) => top.some((g) => g.proposal.kind === 'range' && g.proposal.start <= at + 2 && g.proposal.end >= at);
    expect(hits(1200)).toBe(true);
    expect(hits(2400)).toBe(true);
    expect(isolationForestScores({ rows: n, cols, data }, { seed: 1, chunkRows: 1000 })).toEqual(scores);
  });
});
