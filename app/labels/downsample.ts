/**
 * Per-pixel-column downsampling of a time series in SQL (M4: first, last, min and max of every
 * channel per pixel column), so a view of any length ships at most `pixels` rows per channel and
 * still draws every spike. Pure: builds DuckDB SQL and shapes its Arrow result.
 */
import type { Table } from 'apache-arrow';
import { UserInputError } from '../base/errors';
import { quoteIdent } from '../data/engine';

/** How the time column is stored: a TIMESTAMP/DATE (x in epoch ms, UTC) or a plain number (x as is). */
export type TimeKind = 'timestamp' | 'number';

/** The most pixel columns one window may ask for (a 4K screen at 2× is 7,680). */
export const MAX_PIXELS = 8192;

/** One downsampling request. `relation` is SQL naming the rows (a quoted table or a table function). */
export interface M4Request {
  readonly relation: string;
  readonly timeColumn: string;
  readonly timeKind: TimeKind;
  readonly valueColumns: readonly string[];
  /** Visible x range in x units (epoch ms for timestamps), inclusive, from < to. */
  readonly from: number;
  readonly to: number;
  /** Pixel columns across [from, to]; 1 ≤ pixels ≤ MAX_PIXELS. */
  readonly pixels: number;
}

/** x of the time column in x units, as DOUBLE. */
export function timeExpression(timeColumn: string, timeKind: TimeKind): string {
  const t = quoteIdent(timeColumn);
  return timeKind === 'timestamp' ? `epoch_ms(${t}::TIMESTAMP)::DOUBLE` : `${t}::DOUBLE`;
}

/** A WHERE condition keeping rows with from ≤ x ≤ to, written on the raw column so DuckDB can prune by zone maps. */
export function timeRangeCondition(timeColumn: string, timeKind: TimeKind, from: number, to: number): string {
  const t = quoteIdent(timeColumn);
  if (timeKind === 'timestamp') return `${t}::TIMESTAMP BETWEEN epoch_ms(${Math.floor(from)}::BIGINT) AND epoch_ms(${Math.ceil(to)}::BIGINT)`;
  return `${t} BETWEEN ${num(from)} AND ${num(to)}`;
}

function num(v: number): string {
  if (!Number.isFinite(v)) throw new UserInputError(`not a finite number: ${v}`);
  return String(v);
}

/**
 * SQL of the M4 window: one row per non-empty pixel column `px` (0 ≤ px < pixels, ascending) with
 * `x_first`, `x_last`, `n` and, for channel i, `v{i}_min`, `v{i}_max`, `v{i}_first`, `v{i}_last`
 * (all DOUBLE). Rows with a NULL time are skipped; a NULL value is ignored by min/max.
 */
export function m4Sql(request: M4Request): string {
  const { from, to, pixels, valueColumns } = request;
  if (!(to > from)) throw new UserInputError('the window needs from < to');
  if (!Number.isInteger(pixels) || pixels < 1 || pixels > MAX_PIXELS) throw new UserInputError(`pixels must be a whole number from 1 to ${MAX_PIXELS}`);
  if (valueColumns.length === 0) throw new UserInputError('pick at least one value column');
  const x = timeExpression(request.timeColumn, request.timeKind);
  const values = valueColumns.map((c, i) => `${quoteIdent(c)}::DOUBLE AS v${i}`).join(', ');
  const scale = pixels / (to - from);
  const aggregates = valueColumns
    .map((_, i) => `min(v${i}) AS v${i}_min, max(v${i}) AS v${i}_max, arg_min(v${i}, x) AS v${i}_first, arg_max(v${i}, x) AS v${i}_last`)
    .join(', ');
  return [
    `WITH src AS (SELECT ${x} AS x, ${values} FROM ${request.relation} WHERE ${timeRangeCondition(request.timeColumn, request.timeKind, from, to)}),`,
    `b AS (SELECT least(${pixels - 1}, greatest(0, floor((x - ${num(from)}) * ${num(scale)})))::INTEGER AS px, * FROM src WHERE x IS NOT NULL)`,
    `SELECT px, min(x) AS x_first, max(x) AS x_last, count(*)::DOUBLE AS n, ${aggregates} FROM b GROUP BY px ORDER BY px`,
  ].join('\n');
}

/** SQL giving the series' `x_min`, `x_max` (x units, DOUBLE) and `n` (rows, DOUBLE). */
export function extentSql(relation: string, timeColumn: string, timeKind: TimeKind): string {
  const x = timeExpression(timeColumn, timeKind);
  return `SELECT min(${x}) AS x_min, max(${x}) AS x_max, count(*)::DOUBLE AS n FROM ${relation}`;
}

/** Downsampled values of one channel: arrays aligned with the window's buckets. */
export interface ChannelWindow {
  readonly name: string;
  readonly min: Float64Array;
  readonly max: Float64Array;
  readonly first: Float64Array;
  readonly last: Float64Array;
}

/** A shaped M4 window: `buckets` non-empty pixel columns in ascending x. NaN marks a NULL. */
export interface SeriesWindow {
  readonly from: number;
  readonly to: number;
  readonly pixels: number;
  readonly buckets: number;
  readonly px: Int32Array;
  readonly xFirst: Float64Array;
  readonly xLast: Float64Array;
  /** Source rows per bucket; their sum is the rows inside [from, to]. */
  readonly count: Float64Array;
  readonly channels: readonly ChannelWindow[];
}

