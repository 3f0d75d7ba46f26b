/**
 * Numenta Anomaly Benchmark (NAB) scoring, following numenta/NAB's `nab/sweeper.py` (v1.1):
 * labelled windows, a probationary period that is not scored, a scaled sigmoid that rewards early
 * detection inside a window and penalises false positives by their distance past the previous
 * window, and a cost matrix per application profile.
 *
 * Semantics kept exactly:
 * - a row is detected when its anomaly score ≥ threshold;
 * - the first min(floor(p·n), p·5000) rows (p = probationPercent, default 0.15) are not scored;
 * - each window scores once: the best (earliest) detection, or −fnWeight when none;
 * - a detection at row i inside a window whose last row is r and width w scores
 *   tpWeight · σ(−(r − i + 1)/w) / σ(−1), with σ(x) = 2/(1+e^(5x)) − 1 (so ≤ tpWeight);
 * - a detection outside windows scores fpWeight · σ(|r′ − i|/(w′ − 1)) after a window (r′, w′),
 *   and −fpWeight before the first window;
 * - counts are per row: TP/FN = scored rows inside windows with/without a detection, FP/TN outside.
 */

/** Weights of one NAB application profile (config/profiles.json "CostMatrix"). */
export interface NabCostMatrix {
  readonly tpWeight: number;
  readonly fpWeight: number;
  readonly fnWeight: number;
  readonly tnWeight: number;
}

/** The three standard NAB profiles. */
export type NabProfileName = 'standard' | 'reward_low_FP_rate' | 'reward_low_FN_rate';

/** NAB's published cost matrices (identical to NAB's config/profiles.json). */
export const NAB_PROFILES: Readonly<Record<NabProfileName, NabCostMatrix>> = {
  standard: { tpWeight: 1, fnWeight: 1, fpWeight: 0.11, tnWeight: 1 },
  reward_low_FP_rate: { tpWeight: 1, fnWeight: 1, fpWeight: 0.22, tnWeight: 1 },
  reward_low_FN_rate: { tpWeight: 1, fnWeight: 2, fpWeight: 0.11, tnWeight: 1 },
};

/** An anomaly window in the series' x units (inclusive on both ends). */
export interface NabWindow {
  readonly start: number;
  readonly end: number;
}

/** NAB's scaled sigmoid: 2/(1+e^(5x)) − 1, and −1 for x ≥ 3 (a false positive far behind a window). */
export function scaledSigmoid(relativePosition: number): number {
  if (relativePosition >= 3) return -1;
  return 2 / (1 + Math.exp(5 * relativePosition)) - 1;
}

/** Rows not scored at the start of a series of `rows` rows. */
export function probationaryLength(rows: number, probationPercent = 0.15): number {
  return Math.min(Math.floor(probationPercent * rows), probationPercent * 5000);
}

/**
 * Row index ranges [first, last] of each window over sorted `x` (rows with start ≤ x ≤ end).
 * Windows with no rows are dropped. Windows must be sorted and disjoint, as in NAB's label files.
 */
export function windowRows(x: ArrayLike<number>, windows: readonly NabWindow[]): Array<{ first: number; last: number }> {
  const out: Array<{ first: number; last: number }> = [];
  for (const w of windows) {
    let first = -1;
    let last = -1;
    for (let i = 0; i < x.length; i++) {
      const t = x[i]!;
      if (t >= w.start && t <= w.end) {
        if (first < 0) first = i;
        last = i;
      }
    }
    if (first >= 0) out.push({ first, last });
  }
  return out;
}

/** Binary detections: 1 where score ≥ threshold (NaN never detects). */
export function thresholdScores(scores: ArrayLike<number>, threshold: number): Uint8Array {
  const out = new Uint8Array(scores.length);
  for (let i = 0; i < scores.length; i++) out[i] = scores[i]! >= threshold ? 1 : 0;
  return out;
}

