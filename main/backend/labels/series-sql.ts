import { UserInputError } from '../../../app/base/errors';
import type { CancelSignal } from '../../../app/base/signal';
import { quoteIdent, quoteLiteral, type Engine } from '../../../app/data/engine';
import { detectFormat, readFunctionSql } from '../../../app/data/import-plan';
import { extentSql, timeExpression, type TimeKind } from '../../../app/labels/downsample';
import type { Label, Suggestion } from '../../../app/labels/model';
import type { SeriesSource } from '../../../app/protocol/methods/labels';

/** A series made concrete: SQL naming its rows, and how its time column is stored. */
export interface ResolvedSeries {
  readonly relation: string;
  readonly timeColumn: string;
  readonly timeKind: TimeKind;
  readonly valueColumns: readonly string[];
}

const TEMPORAL = /^(DATE|TIMESTAMP)/i;
const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL|REAL)/i;

/** SQL naming the rows of a source: a quoted table, or a read function over the file (absolute path). */
export function relationOf(source: SeriesSource, resolvePath: (path: string) => string): string {
  if (source.table !== undefined) return quoteIdent(source.table);
  const path = source.file!;
  const format = detectFormat(path);
  const sql = format ? readFunctionSql(format, resolvePath(path)) : null;
  if (!sql) throw new UserInputError(`${path} is not a file format a series can be read from (CSV, TSV, JSON, Parquet).`);
  return sql;
}

/** Column names and DuckDB types of a relation. */
export async function describeRelation(engine: Engine, relation: string): Promise<Array<{ name: string; type: string }>> {
  const table = await engine.query(`DESCRIBE SELECT * FROM ${relation}`);
  return table.toArray().map((row) => {
    const r = row.toJSON();
    return { name: String(r['column_name']), type: String(r['column_type']) };
  });
}

/** Checks the source's columns exist and finds how its time is stored. */
export async function resolveSeries(engine: Engine, source: SeriesSource, resolvePath: (path: string) => string): Promise<ResolvedSeries> {
  const relation = relationOf(source, resolvePath);
  const columns = await describeRelation(engine, relation);
  const type = (name: string) => {
    const c = columns.find((col) => col.name === name);
    if (!c) throw new UserInputError(`The series has no column "${name}" (columns: ${columns.map((col) => col.name).join(', ')}).`);
    return c.type;
  };
  const timeType = type(source.timeColumn);
  if (!TEMPORAL.test(timeType) && !NUMERIC.test(timeType)) throw new UserInputError(`The time column "${source.timeColumn}" is ${timeType}, not a timestamp or a number.`);
  for (const v of source.valueColumns) if (!NUMERIC.test(type(v))) throw new UserInputError(`The value column "${v}" is not numeric.`);
  return { relation, timeColumn: source.timeColumn, timeKind: TEMPORAL.test(timeType) ? 'timestamp' : 'number', valueColumns: source.valueColumns };
}

/** Picks the time column (the first date/timestamp, else the first number) and up to 4 numeric channels. */
export async function detectColumns(engine: Engine, relation: string): Promise<{ timeColumn: string; valueColumns: string[] }> {
  const columns = await describeRelation(engine, relation);
  const time = columns.find((c) => TEMPORAL.test(c.type)) ?? columns.find((c) => NUMERIC.test(c.type));
  if (!time) throw new UserInputError('The data has no date, timestamp or numeric column to use as time.');
  const values = columns.filter((c) => c !== time && NUMERIC.test(c.type)).slice(0, 4).map((c) => c.name);
  if (values.length === 0) throw new UserInputError('The data has no numeric column to draw.');
  return { timeColumn: time.name, valueColumns: values };
}

/** First and last x (x units) and the row count of a series. */
export async function seriesExtent(engine: Engine, series: ResolvedSeries): Promise<{ from: number; to: number; rows: number }> {
  const row = (await engine.query(extentSql(series.relation, series.timeColumn, series.timeKind))).get(0)?.toJSON() ?? {};
  const from = Number(row['x_min'] ?? 0);
  const to = Number(row['x_max'] ?? 0);
  return { from: Number.isFinite(from) ? from : 0, to: Number.isFinite(to) ? to : 0, rows: Number(row['n'] ?? 0) };
}