function column(table: Table, name: string): Float64Array {
  const vector = table.getChild(name);
  if (!vector) throw new UserInputError(`the window result has no column ${name}`);
  const out = new Float64Array(table.numRows);
  for (let i = 0; i < out.length; i++) {
    const v: unknown = vector.get(i);
    out[i] = v === null || v === undefined ? Number.NaN : Number(v);
  }
  return out;
}

/** Shapes the Arrow result of `m4Sql(request)` into typed arrays (what the canvas draws). */
export function shapeM4(table: Table, request: Pick<M4Request, 'from' | 'to' | 'pixels' | 'valueColumns'>): SeriesWindow {
  const px = Int32Array.from(column(table, 'px'));
  return {
    from: request.from,
    to: request.to,
    pixels: request.pixels,
    buckets: table.numRows,
    px,
    xFirst: column(table, 'x_first'),
    xLast: column(table, 'x_last'),
    count: column(table, 'n'),
    channels: request.valueColumns.map((name, i) => ({
      name,
      min: column(table, `v${i}_min`),
      max: column(table, `v${i}_max`),
      first: column(table, `v${i}_first`),
      last: column(table, `v${i}_last`),
    })),
  };
}

/**
 * A pre-aggregated level of a long series: the rows grouped into buckets of fixed width, each
 * with the M4 columns of `m4Sql` (x_first, x_last, n, v{i}_min/_max/_first/_last), so a zoomed-out
 * window merges buckets instead of scanning every row.
 */
export interface M4Level {
  /** SQL name of the level's table. */
  readonly table: string;
  /** Bucket `b` holds origin + b·width ≤ x < origin + (b+1)·width (x units). */
  readonly origin: number;
  readonly width: number;
  readonly buckets: number;
}

function mergeAggregates(channels: number): string {
  return Array.from({ length: channels }, (_, i) => `min(v${i}_min) AS v${i}_min, max(v${i}_max) AS v${i}_max, arg_min(v${i}_first, x_first) AS v${i}_first, arg_max(v${i}_last, x_last) AS v${i}_last`).join(', ');
}

/** SQL selecting the first level from raw rows: buckets of `width` x units counted from `origin`. */
export function levelFromRowsSql(request: Pick<M4Request, 'relation' | 'timeColumn' | 'timeKind' | 'valueColumns'>, origin: number, width: number): string {
  if (!(width > 0)) throw new UserInputError('a level needs a positive bucket width');
  const x = timeExpression(request.timeColumn, request.timeKind);
  const values = request.valueColumns.map((c, i) => `${quoteIdent(c)}::DOUBLE AS v${i}`).join(', ');
  const aggregates = request.valueColumns
    .map((_, i) => `min(v${i}) AS v${i}_min, max(v${i}) AS v${i}_max, arg_min(v${i}, x) AS v${i}_first, arg_max(v${i}, x) AS v${i}_last`)
    .join(', ');
  return [
    `SELECT b, min(x) AS x_first, max(x) AS x_last, count(*)::DOUBLE AS n, ${aggregates}`,
    `FROM (SELECT floor((x - ${num(origin)}) / ${num(width)})::BIGINT AS b, * FROM (SELECT ${x} AS x, ${values} FROM ${request.relation}) WHERE x IS NOT NULL)`,
    'GROUP BY b ORDER BY b',
  ].join('\n');
}

/** SQL selecting a coarser level from a finer one (`table`): buckets of `width` from `origin`. */
export function coarsenLevelSql(table: string, channels: number, origin: number, width: number): string {
  const regrouped = `SELECT floor((x_first - ${num(origin)}) / ${num(width)})::BIGINT AS b, * EXCLUDE (b) FROM ${table}`;
  return `SELECT b, min(x_first) AS x_first, max(x_last) AS x_last, sum(n) AS n, ${mergeAggregates(channels)} FROM (${regrouped}) GROUP BY b ORDER BY b`;
}

/**
 * The M4 window of `m4Sql` computed from a level. Pixel columns are whole groups of k level
 * buckets (k chosen so at most `pixels` columns cover [from, to]), counted with integer bucket
 * numbers, so every level bucket falls in exactly one column and the merged first/last/min/max
 * are exact for those columns. Columns are aligned to the level grid, hence up to one level
 * bucket wider than `(to − from)/pixels`; the canvas draws by x_first/x_last, not by px.
 */
export function m4FromLevelSql(level: M4Level, channels: number, from: number, to: number, pixels: number): string {
  if (!(to > from)) throw new UserInputError('the window needs from < to');
  const k = Math.max(1, Math.ceil((to - from) / level.width / Math.max(1, pixels - 1)));
  const first = Math.floor((from - level.origin) / level.width);
  const last = Math.floor((to - level.origin) / level.width);
  const base = Math.floor(first / k);
  return [
    `SELECT least(${pixels - 1}, (b // ${k}) - ${base})::INTEGER AS px, min(x_first) AS x_first, max(x_last) AS x_last, sum(n)::DOUBLE AS n, ${mergeAggregates(channels)}`,
    `FROM ${level.table} WHERE b BETWEEN ${first} AND ${last} GROUP BY px ORDER BY px`,
  ].join('\n');
}

/** The coarsest level whose buckets are at most half a pixel column wide, or undefined (use raw rows). */
export function pickLevel(levels: readonly M4Level[], from: number, to: number, pixels: number): M4Level | undefined {
  const column = (to - from) / pixels;
  return [...levels].sort((a, b) => b.width - a.width).find((l) => l.width <= column / 2);
}
