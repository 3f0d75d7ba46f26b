import type { CancelSignal } from '../base/signal';

/** One column of raw values: numbers (NaN = missing) or strings (null = missing). */
export type RawColumn = Float64Array | (string | null)[];

/**
 * Rows of raw input columns, column-major — what a compiled pipeline (ONNX, one input per raw
 * column) scores. Explanations at the raw-column level work on this shape.
 */
export interface RawTable {
  names: readonly string[];
  columns: readonly RawColumn[];
  rows: number;
}

/** Scores a batch: one model output per row (e.g. the positive-class probability). */
export type BatchPredict = (table: RawTable, signal?: CancelSignal) => Promise<Float64Array>;

/** A new table with the rows `indices` of `table`, in that order. */
export function takeRows(table: RawTable, indices: ArrayLike<number>): RawTable {
  const columns = table.columns.map((column) => {
    if (column instanceof Float64Array) {
      const out = new Float64Array(indices.length);
      for (let i = 0; i < indices.length; i++) out[i] = column[indices[i]!]!;
      return out;
    }
    return Array.from({ length: indices.length }, (_, i) => column[indices[i]!] ?? null);
  });
  return { names: table.names, columns, rows: indices.length };
}

/** A copy of `table` whose column `index` is replaced by `column`. */
export function withColumn(table: RawTable, index: number, column: RawColumn): RawTable {
  return { ...table, columns: table.columns.map((c, i) => (i === index ? column : c)) };
}

/** A column of `rows` copies of one value, typed like `like`. */
export function constantColumn(like: RawColumn, value: number | string | null, rows: number): RawColumn {
  return like instanceof Float64Array ? new Float64Array(rows).fill(typeof value === 'number' ? value : NaN) : new Array<string | null>(rows).fill(typeof value === 'string' ? value : null);
}
