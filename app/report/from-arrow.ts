import { DataType, type Table } from 'apache-arrow';
import type { CellOutput } from './types';

/** A table output from an Arrow table: the first `maxRows` rows as plain values, the true row count. */
export function tableOutput(table: Table, maxRows: number, totalRows = table.numRows): Extract<CellOutput, { kind: 'table' }> {
  const columns = table.schema.fields.map((f) => ({ name: f.name, type: f.metadata.get('duckdb_type') ?? sqlTypeName(f.type) }));
  const rows: (string | number | boolean | null)[][] = [];
  const count = Math.min(maxRows, table.numRows);
  for (let r = 0; r < count; r++) {
    rows.push(table.schema.fields.map((_f, c) => plain(table.getChildAt(c)?.get(r))));
  }
  return { kind: 'table', columns, rows, totalRows };
}

function plain(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** A DuckDB-style type name for an Arrow type (dictionary-encoded text is VARCHAR). */
function sqlTypeName(type: DataType): string {
  const t = DataType.isDictionary(type) ? type.dictionary : type;
  if (DataType.isInt(t)) return t.bitWidth === 64 ? 'BIGINT' : 'INTEGER';
  if (DataType.isFloat(t)) return 'DOUBLE';
  if (DataType.isDecimal(t)) return 'DECIMAL';
  if (DataType.isBool(t)) return 'BOOLEAN';
  if (DataType.isDate(t)) return 'DATE';
  if (DataType.isTimestamp(t)) return 'TIMESTAMP';
  if (DataType.isUtf8(t) || DataType.isLargeUtf8(t)) return 'VARCHAR';
  return String(t);
}
