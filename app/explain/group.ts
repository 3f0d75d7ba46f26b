import { UserInputError } from '../base/errors';

/**
 * Sums attributions of derived features (one-hot columns, TF-IDF terms, scaled copies) back to the
 * raw input column each came from. `lineage[f]` is the raw column index of feature f; the sum of
 * a row's attributions is unchanged, so additivity holds at the raw level too.
 */
export function groupAttributions(values: Float64Array, features: number, lineage: readonly number[], rawColumns: number): Float64Array {
  if (lineage.length !== features) throw new UserInputError(`Lineage names ${lineage.length} features, the attributions have ${features}.`);
  const rows = values.length / features;
  const out = new Float64Array(rows * rawColumns);
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < features; f++) out[r * rawColumns + lineage[f]!]! += values[r * features + f]!;
  }
  return out;
}
