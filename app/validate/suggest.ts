/**
 * Suggests an expectation suite from a table profile, for the user to accept in one click. The
 * profile is the validation view of a table (exact distinct counts, numeric extremes, text
 * lengths, the categories of low-cardinality columns); `profileTable` computes it with two queries.
 * Statistical expectations in the suggestion use the profiled table as the reference.
 */
import type { Engine } from '../data/engine';
import { quoteIdent } from '../data/engine';
import type { CancelSignal } from '../base/signal';
import { describeRelation, isNumericType } from './drift';
import { num, tableRows, type RelationSql } from './sql-util';
import type { Expectation, Suite } from './suite';

/** Columns with at most this many distinct values get their categories listed. */
export const MAX_SUGGESTED_CATEGORIES = 20;

/** Validation profile of one column. `min`/`max` only for numeric, lengths only for text. */
export interface ColumnValidationProfile {
  name: string;
  type: string;
  nulls: number;
  distinct: number;
  min: number | null;
  max: number | null;
  minLength: number | null;
  maxLength: number | null;
  /** Sorted text values when `distinct` ≤ 20, else null. */
  categories: string[] | null;
}

/** Validation profile of a table. */
export interface TableValidationProfile {
  rowCount: number;
  columns: ColumnValidationProfile[];
}

const isText = (type: string) => /^(VARCHAR|TEXT|STRING|CHAR|BPCHAR)/i.test(type.trim());

/**
 * One query, one row: `n`, and per column index i: `nn_i` (non-null), `nd_i` (exact distinct),
 * `lo_i`/`hi_i` (numeric extremes as DOUBLE) and `ml_i`/`xl_i` (text length extremes).
 */
export function profileSql(table: RelationSql, columns: readonly { name: string; type: string }[]): string {
  const parts = ['count(*) AS n', ...columns.flatMap((c, i) => {
    const v = quoteIdent(c.name);
    const out = [`count(${v}) AS nn_${i}`, `count(DISTINCT ${v}) AS nd_${i}`];
    out.push(isNumericType(c.type) ? `min(CAST(${v} AS DOUBLE)) AS lo_${i}, max(CAST(${v} AS DOUBLE)) AS hi_${i}` : `NULL::DOUBLE AS lo_${i}, NULL::DOUBLE AS hi_${i}`);
    out.push(isText(c.type) ? `min(length(${v})) AS ml_${i}, max(length(${v})) AS xl_${i}` : `NULL::BIGINT AS ml_${i}, NULL::BIGINT AS xl_${i}`);
    return out;
  })];
  return `SELECT ${parts.join(', ')} FROM ${table}`;
}

/** Distinct text values (sorted, JSON text) of low-cardinality columns, one row, `c_i` per column. */
export function categoriesSql(table: RelationSql, columns: readonly { name: string; index: number }[]): string {
  const parts = columns.map((c) => `to_json(list_sort(list(DISTINCT CAST(${quoteIdent(c.name)} AS VARCHAR)) FILTER (WHERE ${quoteIdent(c.name)} IS NOT NULL))) AS c_${c.index}`);
  return `SELECT ${parts.join(', ')} FROM ${table}`;
}

/** Profiles `table` for validation (two queries). */
export async function profileTable(engine: Engine, table: RelationSql, signal?: CancelSignal): Promise<TableValidationProfile> {
  const schema = await describeRelation(engine, table, signal);
  const row = tableRows(await engine.query(profileSql(table, schema), { signal }))[0] ?? {};
  const rowCount = num(row['n']);
  const columns = schema.map((c, i): ColumnValidationProfile => {
    const opt = (key: string) => (row[key] === null || row[key] === undefined ? null : num(row[key]));
    return {
      name: c.name, type: c.type, nulls: rowCount - num(row[`nn_${i}`]), distinct: num(row[`nd_${i}`]),
      min: opt(`lo_${i}`), max: opt(`hi_${i}`), minLength: opt(`ml_${i}`), maxLength: opt(`xl_${i}`), categories: null,
    };
  });
  const few = columns.flatMap((c, index) => (c.distinct > 0 && c.distinct <= MAX_SUGGESTED_CATEGORIES ? [{ name: c.name, index }] : []));
  if (few.length) {
    const cats = tableRows(await engine.query(categoriesSql(table, few), { signal }))[0] ?? {};
    for (const { index } of few) columns[index]!.categories = JSON.parse(String(cats[`c_${index}`])) as string[];
  }
  return { rowCount, columns };
}

/** Rounds a fraction up to two decimals with a 1-point margin, capped at 1. */
function nullAllowance(fraction: number): number {
  return Math.min(1, Math.ceil((fraction + 0.01) * 100) / 100);
}

function columnExpectations(c: ColumnValidationProfile, rowCount: number): Expectation[] {
  const out: Expectation[] = [{ kind: 'column_type', severity: 'error', column: c.name, type: c.type }];
  if (c.nulls === 0) out.push({ kind: 'not_null', severity: 'error', column: c.name });
  else out.push({ kind: 'null_fraction', severity: 'warn', column: c.name, max: nullAllowance(c.nulls / Math.max(rowCount, 1)) });
  const numeric = isNumericType(c.type);
  if (rowCount > 1 && c.distinct === rowCount && !/^(FLOAT|DOUBLE|REAL)$/i.test(c.type)) out.push({ kind: 'unique', severity: 'error', column: c.name });
  if (numeric && c.min !== null && c.max !== null) out.push({ kind: 'range', severity: 'error', column: c.name, min: c.min, max: c.max, strictMin: false, strictMax: false });
  if (!numeric && c.categories) out.push({ kind: 'in_set', severity: 'error', column: c.name, values: c.categories });
  else if (c.minLength !== null && c.maxLength !== null) out.push({ kind: 'length', severity: 'warn', column: c.name, min: c.minLength, max: c.maxLength });
  if (numeric && c.distinct > 1) {
    out.push({ kind: 'ks', severity: 'warn', column: c.name, maxStatistic: 0.1 });
    out.push({ kind: 'psi', severity: 'warn', column: c.name, max: 0.2 });
  } else if (c.categories && c.categories.length > 1) out.push({ kind: 'psi', severity: 'warn', column: c.name, max: 0.2 });
  return out;
}

/**
 * A suite describing the profiled table as it is: exact columns and types, not-null or a null
 * allowance, uniqueness where every value is distinct (not for floats), numeric ranges, category
 * sets (≤ 20 categories) or text lengths, a row-count band [n/2, 2n] (warn), and drift guards
 * against this table as reference (KS statistic ≤ 0.1 and PSI ≤ 0.2, warn).
 */
export function suggestSuite(profile: TableValidationProfile, name: string): Suite {
  const expectations: Expectation[] = [
    { kind: 'columns', severity: 'error', columns: profile.columns.map((c) => c.name), ordered: true },
    { kind: 'row_count', severity: 'warn', min: Math.floor(profile.rowCount / 2), max: profile.rowCount * 2 },
    ...profile.columns.flatMap((c) => columnExpectations(c, profile.rowCount)),
  ];
  return { format: 'vajra.expectations', version: 1, name, expectations };
}
