import { assertNever } from '../base/assert';
import { UserInputError } from '../base/errors';
import { quoteIdent, quoteLiteral } from './engine';

/** What a grid shows: a catalog table/view by name, or the result of any SELECT. */
export type WindowSource = { kind: 'table'; name: string } | { kind: 'query'; sql: string };

/** A scalar a filter compares against; strings are cast by DuckDB to the column's type. */
export type FilterValue = string | number | boolean;

/**
 * A per-column grid filter, pushed down into SQL.
 * - `contains`: case-insensitive substring of the value's text form.
 * - `equals`: `value` null means IS NULL.
 * - `range`: inclusive bounds; a missing bound is open.
 */
export type ColumnFilter =
  | { kind: 'contains'; column: string; text: string }
  | { kind: 'equals'; column: string; value: FilterValue | null }
  | { kind: 'range'; column: string; min?: FilterValue; max?: FilterValue };

/** One sort key; NULLs always sort last. */
export interface SortKey {
  column: string;
  direction: 'asc' | 'desc';
}

/** A window of rows: `limit` rows from row `offset` (0-based) of the sorted, filtered source. */
export interface WindowSpec {
  source: WindowSource;
  sort?: readonly SortKey[];
  filters?: readonly ColumnFilter[];
  offset: number;
  limit: number;
}

/** The source as a FROM item. A trailing `;` or `-- comment` in the user's query is harmless. */
export function sourceSql(source: WindowSource): string {
  switch (source.kind) {
    case 'table':
      return quoteIdent(source.name);
    case 'query': {
      const sql = source.sql.trim().replace(/;+\s*$/, '');
      if (sql === '') throw new UserInputError('The query is empty.');
      return `(\n${sql}\n)`;
    }
    default:
      return assertNever(source, 'window source');
  }
}

/** The WHERE clause (with leading space) for `filters`, or '' when there are none. */
export function whereSql(filters: readonly ColumnFilter[] = []): string {
  const parts = filters.map(filterSql).filter((part) => part !== '');
  return parts.length === 0 ? '' : ` WHERE ${parts.join(' AND ')}`;
}

/**
 * `SELECT * FROM (<source>) WHERE … ORDER BY … NULLS LAST LIMIT n OFFSET k`. Only this window
 * crosses to the renderer, so a result of any size scrolls.
 */
export function buildWindowQuery(spec: WindowSpec): string {
  const limit = checkCount(spec.limit, 'limit');
  const offset = checkCount(spec.offset, 'offset');
  const order = (spec.sort ?? []).map((key) => `${quoteIdent(key.column)} ${key.direction === 'desc' ? 'DESC' : 'ASC'} NULLS LAST`);
  const orderSql = order.length === 0 ? '' : ` ORDER BY ${order.join(', ')}`;
  return `SELECT * FROM ${sourceSql(spec.source)} AS w${whereSql(spec.filters)}${orderSql} LIMIT ${limit} OFFSET ${offset}`;
}

/** `SELECT count(*) AS n …` over the same filtered source: the grid's total row count. */
export function buildCountQuery(source: WindowSource, filters: readonly ColumnFilter[] = []): string {
  return `SELECT count(*) AS n FROM ${sourceSql(source)} AS w${whereSql(filters)}`;
}

function filterSql(filter: ColumnFilter): string {
  const column = quoteIdent(filter.column);
  switch (filter.kind) {
    case 'contains':
      if (filter.text === '') return '';
      return `contains(lower(CAST(${column} AS VARCHAR)), ${quoteLiteral(filter.text.toLowerCase())})`;
    case 'equals':
      return filter.value === null ? `${column} IS NULL` : `${column} = ${valueSql(filter.value)}`;
    case 'range': {
      const bounds: string[] = [];
      if (filter.min !== undefined) bounds.push(`${column} >= ${valueSql(filter.min)}`);
      if (filter.max !== undefined) bounds.push(`${column} <= ${valueSql(filter.max)}`);
      return bounds.length === 0 ? '' : `(${bounds.join(' AND ')})`;
    }
    default:
      return assertNever(filter, 'column filter');
  }
}

function valueSql(value: FilterValue): string {
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new UserInputError(`A filter value must be a finite number, not ${value}.`);
    return String(value);
  }
  return quoteLiteral(value);
}

function checkCount(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new UserInputError(`The window ${what} must be a whole number ≥ 0, not ${value}.`);
  return value;
}
