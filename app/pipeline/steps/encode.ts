import { UserInputError } from '../../base/errors';
import { attr } from '../../onnx/types';
import type { AttrValue } from '../../onnx/types';
import { distinctSorted } from './stats';
import { columnTensor, getColumn, replaceColumn, replaceOnnxColumn } from './table';
import type { CategoryColumn, Column, ColumnTable, CompileContext, StepImpl } from './types';

/**
 * The sorted categories of a column (text: every value including `''` = missing; numbers: the
 * integer codes, NaN excluded). With `maxCategories`, only the most frequent are kept (ties by
 * sort order); the rest count as unknown.
 */
export function fitCategories(table: ColumnTable, name: string, maxCategories?: number): CategoryColumn {
  const column = getColumn(table, name);
  if (column.type === 'string') return { name, type: 'string', categories: keepTop(column.values, maxCategories) };
  const codes = Array.from(column.values).filter((v) => !Number.isNaN(v));
  const bad = codes.find((v) => !Number.isInteger(v));
  if (bad !== undefined) throw new UserInputError(`Column "${name}" has the value ${bad}; only whole numbers can be categories. Bucketize it first.`);
  return { name, type: 'number', categories: keepTop(codes, maxCategories) };
}

function keepTop<T extends number | string>(values: readonly T[], max: number | undefined): T[] {
  const all = distinctSorted(values);
  if (max === undefined || all.length <= max) return all;
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const top = new Set([...all].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0)).slice(0, max));
  return all.filter((v) => top.has(v));
}

/** Index of each row's value in `c.categories`, or -1 when unknown or missing. */
export function categoryIndex(c: CategoryColumn, column: Column): Int32Array {
  const out = new Int32Array(column.values.length);
  if (c.type === 'string' && column.type === 'string') {
    const index = new Map(c.categories.map((v, i) => [v, i]));
    column.values.forEach((v, i) => (out[i] = index.get(v) ?? -1));
  } else if (c.type === 'number' && column.type === 'number') {
    const index = new Map(c.categories.map((v, i) => [v, i]));
    column.values.forEach((v, i) => (out[i] = index.get(v) ?? -1));
  } else {
    throw new UserInputError(`Column "${c.name}" changed type since the encoder was fitted.`);
  }
  return out;
}

/** One-hot output column names: `column=category`. */
export function oneHotNames(c: CategoryColumn): string[] {
  return c.categories.map((v: string | number) => `${c.name}=${v}`);
}

/**
 * One-hot encoding (ai.onnx.ml OneHotEncoder, then Reshape to [N, categories]). An unknown value
 * gives all zeros with handleUnknown 'ignore' and an error with 'error' (ONNX `zeros = 0`).
 */
export const oneHot: StepImpl<'oneHot'> = {
  fit(spec, table) {
    return { kind: 'oneHot', handleUnknown: spec.handleUnknown, columns: spec.columns.map((n) => fitCategories(table, n, spec.maxCategories)) };
  },
  transform(fitted, table) {
    let out = table;
    for (const c of fitted.columns) {
      const index = categoryIndex(c, getColumn(out, c.name));
      const names = oneHotNames(c);
      const columns = names.map((name) => ({ name, type: 'number' as const, values: new Float64Array(out.rows) }));
      index.forEach((k, row) => {
        if (k >= 0) columns[k]!.values[row] = 1;
        else if (fitted.handleUnknown === 'error') throw new UserInputError(`Column "${c.name}" has a value the encoder never saw in training (row ${row + 1}).`);
      });
      out = replaceColumn(out, c.name, columns);
    }
    return out;
  },
  compile(fitted, ctx) {
    for (const c of fitted.columns) {
      const cats: Record<string, AttrValue> = c.type === 'string' ? { cats_strings: attr.strings(c.categories) } : { cats_int64s: attr.ints(c.categories) };
      const encoded = ctx.builder.op('OneHotEncoder', [columnTensor(ctx, c.name)], { ...cats, zeros: attr.int(fitted.handleUnknown === 'ignore' ? 1 : 0) }, 'ai.onnx.ml');
      ctx.builder.typed(encoded, 'float', ['N', 1, c.categories.length]);
      const shape = ctx.builder.addInitializer('onehot_shape', { type: 'int64', dims: [2], values: [-1, c.categories.length] });
      replaceOnnxColumn(ctx, c.name, ctx.builder.op('Reshape', [encoded, shape]), oneHotNames(c), 'number');
    }
  },
};

/**
 * Ordinal encoding: the value's index among the sorted training categories, -1 when unknown
 * (text: ai.onnx.ml LabelEncoder with `default_float = -1`; numbers: Equal, Cast, MatMul).
 */
export const ordinal: StepImpl<'ordinal'> = {
  fit(spec, table) {
    return { kind: 'ordinal', columns: spec.columns.map((n) => fitCategories(table, n)) };
  },
  transform(fitted, table) {
    let out = table;
    for (const c of fitted.columns) {
      const index = categoryIndex(c, getColumn(out, c.name));
      out = replaceColumn(out, c.name, [{ name: c.name, type: 'number', values: Float64Array.from(index) }]);
    }
    return out;
  },
  compile(fitted, ctx) {
    for (const c of fitted.columns) {
      const x = columnTensor(ctx, c.name);
      const y = c.type === 'string'
        ? ctx.builder.typed(ctx.builder.op('LabelEncoder', [x], { keys_strings: attr.strings(c.categories), values_floats: attr.floats(c.categories.map((_, i) => i)), default_float: attr.float(-1) }, 'ai.onnx.ml'), 'float', ['N', 1])
        : ordinalNumbers(ctx, x, c.categories);
      replaceOnnxColumn(ctx, c.name, y, [c.name], 'number');
    }
  },
};

/** Σ_k [x = c_k]·(k + 1) − 1 via Equal, Cast and MatMul: the index, or -1 when x matches none. */
function ordinalNumbers(ctx: CompileContext, x: string, categories: readonly number[]): string {
  const b = ctx.builder;
  const cats = b.addInitializer('categories', { type: 'float', dims: [1, categories.length], values: categories });
  const hits = b.op('Cast', [b.op('Equal', [x, cats])], { to: attr.int(1) });
  const ranks = b.addInitializer('ranks', { type: 'float', dims: [categories.length, 1], values: categories.map((_, i) => i + 1) });
  return b.op('Sub', [b.op('MatMul', [hits, ranks]), b.addInitializer('one', { type: 'float', dims: [1], values: [1] })]);
}
