/**
 * NAB scoring of an anomaly detector inside an Evaluate node: the label set's range labels are
 * the anomaly windows, the model's score per row is the anomaly score, and app/labels/nab.ts
 * computes the raw and normalised NAB score, the counts and the detection delay.
 */
import { UserInputError } from '../../base/errors';
import { parseSnapshot, labelSetVersion, replay } from '../../labels/log';
import { emptyLabelSet, type LabelSetState } from '../../labels/model';
import { bestNabThreshold, NAB_PROFILES, nabBounds, normalizeNabScore, scoreNabFile, windowRows, type NabProfileName, type NabWindow } from '../../labels/nab';
import type { ColumnTable } from '../steps/types';

/** The NAB settings of an Evaluate node (present when `labelSet` is set). */
export interface NabEvaluateParams {
  /** Workspace label set name (folder `labels/<name>/`). */
  readonly labelSet: string;
  /** Class of the range labels that are windows; empty = every range label. */
  readonly labelClass: string;
  /** Column of the evaluated table holding each row's time, in the label set's x units. */
  readonly timeColumn: string;
  readonly profile: NabProfileName;
  /** A fixed threshold on the anomaly score, or 'best': the threshold with the highest raw score. */
  readonly threshold: number | 'best';
  /** Share of the first rows NAB leaves unscored (default 0.15). */
  readonly probationPercent: number;
}

/** What NAB scoring adds to an Evaluate node's results (JSON-safe). */
export interface NabDetail {
  readonly labelSet: string;
  /** Content id of the label set that was scored against (lineage). */
  readonly labelVersion: string;
  readonly labelClass: string;
  readonly profile: NabProfileName;
  readonly thresholdMode: 'fixed' | 'best';
  readonly threshold: number;
  readonly windows: number;
  readonly detectedWindows: number;
  /** Per window: [start, end] in x units and the delay from its first row to the first detection (x units; null if missed). */
  readonly perWindow: ReadonlyArray<{ start: number; end: number; delay: number | null; delayRows: number | null }>;
}

const PROFILES: readonly NabProfileName[] = ['standard', 'reward_low_FP_rate', 'reward_low_FN_rate'];

function isProfile(v: unknown): v is NabProfileName {
  return typeof v === 'string' && PROFILES.some((p) => p === v);
}

/** The NAB settings from an Evaluate node's params, or null when no label set is chosen. */
export function nabParams(params: Record<string, unknown>): NabEvaluateParams | null {
  const labelSet = params['labelSet'];
  if (typeof labelSet !== 'string' || labelSet.trim() === '') return null;
  const timeColumn = params['timeColumn'];
  if (typeof timeColumn !== 'string' || timeColumn === '') throw new UserInputError('NAB scoring needs the time column of the evaluated rows: set "Time column" on the Evaluate node.');
  const profile = params['nabProfile'] ?? 'standard';
  if (!isProfile(profile)) throw new UserInputError(`Unknown NAB profile "${String(profile)}" (standard, reward_low_FP_rate or reward_low_FN_rate).`);
  const raw = params['threshold'] ?? 'best';
  const threshold = raw === 'best' ? 'best' : typeof raw === 'number' ? raw : Number(raw);
  if (threshold !== 'best' && !Number.isFinite(threshold)) throw new UserInputError(`The NAB threshold must be a number or "best", not "${String(raw)}".`);
  const labelClass = typeof params['labelClass'] === 'string' ? params['labelClass'] : '';
  const probation = typeof params['probationPercent'] === 'number' ? params['probationPercent'] : 0.15;
  return { labelSet: labelSet.trim(), labelClass, timeColumn, profile, threshold, probationPercent: probation };
}

/**
 * Reads a workspace label set as the label store writes it (`snapshot.json` + `ops.ndjson`,
 * app/labels/log.ts) through `readFile`, replaying the log as the store does on open.
 */
export async function readLabelSet(readFile: (path: string) => Promise<Uint8Array>, name: string): Promise<LabelSetState> {
  const dir = `labels/${name}`;
  const text = async (file: string) => new TextDecoder().decode(await readFile(`${dir}/${file}`));
  const meta = await text('labelset.json').catch(() => {
    throw new UserInputError(`There is no label set "${name}" in this workspace (labels/${name}/labelset.json).`);
  });
  const snapshot = await text('snapshot.json').catch(() => undefined);
  const log = await text('ops.ndjson').catch(() => '');
  const base = snapshot !== undefined ? parseSnapshot(snapshot) : emptyLabelSet(metaId(meta), name, { target: 'timeseries', classes: [] });
  return replay(base, log).state;
}

function metaId(text: string): string {
  const v: unknown = JSON.parse(text);
  return typeof v === 'object' && v !== null && 'id' in v && typeof v.id === 'string' ? v.id : 'labels';
}

/**
 * NAB windows from a label set: its range labels (of `labelClass`, or all when empty), sorted by
 * start, overlapping or touching ranges merged (NAB windows are disjoint).
 */
