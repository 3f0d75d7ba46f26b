/**
 * SQL for the deterministic expectations: one aggregate query computes every row-level check of a
 * suite over the full table; offending rows are sampled (LIMIT 5) only for failures.
 * Nulls never violate value checks (range, set, length, regex, pair): nulls are the business of
 * `not_null` / `null_fraction`.
 */
import { assertNever } from '../base/assert';
import { quoteIdent, quoteLiteral } from '../data/engine';
import { doubleLiteral, scalarLiteral, type RelationSql } from './sql-util';
import type { Expectation } from './suite';

/** Number of offending rows sampled per failed row-level expectation. */
export const SAMPLE_ROWS = 5;

const COMPARE = { le: '<=', lt: '<', eq: '=' } as const;

function textOf(column: string): string {
  return `CAST(${quoteIdent(column)} AS VARCHAR)`;
}

/** The IN-list check: numbers compare as numbers, anything else as text. */
function inSetCondition(column: string, values: readonly (string | number | boolean)[]): string {
  if (values.every((v) => typeof v === 'number')) return `${quoteIdent(column)} IN (${values.map(scalarLiteral).join(', ')})`;
  if (values.every((v) => typeof v === 'boolean')) return `${quoteIdent(column)} IN (${values.map(scalarLiteral).join(', ')})`;
  return `${textOf(column)} IN (${values.map((v) => quoteLiteral(String(v))).join(', ')})`;
}

function rangeCondition(x: string, min: number | undefined, max: number | undefined, strictMin: boolean, strictMax: boolean): string {
  const parts: string[] = [];
  if (min !== undefined) parts.push(`${x} ${strictMin ? '>' : '>='} ${doubleLiteral(min)}`);
  if (max !== undefined) parts.push(`${x} ${strictMax ? '<' : '<='} ${doubleLiteral(max)}`);
  return parts.length ? parts.join(' AND ') : 'TRUE';
}

/**
 * A predicate TRUE exactly for the rows that violate a row-level expectation, or undefined for
 * expectations that are not row-level (`unique` is handled by `duplicateRowsSql`).
 */
export function violationPredicate(e: Expectation): string | undefined {
  switch (e.kind) {
    case 'not_null':
    case 'null_fraction':
      return `${quoteIdent(e.column)} IS NULL`;
    case 'in_set':
      return `${quoteIdent(e.column)} IS NOT NULL AND NOT (${inSetCondition(e.column, e.values)})`;
    case 'range':
      return `${quoteIdent(e.column)} IS NOT NULL AND NOT (${rangeCondition(quoteIdent(e.column), e.min, e.max, e.strictMin, e.strictMax)})`;
    case 'length':
      return `${quoteIdent(e.column)} IS NOT NULL AND NOT (${rangeCondition(`length(${textOf(e.column)})`, e.min, e.max, false, false)})`;
    case 'regex':
      return `${quoteIdent(e.column)} IS NOT NULL AND NOT regexp_matches(${textOf(e.column)}, ${quoteLiteral(e.pattern)})`;
    case 'column_pair':
      return `${quoteIdent(e.left)} IS NOT NULL AND ${quoteIdent(e.right)} IS NOT NULL AND NOT (${quoteIdent(e.left)} ${COMPARE[e.op]} ${quoteIdent(e.right)})`;
    case 'unique':
    case 'columns':
    case 'column_type':
    case 'row_count':
    case 'ks':
    case 'chi2':
    case 'psi':
    case 'wasserstein':
    case 'jensen_shannon':
    case 'mean_shift':
    case 'std_shift':
      return undefined;
    default:
      return assertNever(e, 'expectation');
  }
}

/** Aggregate expressions (aliased with the expectation's index `i`) for one expectation. */
function aggregatesOf(e: Expectation, i: number): string[] {
  const predicate = violationPredicate(e);
  const out: string[] = predicate ? [`count(*) FILTER (WHERE ${predicate}) AS f_${i}`] : [];
  if (e.kind === 'unique') out.push(`count(${quoteIdent(e.column)}) - count(DISTINCT ${quoteIdent(e.column)}) AS f_${i}`);
  if (e.kind === 'range') out.push(`min(CAST(${quoteIdent(e.column)} AS DOUBLE)) AS lo_${i}`, `max(CAST(${quoteIdent(e.column)} AS DOUBLE)) AS hi_${i}`);
  if (e.kind === 'length') out.push(`min(length(${textOf(e.column)})) AS lo_${i}`, `max(length(${textOf(e.column)})) AS hi_${i}`);
  return out;
}

/**
 * One query, one row: `n` (row count) and per checked expectation `f_i` (violations: offending
 * rows, nulls, or duplicate values), plus `lo_i`/`hi_i` observed extremes for range and length.
 * `checked` lists the (index, expectation) pairs to include (their columns must exist).
 */
export function rowChecksSql(rel: RelationSql, checked: readonly (readonly [number, Expectation])[]): string {
  const parts = ['count(*) AS n', ...checked.flatMap(([i, e]) => aggregatesOf(e, i))];
  return `SELECT ${parts.join(', ')} FROM ${rel}`;
}

/** Up to `SAMPLE_ROWS` rows violating a row-level expectation. */
export function offendingRowsSql(rel: RelationSql, e: Expectation): string | undefined {
  if (e.kind === 'unique') {
    const c = quoteIdent(e.column);
    return `SELECT * FROM ${rel} WHERE ${c} IN (SELECT ${c} FROM ${rel} WHERE ${c} IS NOT NULL GROUP BY ${c} HAVING count(*) > 1) LIMIT ${SAMPLE_ROWS}`;
  }
  const predicate = violationPredicate(e);
  return predicate ? `SELECT * FROM ${rel} WHERE ${predicate} LIMIT ${SAMPLE_ROWS}` : undefined;
}

/** Columns an expectation reads (empty for table-level ones). */
export function columnsOf(e: Expectation): string[] {
  switch (e.kind) {
    case 'columns':
    case 'row_count':
      return [];
    case 'column_pair':
      return [e.left, e.right];
    default:
      return [e.column];
  }
}
