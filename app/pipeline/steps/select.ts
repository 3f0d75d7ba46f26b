import { UserInputError } from '../../base/errors';
import { featureScores } from './scores';
import { variance } from './stats';
import { getColumn } from './table';
import type { ColumnTable, CompileContext, StepImpl } from './types';

function keepColumns(table: ColumnTable, keep: readonly string[]): ColumnTable {
  return { rows: table.rows, columns: keep.map((name) => getColumn(table, name)) };
}

function keepOnnxColumns(ctx: CompileContext, keep: readonly string[]): void {
  // No op here: the final Concat gathers exactly the columns that remain, so dropping is free.
  // `fit` checked every kept column against the table; one missing from the graph was never one
  // of its inputs (the target, kept beside the features), so it is simply not carried.
  ctx.columns = keep.flatMap((name) => ctx.columns.filter((c) => c.name === name));
}

/** Keeps (or drops) named columns; `keep` is the resulting column order. */
export const selectColumns: StepImpl<'selectColumns'> = {
  fit(spec, table) {
    for (const name of spec.columns) getColumn(table, name);
    const keep = spec.mode === 'keep' ? [...spec.columns] : table.columns.map((c) => c.name).filter((n) => !spec.columns.includes(n));
    return { kind: 'selectColumns', keep };
  },
  transform: (fitted, table) => keepColumns(table, fitted.keep),
  compile: (fitted, ctx) => keepOnnxColumns(ctx, fitted.keep),
};

/**
 * Feature selection over the number columns (text columns pass through): `variance` keeps columns
 * whose variance is above the threshold; `kbest` keeps the k best by score (ANOVA F, chi², or
 * mutual information), ties broken by column order. Compiles to nothing but the final Gather.
 */
export const featureSelect: StepImpl<'featureSelect'> = {
  fit(spec, table, target) {
    const numeric = table.columns.filter((c) => c.type === 'number');
    const scores: Record<string, number> = {};
    let chosen: Set<string>;
    if (spec.method === 'variance') {
      for (const c of numeric) scores[c.name] = variance(c.values);
      chosen = new Set(numeric.filter((c) => (scores[c.name] ?? 0) > spec.threshold).map((c) => c.name));
    } else {
      if (!target) throw new UserInputError('Selecting the k best features needs a target column.');
      const values = featureScores(spec.score, numeric, target);
      numeric.forEach((c, i) => (scores[c.name] = values[i] ?? Number.NaN));
      const order = numeric.map((c, i) => ({ name: c.name, s: Number.isNaN(values[i]!) ? -Infinity : values[i]!, i }))
        .sort((a, b) => b.s - a.s || a.i - b.i);
      chosen = new Set(order.slice(0, spec.k).map((o) => o.name));
    }
    const keep = table.columns.filter((c) => c.type === 'string' || chosen.has(c.name)).map((c) => c.name);
    return { kind: 'featureSelect', keep, scores };
  },
  transform: (fitted, table) => keepColumns(table, fitted.keep),
  compile: (fitted, ctx) => keepOnnxColumns(ctx, fitted.keep),
};
