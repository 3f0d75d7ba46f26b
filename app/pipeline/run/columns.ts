import { DataType, Table, Utf8, Vector, makeVector, vectorFromArray } from 'apache-arrow';
import { UserInputError } from '../../base/errors';
import type { Matrix } from '../../ml/types';
import { getColumn } from '../steps/table';
import type { Column, ColumnTable } from '../steps/types';

function isNumeric(type: DataType): boolean {
  return DataType.isInt(type) || DataType.isFloat(type) || DataType.isDecimal(type) || DataType.isBool(type)
    || DataType.isDate(type) || DataType.isTimestamp(type) || DataType.isTime(type) || DataType.isDuration(type);
}

function toNumber(value: unknown): number {
  if (value === null || value === undefined) return Number.NaN;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint' || typeof value === 'boolean') return Number(value);
  if (value instanceof Date) return value.getTime();
  return Number(value);
}

/**
 * An Arrow table (a query result) as a ColumnTable: numeric, boolean and temporal columns become
 * Float64 (NULL → NaN, dates → ms since epoch), everything else text (NULL → '').
 */
export function columnTableFromArrow(table: Table): ColumnTable {
  const columns: Column[] = table.schema.fields.map((field, i) => {
    const vector = table.getChildAt(i);
    const n = table.numRows;
    if (isNumeric(field.type)) {
      const values = new Float64Array(n);
      let r = 0;
      for (const v of vector ?? []) values[r++] = toNumber(v);
      return { name: field.name, type: 'number', values };
    }
    const values: string[] = new Array<string>(n);
    let r = 0;
    for (const v of vector ?? []) values[r++] = v === null || v === undefined ? '' : String(v);
    return { name: field.name, type: 'string', values };
  });
  return { rows: table.numRows, columns };
}

/** An Arrow table of the first `limit` rows (number columns Float64, text Utf8), for previews. */
export function columnTableToArrow(table: ColumnTable, limit = table.rows): Table {
  const n = Math.min(limit, table.rows);
  const vectors: Record<string, Vector> = {};
  for (const c of table.columns) {
    vectors[c.name] = c.type === 'number'
      ? makeVector(c.values.slice(0, n))
      : vectorFromArray(c.values.slice(0, n), new Utf8());
  }
  return new Table(vectors);
}

/** The rows at `index` (in that order) of every column. */
export function takeRows(table: ColumnTable, index: ArrayLike<number>): ColumnTable {
  const n = index.length;
  return {
    rows: n,
    columns: table.columns.map((c): Column => {
      if (c.type === 'number') {
        const values = new Float64Array(n);
        for (let i = 0; i < n; i++) values[i] = c.values[index[i]!]!;
        return { name: c.name, type: 'number', values };
      }
      const values = new Array<string>(n);
      for (let i = 0; i < n; i++) values[i] = c.values[index[i]!]!;
      return { name: c.name, type: 'string', values };
    }),
  };
}

/**
 * The row-major feature matrix of number columns `names`, in that order. A text column is
 * refused with a message that names it and says how to fix it.
 */
export function featureMatrix(table: ColumnTable, names: readonly string[], who: string): Matrix {
  const cols = names.map((name) => {
    const c = getColumn(table, name);
    if (c.type !== 'number') throw new UserInputError(`${who} needs numbers, but column "${name}" holds text. Add a One-hot, Ordinal or Text vectorizer step for it, or leave it out of the features.`, { column: name });
    return c.values;
  });
  const p = cols.length, n = table.rows;
  const data = new Float64Array(n * p);
  for (let j = 0; j < p; j++) {
    const v = cols[j]!;
    for (let r = 0; r < n; r++) data[r * p + j] = v[r]!;
  }
  return { rows: n, cols: p, data };
}

/** A column table without the named columns. */
export function dropColumns(table: ColumnTable, names: readonly string[]): ColumnTable {
  return { rows: table.rows, columns: table.columns.filter((c) => !names.includes(c.name)) };
}
