import { throwIfAborted, UserInputError } from '../../../app/base/errors';
import type { CancelSignal, ProgressSink } from '../../../app/base/signal';
import { quoteIdent, type Engine } from '../../../app/data/engine';
import { timeExpression } from '../../../app/labels/downsample';
import type { Suggestion } from '../../../app/labels/model';
import { scoreSuggestions } from '../../../app/labels/suggest';
import { fitIsolationForest } from '../../../app/ml/trees/isolation-forest';
import { compilePipeline } from '../../../app/pipeline/compile';
import { readOnnxModel, type OnnxModelInfo } from '../../../app/onnx/reader';
import type { OnnxScorer, ScoreFeed } from '../../../app/pipeline/run/types';
import { windowColumns, windowSelectSql, type RollingSpec, type WindowColumn, type WindowSpec } from '../../../app/pipeline/steps/window-sql';
import type { ResolvedSeries } from './series-sql';

/** The lag/window feature columns added to every row of a series (besides its own columns). */
export const SERIES_FEATURES = ['lag_1', 'lag_2', 'diff_1', 'rolling_mean', 'rolling_std'] as const;

/** What the model detectors share: the series key, the channel, the feature window, how scores become ranges. */
export interface ModelSuggestOptions {
  readonly series: string;
  readonly channel: string;
  /** Rows before each row in the rolling mean/std features. */
  readonly window: number;
  readonly quantile: number;
  readonly maxGap: number;
  readonly label: string;
  readonly signal?: CancelSignal;
  readonly progress?: ProgressSink;
}

let tables = 0;

/**
 * Builds a temp table of the series in time order: every column of the rows, `__x` (x units),
 * `__i` (row number from 0) and the lag/window features of `channel` (SERIES_FEATURES), computed
 * in DuckDB; rolling mean/std (population) of the `window` rows before, NULL until that many exist. Returns its name and row count; the caller drops it.
 */
async function featureTable(engine: Engine, series: ResolvedSeries, channel: string, window: number, signal?: CancelSignal): Promise<{ table: string; rows: number }> {
  const x = timeExpression(series.timeColumn, series.timeKind);
  const v = `${quoteIdent(channel)}::DOUBLE`;
  const w = Math.max(2, Math.floor(window));
  const table = `"suggest_features_${tables++}"`;
  await engine.exec(`CREATE OR REPLACE TEMP TABLE ${table} AS
    SELECT row_number() OVER (ORDER BY __x) - 1 AS __i, * FROM (
      SELECT *, ${x} AS __x, lag(${v}, 1) OVER w AS lag_1, lag(${v}, 2) OVER w AS lag_2, ${v} - lag(${v}, 1) OVER w AS diff_1,
        CASE WHEN count(${v}) OVER win = ${w} THEN avg(${v}) OVER win END AS rolling_mean,
        CASE WHEN count(${v}) OVER win = ${w} THEN stddev_pop(${v}) OVER win END AS rolling_std
      FROM ${series.relation} WHERE ${x} IS NOT NULL AND ${v} IS NOT NULL WINDOW w AS (ORDER BY ${x}), win AS (w ROWS BETWEEN ${w} PRECEDING AND 1 PRECEDING))
    ORDER BY __i`, signal ? { signal } : {});
  const rows = Number((await engine.query(`SELECT count(*)::DOUBLE AS n FROM ${table}`)).get(0)?.toJSON()['n'] ?? 0);
  return { table, rows };
}

/** A result column as doubles, NULL → NaN (Arrow's toArray() would give 0 for NULL). */
function doubles(vector: Iterable<unknown> | null | undefined, rows: number): Float64Array {
  const out = new Float64Array(rows).fill(Number.NaN);
  let r = 0;
  for (const v of vector ?? []) {
    out[r] = v === null || v === undefined ? Number.NaN : Number(v);
    r++;
  }
  return out;
}

/** Rows an isolation forest is fitted on at most (a systematic sample; each tree draws 256 of them). */
const FIT_ROWS = 50_000;

/**
 * Isolation forest suggestions: a forest fitted on (a systematic sample of at most FIT_ROWS of)
 * the series' own rows, features the channel and SERIES_FEATURES; compiled to ONNX and scored over
 * every row in chunks like any score model (bounded memory, progress, cancel). Rows without a
 * full feature window get no score. The top `quantile` of scores becomes ranges; source
 * "isolation-forest".
 */
