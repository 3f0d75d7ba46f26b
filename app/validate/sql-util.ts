/**
 * Small helpers shared by the SQL builders of app/validate: literals and reading Arrow rows as
 * plain values (DuckDB's BIGINT/HUGEINT arrive as bigint).
 */
import type { Table } from 'apache-arrow';
import { quoteLiteral } from '../data/engine';

/** A FROM-clause item: a quoted table name (`quoteIdent('t')`) or `read_parquet('…')`, etc. */
export type RelationSql = string;

/** A DOUBLE literal that parses back to exactly `x` (`'0.1'::DOUBLE`, `'nan'::DOUBLE` …). */
export function doubleLiteral(x: number): string {
  return `'${String(x)}'::DOUBLE`;
}

/** A plain JSON scalar as a DuckDB literal. */
export function scalarLiteral(value: string | number | boolean): string {
  if (typeof value === 'string') return quoteLiteral(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return doubleLiteral(value);
}

/** A plain value read from an Arrow cell. */
export type Cell = string | number | boolean | null;

/** Converts an Arrow cell (bigint, Date-like numbers, strings …) into a JSON-friendly value. */
export function toCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  return String(value);
}

/** All rows of an Arrow table as plain objects of `Cell`s. */
export function tableRows(table: Table): Record<string, Cell>[] {
  const names = table.schema.fields.map((f) => f.name);
  const columns = names.map((n) => table.getChild(n));
  const rows: Record<string, Cell>[] = [];
  for (let r = 0; r < table.numRows; r++) {
    const row: Record<string, Cell> = {};
    for (let c = 0; c < names.length; c++) row[names[c]!] = toCell(columns[c]?.get(r));
    rows.push(row);
  }
  return rows;
}

/** A number from a cell (null or non-numeric → NaN). */
export function num(cell: Cell | undefined): number {
  return typeof cell === 'number' ? cell : typeof cell === 'boolean' ? Number(cell) : Number.NaN;
}
