import type { Table } from 'apache-arrow';
import { quoteIdent } from './engine';
import { sourceSql, type WindowSource } from './window';

/** Number of equal-width histogram bins in a column profile. */
export const HISTOGRAM_BINS = 20;

/** How a column is profiled, from its DuckDB type name. */
export type ProfileKind = 'numeric' | 'temporal' | 'other';

/**
 * Summary of one column for the grid header. `nullFraction` is in [0, 1] (0 for an empty source);
 * `distinct` is approximate (HyperLogLog). `min`/`max` are DuckDB's text forms. The histogram has
 * `HISTOGRAM_BINS` counts of finite values over equal-width bins from `binLow` to `binHigh`
 * (numbers; epoch seconds for temporal columns), or is null for other kinds or no finite values.
 */
export interface ColumnProfile {
  column: string;
  type: string;
  kind: ProfileKind;
  rows: number;
  nulls: number;
  nullFraction: number;
  distinct: number;
  min: string | null;
  max: string | null;
  histogram: { binLow: number; binHigh: number; counts: number[] } | null;
}

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL(\(\d+,\s*\d+\))?)$/i;
const TEMPORAL = /^(DATE|TIMESTAMP(_S|_MS|_NS)?|TIMESTAMP WITH TIME ZONE|TIMESTAMPTZ)$/i;

/** Classifies a DuckDB type name (as `duckdb_columns()` or `typeof()` print it). */
export function profileKind(duckdbType: string): ProfileKind {
  const type = duckdbType.trim();
  if (NUMERIC.test(type)) return 'numeric';
  if (TEMPORAL.test(type)) return 'temporal';
  return 'other';
}

/**
 * One query returning one row that profiles `column` of `source`: counts, approximate distinct,
 * min/max and, for numeric/temporal columns, a 20-bin histogram as comma-separated counts (text,
 * so both engines return it the same way). Parse with `parseProfile`.
 */
export function buildProfileQuery(source: WindowSource, column: string, duckdbType: string): string {
  const kind = profileKind(duckdbType);
  const v = quoteIdent(column);
  const stats = `SELECT count(*) AS n, count(${v}) AS nn, approx_count_distinct(${v}) AS nd, ` +
    `CAST(min(${v}) AS VARCHAR) AS lo_text, CAST(max(${v}) AS VARCHAR) AS hi_text FROM src`;
  if (kind === 'other') {
    return `WITH src AS (SELECT * FROM ${sourceSql(source)} AS w), stats AS (${stats}) ` +
      'SELECT n, nn, nd, lo_text, hi_text, NULL::DOUBLE AS lo, NULL::DOUBLE AS hi, NULL::VARCHAR AS bins FROM stats';
  }
  const x = kind === 'numeric' ? `CAST(${v} AS DOUBLE)` : `epoch(${v})`;
  const b = HISTOGRAM_BINS;
  return `WITH src AS (SELECT * FROM ${sourceSql(source)} AS w), ` +
    `xs AS (SELECT x FROM (SELECT ${x} AS x FROM src WHERE ${v} IS NOT NULL) WHERE isfinite(x)), ` +
    `stats AS (${stats}), ` +
    'range_ AS (SELECT min(x) AS lo, max(x) AS hi FROM xs), ' +
    `binned AS (SELECT CAST(CASE WHEN r.hi = r.lo THEN 0 ELSE least(floor((x - r.lo) / (r.hi - r.lo) * ${b}), ${b - 1}) END AS INTEGER) AS bin, count(*) AS c ` +
    'FROM xs, range_ r GROUP BY bin), ' +
    `hist AS (SELECT string_agg(CAST(coalesce(binned.c, 0) AS VARCHAR), ',' ORDER BY i.range) AS bins FROM range(${b}) i LEFT JOIN binned ON binned.bin = i.range) ` +
    'SELECT n, nn, nd, lo_text, hi_text, r.lo, r.hi, CASE WHEN r.lo IS NULL THEN NULL ELSE hist.bins END AS bins FROM stats, range_ r, hist';
}

/** Reads the one row of `buildProfileQuery`'s result into a `ColumnProfile`. */
export function parseProfile(result: Table, column: string, duckdbType: string): ColumnProfile {
  const row = result.numRows > 0 ? result.get(0)?.toJSON() : undefined;
  const rows = toNumber(row?.['n']);
  const nonNull = toNumber(row?.['nn']);
  const lo = row?.['lo'];
  const hi = row?.['hi'];
  const bins = row?.['bins'];
  const histogram = typeof bins === 'string' && typeof lo === 'number' && typeof hi === 'number'
    ? { binLow: lo, binHigh: hi, counts: bins.split(',').map(Number) }
    : null;
  return {
    column,
    type: duckdbType,
    kind: profileKind(duckdbType),
    rows,
    nulls: rows - nonNull,
    nullFraction: rows === 0 ? 0 : (rows - nonNull) / rows,
    distinct: toNumber(row?.['nd']),
    min: toText(row?.['lo_text']),
    max: toText(row?.['hi_text']),
    histogram,
  };
}

function toNumber(value: unknown): number {
  if (typeof value === 'bigint' || typeof value === 'number') return Number(value);
  return 0;
}

function toText(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