/** Per-row sweep values: the weighted score a detection at that row would earn, and its window. */
export interface NabRowScores {
  /** Weighted score of a detection at each row (TP reward inside windows, FP penalty outside). */
  readonly value: Float64Array;
  /** Window index of each row; −1 outside windows; −2 inside the probationary period. */
  readonly window: Int32Array;
}

/** NAB's per-row sweep scores (Sweeper.calcSweepScore) for `rows` rows. */
export function nabRowScores(
  rows: number,
  windows: ReadonlyArray<{ first: number; last: number }>,
  cost: NabCostMatrix,
  probationPercent = 0.15,
): NabRowScores {
  const value = new Float64Array(rows);
  const window = new Int32Array(rows).fill(-1);
  const maxTp = scaledSigmoid(-1);
  const probation = probationaryLength(rows, probationPercent);
  let w = 0;
  let prev: { last: number; width: number } | undefined;
  for (let i = 0; i < rows; i++) {
    const cur = windows[w];
    const inWindow = cur !== undefined && i >= cur.first && i <= cur.last;
    if (inWindow) {
      const width = cur.last - cur.first + 1;
      value[i] = (scaledSigmoid(-(cur.last - i + 1) / width) * cost.tpWeight) / maxTp;
      window[i] = w;
      if (i === cur.last) {
        prev = { last: cur.last, width };
        w++;
      }
    } else {
      const position = prev === undefined ? 3 : Math.abs(prev.last - i) / (prev.width - 1);
      value[i] = scaledSigmoid(position) * cost.fpWeight;
    }
    if (i < probation) window[i] = -2;
  }
  return { value, window };
}

/** The score of one file at one threshold, with NAB's counts. */
export interface NabFileScore {
  /** Raw NAB score (sum of window rewards/penalties and false-positive penalties). */
  readonly score: number;
  readonly tp: number;
  readonly tn: number;
  readonly fp: number;
  readonly fn: number;
  /** Scored rows (tp + tn + fp + fn); NAB v1.0 score files list all rows instead. */
  readonly total: number;
  /** Number of windows that hold scored rows. */
  readonly windows: number;
  /** Per window: rows from the window's first row to its first detection, or null if missed. */
  readonly delays: ReadonlyArray<number | null>;
}

/** Input of `scoreNabFile`: x values (sorted), anomaly scores per row, windows in x units. */
export interface NabFileInput {
  readonly x: ArrayLike<number>;
  readonly scores: ArrayLike<number>;
  readonly windows: readonly NabWindow[];
  readonly cost: NabCostMatrix;
  readonly threshold: number;
  readonly probationPercent?: number;
}

/** Scores one data file at one threshold (NAB's Sweeper.scoreDataSet). */
export function scoreNabFile(input: NabFileInput): NabFileScore {
  const n = input.scores.length;
  const wins = windowRows(input.x, input.windows);
  const rowScores = nabRowScores(n, wins, input.cost, input.probationPercent ?? 0.15);
  const detected = thresholdScores(input.scores, input.threshold);
  const best = new Map<number, number>();
  const firstDetection = new Map<number, number>();
  let fpScore = 0;
  let tp = 0;
  let tn = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < n; i++) {
    const w = rowScores.window[i]!;
    if (w === -2) continue;
    if (w >= 0 && !best.has(w)) best.set(w, -input.cost.fnWeight);
    if (!detected[i]) {
      if (w >= 0) fn++;
      else tn++;
      continue;
    }
    if (w >= 0) {
      tp++;
      best.set(w, Math.max(best.get(w)!, rowScores.value[i]!));
      if (!firstDetection.has(w)) firstDetection.set(w, i);
    } else {
      fp++;
      fpScore += rowScores.value[i]!;
    }
  }
  let score = fpScore;
  for (const v of best.values()) score += v;
  const delays = wins.map((win, k) => (firstDetection.has(k) ? firstDetection.get(k)! - win.first : null));
  return { score, tp, tn, fp, fn, total: tp + tn + fp + fn, windows: best.size, delays };
}