export function labelWindows(state: LabelSetState, labelClass = ''): NabWindow[] {
  const ranges = Object.values(state.labels).flatMap((l) => (l.kind === 'range' && (labelClass === '' || l.label === labelClass) ? [{ start: l.start, end: l.end }] : []));
  ranges.sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Array<{ start: number; end: number }> = [];
  for (const r of ranges) {
    const last = out.at(-1);
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

/** Rows sorted by time (NaN times dropped): the x values and the scores in that order. */
export function byTime(table: ColumnTable, timeColumn: string, scores: ArrayLike<number>): { x: Float64Array; scores: Float64Array } {
  const column = table.columns.find((c) => c.name === timeColumn);
  if (!column) throw new UserInputError(`The evaluated table has no time column "${timeColumn}".`, { column: timeColumn });
  if (column.type !== 'number') throw new UserInputError(`The time column "${timeColumn}" holds text; NAB scoring needs timestamps or numbers.`, { column: timeColumn });
  const order = Array.from({ length: table.rows }, (_, i) => i).filter((i) => !Number.isNaN(column.values[i]!));
  order.sort((a, b) => column.values[a]! - column.values[b]! || a - b);
  return { x: Float64Array.from(order, (i) => column.values[i]!), scores: Float64Array.from(order, (i) => scores[i]!) };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * NAB metrics of one series: `nab_score` (raw), `nab_score_normalized` (100·(raw − null)/(perfect
 * − null) over this series' windows, absent without scored windows), `nab_threshold` (absent when
 * the best is never to fire), `nab_tp/fp/fn/tn` (rows, as NAB counts
 * them), `nab_windows`, `nab_detected_windows`, and over detected windows `nab_delay_mean` /
 * `nab_delay_median` (x units: ms for timestamps) and `nab_delay_mean_rows`. `x` must be sorted.
 */
export function nabEvaluation(x: Float64Array, scores: Float64Array, windows: readonly NabWindow[], params: Omit<NabEvaluateParams, 'labelSet' | 'timeColumn' | 'labelClass'>): { metrics: Record<string, number>; threshold: number; perWindow: NabDetail['perWindow'] } {
  const cost = NAB_PROFILES[params.profile];
  const base = { x, scores, windows, cost, probationPercent: params.probationPercent };
  const threshold = params.threshold === 'best' ? bestNabThreshold(base).threshold : params.threshold;
  const got = scoreNabFile({ ...base, threshold });
  const rows = windowRows(x, windows);
  const perWindow = rows.map((w, k) => {
    const d = got.delays[k] ?? null;
    return { start: x[w.first]!, end: x[w.last]!, delayRows: d, delay: d === null ? null : x[w.first + d]! - x[w.first]! };
  });
  const { nullScore, perfectScore } = nabBounds(got.windows, cost);
  const metrics: Record<string, number> = {
    nab_score: got.score,
    ...(got.windows > 0 ? { nab_score_normalized: normalizeNabScore(got.score, nullScore, perfectScore) } : {}),
    // +Infinity when never firing scores best (no finite threshold to record).
    ...(Number.isFinite(threshold) ? { nab_threshold: threshold } : {}),
    nab_tp: got.tp, nab_fp: got.fp, nab_fn: got.fn, nab_tn: got.tn,
    nab_windows: got.windows,
    nab_detected_windows: perWindow.filter((w) => w.delay !== null).length,
  };
  const delays = perWindow.flatMap((w) => (w.delay === null ? [] : [w.delay]));
  if (delays.length > 0) {
    metrics['nab_delay_mean'] = delays.reduce((a, b) => a + b, 0) / delays.length;
    metrics['nab_delay_median'] = median(delays);
    metrics['nab_delay_mean_rows'] = perWindow.reduce((a, w) => a + (w.delayRows ?? 0), 0) / delays.length;
  }
  return { metrics, threshold, perWindow };
}

/** NAB scoring of `scores` (one per table row, higher = more anomalous) against a label set. */
export async function evaluateNab(table: ColumnTable, scores: ArrayLike<number>, params: NabEvaluateParams, readFile: (path: string) => Promise<Uint8Array>): Promise<{ metrics: Record<string, number>; detail: NabDetail }> {
  const state = await readLabelSet(readFile, params.labelSet);
  const windows = labelWindows(state, params.labelClass);
  if (windows.length === 0) throw new UserInputError(`The label set "${params.labelSet}" has no range labels${params.labelClass ? ` of class "${params.labelClass}"` : ''} to score against.`);
  const sorted = byTime(table, params.timeColumn, scores);
  const result = nabEvaluation(sorted.x, sorted.scores, windows, params);
  const detail: NabDetail = {
    labelSet: params.labelSet, labelVersion: labelSetVersion(state), labelClass: params.labelClass, profile: params.profile,
    thresholdMode: params.threshold === 'best' ? 'best' : 'fixed', threshold: result.threshold,
    windows: result.metrics['nab_windows']!, detectedWindows: result.metrics['nab_detected_windows']!, perWindow: result.perWindow,
  };
  return { metrics: result.metrics, detail };
}
