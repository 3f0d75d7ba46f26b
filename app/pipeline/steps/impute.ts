import { UserInputError } from '../../base/errors';
import { attr } from '../../onnx/types';
import { mean, mostFrequent, present, quantile } from './stats';
import { columnTensor, getColumn, mapNumbers, replaceColumn, replaceOnnxColumn } from './table';
import type { ImputeColumn, StepImpl } from './types';

/**
 * Text values never seen in training become this marker after text imputation, because the ONNX
 * LabelEncoder that fills text maps every key it does not know to one constant. Downstream encoders
 * treat it as an unknown category, exactly as they would the original value.
 */
export const UNKNOWN_TEXT = '\u0000unknown';

/** Missing-value imputation: numbers via ai.onnx.ml Imputer, text via ai.onnx.ml LabelEncoder. */
export const impute: StepImpl<'impute'> = {
  fit(spec, table) {
    const columns = spec.columns.map((name): ImputeColumn => {
      const column = getColumn(table, name);
      if (column.type === 'number') {
        const fill = numberFill(spec.strategy, column.values, spec.fillValue);
        if (Number.isNaN(fill)) throw new UserInputError(`Column "${name}" has no values to impute from.`);
        return { name, type: 'number', fill };
      }
      const known = [...new Set(column.values.filter((v) => v !== ''))].sort();
      if (spec.strategy === 'mean' || spec.strategy === 'median') throw new UserInputError(`Column "${name}" holds text; impute it with "most frequent" or "constant", not "${spec.strategy}".`);
      const fill = spec.strategy === 'constant' ? String(spec.fillValue ?? 'missing') : mostFrequent(column.values.filter((v) => v !== ''));
      if (fill === undefined || fill === '') throw new UserInputError(`Column "${name}" has no values to impute from.`);
      return { name, type: 'string', fill, known };
    });
    return { kind: 'impute', columns };
  },
  transform(fitted, table) {
    let out = table;
    for (const c of fitted.columns) {
      const column = getColumn(out, c.name);
      if (c.type === 'number' && column.type === 'number') {
        out = replaceColumn(out, c.name, [{ name: c.name, type: 'number', values: mapNumbers(column.values, (v) => (Number.isNaN(v) ? c.fill : v)) }]);
      } else if (c.type === 'string' && column.type === 'string') {
        const known = new Set([...c.known, c.fill]);
        const values = column.values.map((v) => (v === '' ? c.fill : known.has(v) ? v : UNKNOWN_TEXT));
        out = replaceColumn(out, c.name, [{ name: c.name, type: 'string', values }]);
      } else {
        throw new UserInputError(`Column "${c.name}" changed type since the imputer was fitted.`);
      }
    }
    return out;
  },
  compile(fitted, ctx) {
    for (const c of fitted.columns) {
      const x = columnTensor(ctx, c.name);
      const y = c.type === 'number'
        ? ctx.builder.op('Imputer', [x], { imputed_value_floats: attr.floats([c.fill]), replaced_value_float: attr.float(Number.NaN) }, 'ai.onnx.ml')
        : ctx.builder.op('LabelEncoder', [x], textFillAttrs(c.known, c.fill), 'ai.onnx.ml');
      replaceOnnxColumn(ctx, c.name, ctx.builder.typed(y, c.type === 'number' ? 'float' : 'string', ['N', 1]), [c.name], c.type);
    }
  },
};

function numberFill(strategy: 'mean' | 'median' | 'most_frequent' | 'constant', values: Float64Array, fillValue: number | string | undefined): number {
  switch (strategy) {
    case 'mean': return mean(values);
    case 'median': return quantile(values, 0.5);
    case 'most_frequent': return mostFrequent(present(values)) ?? Number.NaN;
    case 'constant': {
      const fill = Number(fillValue ?? 0);
      if (!Number.isFinite(fill)) throw new UserInputError(`The fill value "${String(fillValue)}" is not a number.`);
      return fill;
    }
  }
}

function textFillAttrs(known: readonly string[], fill: string) {
  const keys = [...new Set([...known, fill])];
  return {
    keys_strings: attr.strings(['', ...keys]),
    values_strings: attr.strings([fill, ...keys]),
    default_string: attr.string(UNKNOWN_TEXT),
  };
}