/**
 * Corpus-level normalised NAB score: 100·(raw − null)/(perfect − null), where `nullScore` is the
 * score of a detector that never fires (−fnWeight per window) and `perfectScore` the score of one
 * that fires at the start of every window and nowhere else (tpWeight per window).
 */
export function normalizeNabScore(raw: number, nullScore: number, perfectScore: number): number {
  return (100 * (raw - nullScore)) / (perfectScore - nullScore);
}

/** Null and perfect raw scores for `windowCount` scored windows under `cost`. */
export function nabBounds(windowCount: number, cost: NabCostMatrix): { nullScore: number; perfectScore: number } {
  return { nullScore: -cost.fnWeight * windowCount, perfectScore: cost.tpWeight * windowCount };
}

/**
 * Parses NAB's timestamps ("YYYY-MM-DD HH:MM:SS[.ffffff]", also with a "T") into epoch ms, UTC.
 * Pure arithmetic (no Date), so it runs in app/ and gives the same value everywhere.
 */
export function parseNabTimestamp(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?/.exec(text.trim());
  if (!m) return Number.NaN;
  const [y, mo, d, h, mi] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])];
  const s = m[6] ? Number(m[6]) : 0;
  const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000 + 1e-6) : 0;
  return daysFromCivil(y, mo, d) * 86_400_000 + ((h * 60 + mi) * 60 + s) * 1000 + ms;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
function daysFromCivil(y0: number, m: number, d: number): number {
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** One point of a threshold sweep: the raw score a threshold earns. */
export interface NabSweepPoint {
  readonly threshold: number;
  readonly score: number;
}

/**
 * Every distinct threshold of a series at once (NAB's Sweeper.calcScoreByThreshold): rows sorted
 * by descending anomaly score join the detections group by group, each window keeps its best
 * (earliest) detection, false positives add their penalty. Returns one point per distinct finite
 * score, highest threshold first, preceded by +Infinity (no detection: −fnWeight per window).
 * `scoreNabFile` at any returned threshold gives the same raw score (to rounding).
 */
export function sweepNabThresholds(input: Omit<NabFileInput, 'threshold'>): NabSweepPoint[] {
  const n = input.scores.length;
  const wins = windowRows(input.x, input.windows);
  const rows = nabRowScores(n, wins, input.cost, input.probationPercent ?? 0.15);
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (rows.window[i] !== -2 && Number.isFinite(input.scores[i]!)) order.push(i);
  order.sort((a, b) => input.scores[b]! - input.scores[a]! || a - b);
  const scoredWindows = new Set<number>();
  for (let i = 0; i < n; i++) if (rows.window[i]! >= 0) scoredWindows.add(rows.window[i]!);
  const best = new Map<number, number>();
  let total = -input.cost.fnWeight * scoredWindows.size;
  const out: NabSweepPoint[] = [{ threshold: Infinity, score: total }];
  for (let k = 0; k < order.length; ) {
    const threshold = input.scores[order[k]!]!;
    for (; k < order.length && input.scores[order[k]!]! === threshold; k++) {
      const i = order[k]!;
      const w = rows.window[i]!;
      const v = rows.value[i]!;
      if (w < 0) total += v;
      else {
        const before = best.get(w) ?? -input.cost.fnWeight;
        if (v > before) {
          best.set(w, v);
          total += v - before;
        }
      }
    }
    out.push({ threshold, score: total });
  }
  return out;
}

/**
 * The threshold with the highest raw score over one series (ties → the higher threshold, i.e.
 * fewer detections). NAB's optimiser tunes one threshold per detector on the whole corpus; this is
 * the same objective on the series at hand, solved exactly instead of by local search.
 */
export function bestNabThreshold(input: Omit<NabFileInput, 'threshold'>): NabSweepPoint {
  let best: NabSweepPoint = { threshold: Infinity, score: -Infinity };
  for (const p of sweepNabThresholds(input)) if (p.score > best.score + 1e-12) best = p;
  return best;
}
