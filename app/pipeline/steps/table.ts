import { UserInputError } from '../../base/errors';
import type { Column, ColumnTable, CompileContext, OnnxColumn } from './types';

/** The column named `name`; throws a plain error naming the missing column. */
export function getColumn(table: ColumnTable, name: string): Column {
  const column = table.columns.find((c) => c.name === name);
  if (!column) throw new UserInputError(`Column "${name}" does not exist at this step (columns: ${table.columns.map((c) => c.name).join(', ')}).`);
  return column;
}

/** The values of number column `name`; throws when it is a text column. */
export function numberValues(table: ColumnTable, name: string): Float64Array {
  const column = getColumn(table, name);
  if (column.type !== 'number') throw new UserInputError(`Column "${name}" holds text; this step needs numbers.`);
  return column.values;
}

/** The values of text column `name`; throws when it is a number column. */
export function stringValues(table: ColumnTable, name: string): readonly string[] {
  const column = getColumn(table, name);
  if (column.type !== 'string') throw new UserInputError(`Column "${name}" holds numbers; this step needs text.`);
  return column.values;
}

/** A new table where column `name` is replaced (in place, keeping order) by `replacement`. */
export function replaceColumn(table: ColumnTable, name: string, replacement: Column[]): ColumnTable {
  const index = table.columns.findIndex((c) => c.name === name);
  if (index < 0) throw new UserInputError(`Column "${name}" does not exist at this step.`);
  return { rows: table.rows, columns: [...table.columns.slice(0, index), ...replacement, ...table.columns.slice(index + 1)] };
}

/** The current ONNX column `name`. */
export function onnxColumn(ctx: CompileContext, name: string): OnnxColumn {
  const column = ctx.columns.find((c) => c.name === name);
  if (!column) throw new UserInputError(`Column "${name}" does not exist at this step of the compiled graph.`);
  return column;
}

/** A [N,1] tensor holding column `name` (a Gather along axis 1 when it sits in a wider tensor). */
export function columnTensor(ctx: CompileContext, name: string): string {
  const column = onnxColumn(ctx, name);
  if (column.width === 1) return column.tensor;
  const b = ctx.builder;
  const index = b.addInitializer(`${name}_index`, { type: 'int64', dims: [1], values: [column.index] });
  return b.op('Gather', [column.tensor, index], { axis: { kind: 'int', value: 1 } });
}

/** Replaces ONNX column `name` by the columns of `tensor` ([N, names.length]) of element `type`. */
export function replaceOnnxColumn(ctx: CompileContext, name: string, tensor: string, names: readonly string[], type: 'number' | 'string'): void {
  const index = ctx.columns.findIndex((c) => c.name === name);
  if (index < 0) throw new UserInputError(`Column "${name}" does not exist at this step of the compiled graph.`);
  const replacement = names.map((n, i) => ({ name: n, type, tensor, index: i, width: names.length }));
  ctx.columns = [...ctx.columns.slice(0, index), ...replacement, ...ctx.columns.slice(index + 1)];
}

/** A float32 scalar-like initializer of shape [1] (broadcasts against [N, k]). */
export function floatConst(ctx: CompileContext, hint: string, values: readonly number[], dims: readonly number[] = [values.length]): string {
  return ctx.builder.addInitializer(hint, { type: 'float', dims, values });
}

/** Maps a number column value by value. */
export function mapNumbers(values: Float64Array, fn: (v: number) => number): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = fn(values[i]!);
  return out;
}
