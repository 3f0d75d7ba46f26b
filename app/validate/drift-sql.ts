/**
 * SQL builders for drift statistics. Numeric values are `CAST(col AS DOUBLE)` and only finite
 * ones count (NaN, ±∞ and NULL are missing). Each builder covers many columns in one scan.
 */
import { quoteIdent } from '../data/engine';
import type { RelationSql } from './sql-util';

/** Equal-width histogram bins shown in reports (reference vs current). */
export const HISTOGRAM_BINS = 20;
/** Default number of reference-quantile bins for PSI and Jensen–Shannon on numeric columns. */
export const DEFAULT_DRIFT_BINS = 10;
/** Categorical drift keeps the most frequent categories; the rest are pooled into one bin. */
export const MAX_CATEGORIES = 200;

/** The numeric value of a column as SQL. */
export function numericValue(column: string): string {
  return `CAST(${quoteIdent(column)} AS DOUBLE)`;
}

/**
 * One row: per column `lo_i`, `hi_i`, the min and max of its values as DOUBLE. Plain min/max are
 * nearly free; with `finiteOnly` non-finite values are dropped first (several times dearer, so
 * only asked for columns whose plain range came out non-finite or NULL).
 */
export function numericRangeSql(rel: RelationSql, columns: readonly string[], finiteOnly: boolean): string {
  const x = (c: string, i: number) => (finiteOnly ? `x_${i}` : numericValue(c));
  const parts = columns.flatMap((c, i) => [`min(${x(c, i)}) AS lo_${i}`, `max(${x(c, i)}) AS hi_${i}`]);
  if (!finiteOnly) return `SELECT ${parts.join(', ')} FROM ${rel}`;
  // Non-finite values become NULL once, in a projection; per-aggregate FILTERs cost ~40× more.
  const finite = columns.map((c, i) => `CASE WHEN isfinite(${numericValue(c)}) THEN ${numericValue(c)} END AS x_${i}`);
  return `SELECT ${parts.join(', ')} FROM (SELECT ${finite.join(', ')} FROM ${rel})`;
}

/**
 * Category counts of one column in both samples (`k` text, `c1` current, `c2` reference), nulls
 * excluded; beyond the `MAX_CATEGORIES` most frequent (by total count, then text) categories are
 * pooled into one row with `k` NULL.
 */
export function categoryCountsSql(current: RelationSql, reference: RelationSql, column: string): string {
  const c = quoteIdent(column);
  const side = (rel: RelationSql, s: number) => `SELECT CAST(${c} AS VARCHAR) AS k, ${s} AS s FROM ${rel} WHERE ${c} IS NOT NULL`;
  return `WITH u AS (${side(current, 0)} UNION ALL ${side(reference, 1)}), ` +
    'g AS (SELECT k, count(*) FILTER (WHERE s = 0) AS c1, count(*) FILTER (WHERE s = 1) AS c2 FROM u GROUP BY k), ' +
    'r AS (SELECT *, row_number() OVER (ORDER BY c1 + c2 DESC, k) AS rn FROM g) ' +
    `SELECT CASE WHEN rn <= ${MAX_CATEGORIES} THEN k END AS k, sum(c1) AS c1, sum(c2) AS c2 FROM r GROUP BY 1 ORDER BY 1 NULLS LAST`;
}

/** Column names and DuckDB types of a relation: columns `column_name`, `column_type`. */
export function describeSql(rel: RelationSql): string {
  return `DESCRIBE SELECT * FROM ${rel}`;
}