export async function isolationForestSuggestions(engine: Engine, series: ResolvedSeries, score: OnnxScorer, options: ModelSuggestOptions & { nTrees?: number; seed?: number; chunkRows?: number }): Promise<Suggestion[]> {
  const built = await featureTable(engine, series, options.channel, options.window, options.signal);
  try {
    const columns = [options.channel, ...SERIES_FEATURES];
    const step = Math.max(1, Math.ceil(built.rows / FIT_ROWS));
    const complete = columns.map((c) => `${quoteIdent(c)} IS NOT NULL AND NOT isnan(${quoteIdent(c)}::DOUBLE)`).join(' AND ');
    const t = await engine.query(`SELECT ${columns.map((c) => `${quoteIdent(c)}::DOUBLE AS ${quoteIdent(c)}`).join(', ')} FROM ${built.table} WHERE __i % ${step} = 0 AND ${complete} ORDER BY __i`, options.signal ? { signal: options.signal } : {});
    const n = t.numRows;
    if (n === 0) throw new UserInputError(`The series is too short for the isolation forest's features (a ${options.window}-row window).`);
    const data = new Float64Array(n * columns.length);
    columns.forEach((c, j) => {
      const col = doubles(t.getChild(c), n);
      for (let r = 0; r < n; r++) data[r * columns.length + j] = col[r]!;
    });
    const model = fitIsolationForest({ rows: n, cols: columns.length, data }, { nEstimators: options.nTrees ?? 100, maxSamples: 256 }, { seed: options.seed ?? 0, ...(options.signal ? { signal: options.signal } : {}) });
    const bytes = compilePipeline({ pipelineId: 'suggest-isolation-forest', columns: columns.map((name) => ({ name, type: 'number' })), steps: [{ kind: 'selectColumns', keep: columns }], model, metadata: { 'vajra.task': 'anomaly' } });
    return await scoreRows(engine, built, { bytes, name: 'isolation-forest' }, score, { ...options, skipIncomplete: true, sourceName: 'isolation-forest', sourceType: 'detector' });
  } finally {
    await engine.exec(`DROP TABLE IF EXISTS ${built.table}`);
  }
}

/**
 * The lag and rolling columns a pipeline's Lag/Rolling nodes would have added (`<col>_lag<k>`,
 * `<col>_roll<fn><window>`, app/pipeline/steps/window-sql.ts), for model inputs the series lacks,
 * computed the same way over the series in time order. Names that match neither are left out.
 */
export function pipelineWindowColumns(missing: readonly string[], columns: ReadonlyArray<{ name: string; type: 'number' | 'string' }>): WindowColumn[] {
  const out: WindowColumn[] = [];
  for (const name of missing) {
    const lag = /^(.+)_lag(\d+)$/.exec(name);
    const roll = /^(.+)_roll(mean|sum|min|max|std)(\d+)$/.exec(name);
    const spec: WindowSpec | undefined = lag && columns.some((c) => c.name === lag[1])
      ? { kind: 'lag', column: lag[1]!, orderBy: '__x', partitionBy: '', lags: [Number(lag[2])] }
      : roll && columns.some((c) => c.name === roll[1]) && isRollingFn(roll[2]!)
        ? { kind: 'rolling', column: roll[1]!, orderBy: '__x', partitionBy: '', window: Number(roll[3]), fn: roll[2] }
        : undefined;
    if (spec) out.push(...windowColumns(spec, columns));
  }
  return out;
}

function isRollingFn(fn: string): fn is RollingSpec['fn'] {
  return fn === 'mean' || fn === 'sum' || fn === 'min' || fn === 'max' || fn === 'std';
}

/** The output holding a model's anomaly score and whether it must be negated (Vajra's isolation forests output score_samples). */
export function scoreOutput(info: OnnxModelInfo): { name: string; negate: boolean } | null {
  const numeric = info.outputs.filter((o) => o.elemType === 'float' || o.elemType === 'double');
  const named = numeric.find((o) => o.name === 'score');
  const task = info.metadata['vajra.task'];
  if (task !== undefined && task !== 'anomaly' && task !== 'regression') return null;
  const out = named ?? (numeric.length === 1 ? numeric[0] : undefined);
  return out ? { name: out.name, negate: task === 'anomaly' } : null;
}

/**
 * Suggestions from any ONNX model whose output is a score: each graph input is fed the column of
 * the same name (the series' own columns, SERIES_FEATURES, or the `<col>_lag<k>` /
 * `<col>_roll<fn><w>` columns a pipeline's Lag/Rolling nodes make), `chunkRows` rows at a time through
 * onnxruntime-node, with progress and cancellation between chunks. Higher score = more anomalous
 * (Vajra isolation forests, which output score_samples, are negated).
 */