/** Options of the SQL rolling z-score detector (same meaning as app/labels/suggest.ts ZScoreOptions). */
export interface SqlZScoreOptions {
  readonly series: string;
  readonly channel: string;
  readonly window: number;
  readonly threshold: number;
  readonly maxGap: number;
  readonly label: string;
  readonly sourceName: string;
}

/**
 * `rollingZScoreSuggestions` computed in DuckDB: each row's |z| against the `window` rows before
 * it (population sd), flagged rows only leave the database, then runs are merged across gaps ≤
 * maxGap. Ids and scores follow app/labels/suggest.ts, so both detectors propose the same ids.
 */
export async function zscoreSuggestions(engine: Engine, series: ResolvedSeries, options: SqlZScoreOptions, signal?: CancelSignal): Promise<Suggestion[]> {
  const x = timeExpression(series.timeColumn, series.timeKind);
  const w = Math.floor(options.window);
  const sql = `
    WITH s AS (SELECT x, v, row_number() OVER (ORDER BY x) - 1 AS i FROM (SELECT ${x} AS x, ${quoteIdent(options.channel)}::DOUBLE AS v FROM ${series.relation}) WHERE x IS NOT NULL AND v IS NOT NULL),
    w AS (SELECT i, x, v, avg(v) OVER win AS mean, stddev_pop(v) OVER win AS sd, count(v) OVER win AS c FROM s
          WINDOW win AS (ORDER BY i ROWS BETWEEN ${w} PRECEDING AND 1 PRECEDING)),
    z AS (SELECT i, x, CASE WHEN sd > 1e-12 * greatest(1, abs(mean)) THEN abs(v - mean) / sd WHEN v = mean THEN 0 ELSE 'inf'::DOUBLE END AS z FROM w WHERE c = ${w})
    SELECT i::DOUBLE AS i, x, z FROM z WHERE z >= ${Number(options.threshold)} ORDER BY i`;
  const table = await engine.query(sql, signal ? { signal } : {});
  const runs: Array<{ first: number; last: number; xFirst: number; xLast: number; score: number }> = [];
  for (const row of table.toArray()) {
    const r = row.toJSON();
    const i = Number(r['i']);
    const xi = Number(r['x']);
    const z = Number(r['z']);
    const last = runs.at(-1);
    if (last && i - last.last <= options.maxGap) Object.assign(last, { last: i, xLast: xi, score: Math.max(last.score, z) });
    else runs.push({ first: i, last: i, xFirst: xi, xLast: xi, score: z });
  }
  return runs
    .map((r): Suggestion => {
      const id = `${options.sourceName}:${options.series}:${r.first}`;
      const proposal: Label = { kind: 'range', id, series: options.series, start: r.xFirst, end: r.xLast, label: options.label };
      return { id, proposal, source: { type: 'detector', name: options.sourceName }, score: r.score };
    })
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
}

/** One labelled interval for the per-sample join (points are zero-width ranges). */
export interface SampleRange {
  readonly start: number;
  readonly end: number;
  readonly label: string;
}

/**
 * SQL creating table `name` = every row of the series plus a `label` column: the class of the
 * last range (in `ranges` order) that holds the row's x, else `none`. Usable by pipelines as is.
 */
export function perSampleTableSql(series: ResolvedSeries, ranges: readonly SampleRange[], name: string, column = 'label'): string {
  const x = timeExpression(series.timeColumn, series.timeKind);
  const rows = ranges.map((r, k) => `(${r.start}::DOUBLE, ${r.end}::DOUBLE, ${quoteLiteral(r.label)}, ${k})`).join(', ');
  const rangeSql = ranges.length > 0 ? `SELECT * FROM (VALUES ${rows}) AS t(s, e, label, ord)` : `SELECT NULL::DOUBLE AS s, NULL::DOUBLE AS e, NULL::VARCHAR AS label, 0 AS ord WHERE false`;
  return `CREATE OR REPLACE TABLE ${quoteIdent(name)} AS
    WITH r AS (${rangeSql}), d AS (SELECT *, ${x} AS __x, row_number() OVER () AS __row FROM ${series.relation}),
    hit AS (SELECT d.__row, arg_max(r.label, r.ord) AS label FROM d JOIN r ON d.__x BETWEEN r.s AND r.e GROUP BY d.__row)
    SELECT d.* EXCLUDE (__x, __row), coalesce(hit.label, 'none') AS ${quoteIdent(column)} FROM d LEFT JOIN hit USING (__row) ORDER BY d.__row`;
}
