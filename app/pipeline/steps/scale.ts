import { attr } from '../../onnx/types';
import { mean, present, quantile, variance } from './stats';
import { columnTensor, mapNumbers, numberValues, replaceColumn, replaceOnnxColumn } from './table';
import type { StepImpl } from './types';

/**
 * Scaling `(x - offset) * scale` per column (ai.onnx.ml Scaler). standard: offset mean, scale
 * 1/std (ddof 0); minmax: min and 1/(max-min); robust: median and 1/IQR. A constant column gets
 * scale 1, as in scikit-learn. Missing values stay missing.
 */
export const scale: StepImpl<'scale'> = {
  fit(spec, table) {
    return {
      kind: 'scale',
      columns: spec.columns.map((name) => {
        const values = numberValues(table, name);
        const [offset, spread] = fitSpread(spec.method, values);
        return { name, offset, scale: spread > 0 && Number.isFinite(spread) ? 1 / spread : 1 };
      }),
    };
  },
  transform(fitted, table) {
    let out = table;
    for (const c of fitted.columns) {
      const values = mapNumbers(numberValues(out, c.name), (v) => (v - c.offset) * c.scale);
      out = replaceColumn(out, c.name, [{ name: c.name, type: 'number', values }]);
    }
    return out;
  },
  compile(fitted, ctx) {
    for (const c of fitted.columns) {
      const y = ctx.builder.op('Scaler', [columnTensor(ctx, c.name)], { offset: attr.floats([c.offset]), scale: attr.floats([c.scale]) }, 'ai.onnx.ml');
      replaceOnnxColumn(ctx, c.name, ctx.builder.typed(y, 'float', ['N', 1]), [c.name], 'number');
    }
  },
};

function fitSpread(method: 'standard' | 'minmax' | 'robust', values: Float64Array): [number, number] {
  switch (method) {
    case 'standard': return [mean(values), Math.sqrt(variance(values))];
    case 'minmax': {
      const xs = present(values);
      const min = xs.reduce((a, b) => Math.min(a, b), Infinity), max = xs.reduce((a, b) => Math.max(a, b), -Infinity);
      return [min, max - min];
    }
    case 'robust': return [quantile(values, 0.5), quantile(values, 0.75) - quantile(values, 0.25)];
  }
}