export async function onnxSuggestions(engine: Engine, series: ResolvedSeries, model: { bytes: Uint8Array; name: string; run?: string }, score: OnnxScorer, options: ModelSuggestOptions & { chunkRows?: number }): Promise<Suggestion[]> {
  const built = await featureTable(engine, series, options.channel, options.window, options.signal);
  let table = built.table;
  try {
    const info = readOnnxModel(model.bytes);
    const described = (await engine.query(`DESCRIBE ${table}`)).toArray().map((r) => r.toJSON());
    const derived = pipelineWindowColumns(info.inputs.map((i) => i.name).filter((n) => !described.some((r) => r['column_name'] === n)), described.map((r) => ({ name: String(r['column_name']), type: /CHAR|STRING|TEXT/i.test(String(r['column_type'])) ? 'string' : 'number' })));
    if (derived.length > 0) {
      const next = `"suggest_features_${tables++}"`;
      await engine.exec(`CREATE TEMP TABLE ${next} AS ${windowSelectSql(table, derived)} ORDER BY __i`);
      await engine.exec(`DROP TABLE IF EXISTS ${table}`);
      table = next;
    }
    return await scoreRows(engine, { table, rows: built.rows }, model, score, { ...options, sourceName: `model:${model.name}`, sourceType: 'model' });
  } finally {
    await engine.exec(`DROP TABLE IF EXISTS ${table}`);
  }
}

interface ScoreRowsOptions extends ModelSuggestOptions {
  readonly chunkRows?: number;
  /** Rows with a missing input get no score (NaN) instead of the model's answer for a missing value. */
  readonly skipIncomplete?: boolean;
  readonly sourceName: string;
  readonly sourceType: 'detector' | 'model';
}

/** Scores every row of a feature table through `model` in chunks and turns the scores into suggestions. */
async function scoreRows(engine: Engine, features: { table: string; rows: number }, model: { bytes: Uint8Array; name: string; run?: string }, score: OnnxScorer, options: ScoreRowsOptions): Promise<Suggestion[]> {
  const info = readOnnxModel(model.bytes);
  const out = scoreOutput(info);
  if (!out) throw new UserInputError(`"${model.name}" does not output a score (it is a ${info.metadata['vajra.task'] ?? 'model'} with outputs ${info.outputs.map((o) => o.name).join(', ')}).`);
  const have = new Set((await engine.query(`DESCRIBE ${features.table}`)).toArray().map((r) => String(r.toJSON()['column_name'])));
  for (const input of info.inputs) {
    if (!have.has(input.name)) throw new UserInputError(`The model "${model.name}" needs a column "${input.name}", which the series does not have (it has ${[...have].filter((c) => !c.startsWith('__')).join(', ')}).`);
    if (input.elemType !== 'float' && input.elemType !== 'double') throw new UserInputError(`The model input "${input.name}" takes ${input.elemType} values; only number inputs can be fed from a series.`);
  }
  const { rows } = features;
  const x = new Float64Array(rows);
  const scores = new Float64Array(rows);
  const chunk = Math.max(1, options.chunkRows ?? 50_000);
  const select = info.inputs.map((i) => `${quoteIdent(i.name)}::DOUBLE AS ${quoteIdent(i.name)}`).join(', ');
  for (let start = 0; start < rows; start += chunk) {
    throwIfAborted(options.signal);
    const t = await engine.query(`SELECT __x${select ? `, ${select}` : ''} FROM ${features.table} WHERE __i >= ${start} AND __i < ${start + chunk} ORDER BY __i`);
    const n = t.numRows;
    const inputs = info.inputs.map((i) => doubles(t.getChild(i.name), n));
    const feeds: ScoreFeed[] = info.inputs.map((i, k) => ({ name: i.name, elemType: i.elemType === 'float' ? 'float' : 'double', dims: [n, 1], data: i.elemType === 'float' ? Float32Array.from(inputs[k]!) : inputs[k]! }));
    const result = await score(model.bytes, feeds, options.signal);
    const got = result[out.name];
    if (!got || !(got.data instanceof Float64Array)) throw new UserInputError(`The model gave no number output "${out.name}".`);
    const width = got.dims[1] ?? 1;
    x.set(doubles(t.getChild('__x'), n), start);
    for (let r = 0; r < n; r++) {
      const missing = options.skipIncomplete === true && inputs.some((col) => Number.isNaN(col[r]!));
      scores[start + r] = missing ? Number.NaN : (out.negate ? -1 : 1) * got.data[r * width]!;
    }
    options.progress?.({ done: start + n, total: rows, message: 'scoring rows' });
  }
  return scoreSuggestions(x, scores, { series: options.series, quantile: options.quantile, maxGap: options.maxGap, label: options.label, sourceName: options.sourceName, sourceType: options.sourceType, ...(model.run ? { run: model.run } : {}) });
}
