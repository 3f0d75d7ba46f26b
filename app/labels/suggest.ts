/**
 * Anomaly pre-annotation: a rolling z-score detector turns a series into candidate ranges
 * (suggestions, never labels) with a score, for a human to accept or reject.
 */
import type { Suggestion } from './model';

/** Options of `rollingZScoreSuggestions`. */
export interface ZScoreOptions {
  readonly series: string;
  /** Trailing samples that define "normal" for each point (the point itself excluded). Default 50. */
  readonly window?: number;
  /** |z| at or above which a point is anomalous. Default 3. */
  readonly threshold?: number;
  /** Flagged points at most this many samples apart join one range. Default 1 (adjacent only). */
  readonly maxGap?: number;
  /** Class of the proposed ranges. Default "anomaly". */
  readonly label?: string;
  /** Source name recorded on each suggestion. Default "rolling-zscore". */
  readonly sourceName?: string;
}

/** Per-sample z-score of `values[i]` against the `window` samples before it (NaN for the first `window`; 0 when that window is flat and equal). */
export function rollingZScores(values: ArrayLike<number>, window: number): Float64Array {
  const n = values.length;
  const z = new Float64Array(n).fill(Number.NaN);
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    if (i >= window) {
      const mean = sum / window;
      const variance = Math.max(0, sumSq / window - mean * mean);
      const sd = Math.sqrt(variance);
      const d = values[i]! - mean;
      z[i] = sd > 1e-12 * Math.max(1, Math.abs(mean)) ? d / sd : d === 0 ? 0 : Math.sign(d) * Infinity;
      const old = values[i - window]!;
      sum -= old;
      sumSq -= old * old;
    }
    sum += values[i]!;
    sumSq += values[i]! * values[i]!;
  }
  return z;
}

/**
 * Candidate anomaly ranges over a series with x values `x` (sorted): runs of |z| ≥ threshold,
 * merged across gaps ≤ maxGap, each scored by its largest |z|, sorted by descending score.
 * Ids are deterministic (`source:series:firstRow`) so re-running proposes the same ids.
 */
export function rollingZScoreSuggestions(x: ArrayLike<number>, values: ArrayLike<number>, options: ZScoreOptions): Suggestion[] {
  const window = options.window ?? 50;
  const threshold = options.threshold ?? 3;
  const maxGap = options.maxGap ?? 1;
  const label = options.label ?? 'anomaly';
  const name = options.sourceName ?? 'rolling-zscore';
  const z = rollingZScores(values, window);
  const runs: Array<{ first: number; last: number; score: number }> = [];
  for (let i = 0; i < z.length; i++) {
    const a = Math.abs(z[i]!);
    if (!(a >= threshold)) continue;
    const last = runs[runs.length - 1];
    if (last && i - last.last <= maxGap) {
      last.last = i;
      last.score = Math.max(last.score, a);
    } else runs.push({ first: i, last: i, score: a });
  }
  return runs
    .map((r): Suggestion => {
      const id = `${name}:${options.series}:${r.first}`;
      return {
        id,
        proposal: { kind: 'range', id, series: options.series, start: x[r.first]!, end: x[r.last]!, label },
        source: { type: 'detector', name },
        score: r.score,
      };
    })
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
}
