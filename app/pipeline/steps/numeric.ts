import { float32Up } from '../../onnx/float32';
import { attr } from '../../onnx/types';
import { present, quantile } from './stats';
import { columnTensor, floatConst, mapNumbers, numberValues, replaceColumn, replaceOnnxColumn } from './table';
import type { StepImpl } from './types';

/**
 * Bucketize: the bucket index of x is the number of boundaries ≤ x (numpy `digitize`, as
 * scikit-learn's KBinsDiscretizer), NaN stays NaN. ONNX: GreaterOrEqual against the boundaries,
 * Cast, ReduceSum, and Where(IsNaN) to keep missing values missing. Boundaries are rounded up to
 * float32 so float32 inputs land in the same bucket as in float64.
 */
export const bucketize: StepImpl<'bucketize'> = {
  fit(spec, table) {
    return {
      kind: 'bucketize',
      columns: spec.columns.map((name) => {
        const values = numberValues(table, name);
        const xs = present(values);
        const min = Math.min(...xs), max = Math.max(...xs);
        const raw = Array.from({ length: Math.max(spec.bins - 1, 0) }, (_, i) =>
          spec.strategy === 'quantile' ? quantile(values, (i + 1) / spec.bins) : min + ((i + 1) * (max - min)) / spec.bins);
        return { name, boundaries: [...new Set(raw.map(float32Up))].sort((a, b) => a - b) };
      }),
    };
  },
  transform(fitted, table) {
    let out = table;
    for (const c of fitted.columns) {
      const values = mapNumbers(numberValues(out, c.name), (v) => (Number.isNaN(v) ? v : c.boundaries.filter((b) => v >= b).length));
      out = replaceColumn(out, c.name, [{ name: c.name, type: 'number', values }]);
    }
    return out;
  },
  compile(fitted, ctx) {
    const b = ctx.builder;
    for (const c of fitted.columns) {
      const x = columnTensor(ctx, c.name);
      const bounds = floatConst(ctx, `${c.name}_boundaries`, c.boundaries, [1, c.boundaries.length]);
      const hits = b.op('Cast', [b.op('GreaterOrEqual', [x, bounds])], { to: attr.int(1) });
      const axes = b.addInitializer('axis1', { type: 'int64', dims: [1], values: [1] });
      const count = b.op('ReduceSum', [hits, axes], { keepdims: attr.int(1) });
      replaceOnnxColumn(ctx, c.name, b.op('Where', [b.op('IsNaN', [x]), x, count]), [c.name], 'number');
    }
  },
};

/** log(1 + x) per column; ONNX Add then Log. */
export const log1p: StepImpl<'log1p'> = {
  fit(spec, table) {
    for (const name of spec.columns) numberValues(table, name);
    return { kind: 'log1p', columns: [...spec.columns] };
  },
  transform(fitted, table) {
    let out = table;
    for (const name of fitted.columns) out = replaceColumn(out, name, [{ name, type: 'number', values: mapNumbers(numberValues(out, name), Math.log1p) }]);
    return out;
  },
  compile(fitted, ctx) {
    for (const name of fitted.columns) {
      const one = floatConst(ctx, 'one', [1]);
      replaceOnnxColumn(ctx, name, ctx.builder.op('Log', [ctx.builder.op('Add', [columnTensor(ctx, name), one])]), [name], 'number');
    }
  },
};

/**
 * Cyclic encoding of a periodic number (hour, weekday, month): x becomes two columns
 * `x_sin = sin(2πx/period)` and `x_cos = cos(2πx/period)`; ONNX Mul, Sin, Cos, Concat.
 */
export const cyclic: StepImpl<'cyclic'> = {
  fit(spec, table) {
    for (const name of spec.columns) numberValues(table, name);
    return { kind: 'cyclic', columns: spec.columns.map((name) => ({ name, period: spec.period })) };
  },
  transform(fitted, table) {
    let out = table;
    for (const c of fitted.columns) {
      const x = numberValues(out, c.name);
      const w = (2 * Math.PI) / c.period;
      out = replaceColumn(out, c.name, [
        { name: `${c.name}_sin`, type: 'number', values: mapNumbers(x, (v) => Math.sin(v * w)) },
        { name: `${c.name}_cos`, type: 'number', values: mapNumbers(x, (v) => Math.cos(v * w)) },
      ]);
    }
    return out;
  },
  compile(fitted, ctx) {
    const b = ctx.builder;
    for (const c of fitted.columns) {
      const angle = b.op('Mul', [columnTensor(ctx, c.name), floatConst(ctx, `${c.name}_omega`, [(2 * Math.PI) / c.period])]);
      const both = b.op('Concat', [b.op('Sin', [angle]), b.op('Cos', [angle])], { axis: attr.int(1) });
      replaceOnnxColumn(ctx, c.name, both, [`${c.name}_sin`, `${c.name}_cos`], 'number');
    }
  },
};
