/**
 * Anomaly pre-annotation: a detector (rolling z-score, an isolation forest on lag/window features,
 * or any model that outputs a score) turns a series into candidate ranges (suggestions, never
 * labels) with a score, for a human to accept or reject.
 */
import { throwIfAborted } from '../base/errors';
import type { CancelSignal, ProgressSink } from '../base/signal';
import { fitIsolationForest } from '../ml/trees/isolation-forest';
import { isolationScores } from '../ml/trees/predict';
import type { Matrix } from '../ml/types';
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

/** The `q` quantile (0..1, linear interpolation as numpy's default) of the finite values. */
export function finiteQuantile(values: ArrayLike<number>, q: number): number {
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) finite.push(values[i]!);
  const sorted = Float64Array.from(finite).sort();
  if (sorted.length === 0) return Number.NaN;
  const pos = Math.min(1, Math.max(0, q)) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Options of `scoreSuggestions`. */
export interface ScoreSuggestOptions {
  readonly series: string;
  /** Points whose score is at or above this quantile of all finite scores are flagged. Default 0.99. */
  readonly quantile?: number;
  /** An absolute score threshold instead of the quantile. */
  readonly threshold?: number;
  /** Flagged points at most this many samples apart join one range. Default 3. */
  readonly maxGap?: number;
  /** Class of the proposed ranges. Default "anomaly". */
  readonly label?: string;
  /** Source name recorded on each suggestion and in its id, e.g. "isolation-forest". */
  readonly sourceName: string;
  /** "detector" for built-in detectors, "model" for a trained/imported model. Default "detector". */
  readonly sourceType?: 'detector' | 'model';
  /** The run the model came from, recorded on the suggestion. */
  readonly run?: string;
}

/**
 * Candidate ranges from per-point anomaly scores (higher = more anomalous) over sorted `x`:
 * points with score ≥ threshold (the `quantile` of the scores unless `threshold` is given) merged
 * across gaps ≤ maxGap, each scored by its highest point, ranked by descending score. Ids are
 * deterministic (`source:series:firstRow`), so a re-run proposes the same ids.
 */
export function scoreSuggestions(x: ArrayLike<number>, scores: ArrayLike<number>, options: ScoreSuggestOptions): Suggestion[] {
  const threshold = options.threshold ?? finiteQuantile(scores, options.quantile ?? 0.99);
  const maxGap = options.maxGap ?? 3;
  const runs: Array<{ first: number; last: number; score: number }> = [];
  for (let i = 0; i < scores.length; i++) {
    const v = scores[i]!;
    if (!(v >= threshold)) continue;
    const last = runs[runs.length - 1];
    if (last && i - last.last <= maxGap) {
      last.last = i;
      last.score = Math.max(last.score, v);
    } else runs.push({ first: i, last: i, score: v });
  }
  const label = options.label ?? 'anomaly';
  const source = { type: options.sourceType ?? 'detector', name: options.sourceName, ...(options.run ? { run: options.run } : {}) } as const;
  return runs
    .map((r): Suggestion => {
      const id = `${options.sourceName}:${options.series}:${r.first}`;
      return { id, proposal: { kind: 'range', id, series: options.series, start: x[r.first]!, end: x[r.last]!, label }, source, score: r.score };
    })
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
}

/** Options of `isolationForestScores`. */
export interface IsolationForestScoreOptions {
  readonly nTrees?: number;
  readonly sampleSize?: number;
  readonly seed?: number;
  /** Rows scored per step (progress and cancellation are checked between steps). Default 50,000. */
  readonly chunkRows?: number;
  readonly signal?: CancelSignal;
  readonly progress?: ProgressSink;
}

/**
 * Anomaly score per row of `features` from an isolation forest fitted on those rows:
 * 2^(−E[h]/c(ψ)) (the original paper's score, = −score_samples of scikit-learn), in (0, 1],
 * higher = more anomalous. Rows with a missing feature score NaN (never flagged).
 */
export function isolationForestScores(features: Matrix, options: IsolationForestScoreOptions = {}): Float64Array {
  const { rows, cols } = features;
  const complete: number[] = [];
  for (let r = 0; r < rows; r++) {
    let ok = true;
    for (let c = 0; c < cols && ok; c++) ok = Number.isFinite(features.data[r * cols + c]!);
    if (ok) complete.push(r);
  }
  const out = new Float64Array(rows).fill(Number.NaN);
  if (complete.length === 0) return out;
  const clean: Matrix = { rows: complete.length, cols, data: new Float64Array(complete.length * cols) };
  complete.forEach((r, k) => clean.data.set(features.data.subarray(r * cols, (r + 1) * cols), k * cols));
  const model = fitIsolationForest(clean, { nEstimators: options.nTrees ?? 100, maxSamples: options.sampleSize ?? 256 }, { seed: options.seed ?? 0, ...(options.signal ? { signal: options.signal } : {}) });
  if (model.kind !== 'isolationForest') throw new Error('fitIsolationForest returned another model kind');
  const chunk = Math.max(1, options.chunkRows ?? 50_000);
  for (let start = 0; start < complete.length; start += chunk) {
    throwIfAborted(options.signal);
    const end = Math.min(complete.length, start + chunk);
    const part: Matrix = { rows: end - start, cols, data: clean.data.subarray(start * cols, end * cols) };
    const s = isolationScores(model.ensemble, model.sampleSize, part);
    for (let k = 0; k < s.length; k++) out[complete[start + k]!] = -s[k]!;
    options.progress?.({ done: end, total: complete.length, message: 'scoring rows' });
  }
  return out;
}
