/**
 * SQL builders for drift statistics. Numeric values are `CAST(col AS DOUBLE)` and only finite
 * ones count (NaN, ±∞ and NULL are missing). Each builder covers many columns in one scan.
 */
import { quoteIdent } from '../data/engine';
import { doubleLiteral, type RelationSql } from './sql-util';

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

/** Above this many reference values, PSI/JS bin edges come from DuckDB's approx_quantile. */
export const EXACT_QUANTILE_MAX_ROWS = 1_000_000;

/**
 * One row of per-column statistics of finite values: `n_i`, `mean_i`, `var_i` (ddof 1),
 * `lo_i`, `hi_i`.
 */
export function numericStatsSql(rel: RelationSql, columns: readonly string[]): string {
  // Non-finite values become NULL once, in a projection; per-aggregate FILTERs cost ~40× more.
  const finite = columns.map((c, i) => `CASE WHEN isfinite(${numericValue(c)}) THEN ${numericValue(c)} END AS x_${i}`);
  const parts = columns.flatMap((_, i) => [`count(x_${i}) AS n_${i}`, `avg(x_${i}) AS mean_${i}`, `var_samp(x_${i}) AS var_${i}`,
    `min(x_${i}) AS lo_${i}`, `max(x_${i}) AS hi_${i}`]);
  return `SELECT ${parts.join(', ')} FROM (SELECT ${finite.join(', ')} FROM ${rel})`;
}

/**
 * One row: per column `q_i`, the interior quantiles k/bins (k = 1 … bins−1) of its finite values
 * as JSON text. Exact data values (numpy's method='inverted_cdf') when `exact`, else DuckDB's
 * approx_quantile (a t-digest): edges are only a binning choice, the counts in each bin are exact,
 * and exact quantiles of many large columns cost minutes on a small machine.
 */
export function quantilesSql(rel: RelationSql, columns: readonly { column: string; exact: boolean }[], bins: number): string {
  const probs = Array.from({ length: bins - 1 }, (_, k) => (k + 1) / bins).join(', ');
  const parts = columns.map(({ column, exact }, i) => {
    const x = numericValue(column);
    return `CAST(${exact ? 'quantile_disc' : 'approx_quantile'}(${x}, [${probs}]) FILTER (WHERE isfinite(${x})) AS VARCHAR) AS q_${i}`;
  });
  return `SELECT ${parts.join(', ')} FROM ${rel}`;
}

/** Bin index of x for sorted distinct `edges`: the number of edges < x (numpy searchsorted 'left'). */
export function quantileBinExpr(x: string, edges: readonly number[]): string {
  if (edges.length === 0) return '0';
  const whens = edges.map((e, i) => `WHEN ${x} <= ${doubleLiteral(e)} THEN ${i}`).join(' ');
  return `CASE ${whens} ELSE ${edges.length} END`;
}

/** Equal-width bin of x over [lo, hi] into `bins` bins (the top edge goes to the last bin). */
export function histogramBinExpr(x: string, lo: number, hi: number, bins = HISTOGRAM_BINS): string {
  if (!(hi > lo)) return '0';
  return `least(CAST(floor((${x} - ${doubleLiteral(lo)}) / ${doubleLiteral(hi - lo)} * ${bins}) AS INTEGER), ${bins - 1})`;
}

/** One numeric column's binning for `binCountsSql`. */
export interface BinSpec {
  column: string;
  edges: readonly number[];
  lo: number;
  hi: number;
}

/**
 * Counts per (sample, column, bin) for reference-quantile bins (`b_i`) and histogram bins
 * (`h_i`), both samples and all columns in one scan: one row per sample `s` (0 current,
 * 1 reference) with `b_i`/`h_i` as JSON objects {bin: count} (DuckDB `histogram`; −1 counts
 * missing values).
 */
export function binCountsSql(current: RelationSql, reference: RelationSql, specs: readonly BinSpec[]): string {
  const keys = specs.flatMap((spec, i) => {
    const x = numericValue(spec.column);
    const missing = `WHEN NOT isfinite(${x}) OR ${x} IS NULL THEN -1`;
    return [
      `CASE ${missing} ELSE ${quantileBinExpr(x, spec.edges)} END AS b_${i}`,
      `CASE ${missing} ELSE ${histogramBinExpr(x, spec.lo, spec.hi)} END AS h_${i}`,
    ];
  });
  const side = (rel: RelationSql, s: number) => `SELECT ${s} AS s, ${keys.join(', ')} FROM ${rel}`;
  const aggs = specs.flatMap((_, i) => [`to_json(histogram(b_${i})) AS b_${i}`, `to_json(histogram(h_${i})) AS h_${i}`]).join(', ');
  return `SELECT s, ${aggs} FROM (${side(current, 0)} UNION ALL ${side(reference, 1)}) GROUP BY s`;
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
