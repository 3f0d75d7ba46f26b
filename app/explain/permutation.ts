import { throwIfAborted, UserInputError } from '../base/errors';
import { createRng } from '../base/rng';
import type { CancelSignal, ProgressSink } from '../base/signal';
import { takeRows, withColumn, type BatchPredict, type RawTable } from './table';

/** A score where greater is better (accuracy, ROC AUC, R², or a negated loss). */
export type Scorer = (yTrue: Float64Array, predicted: Float64Array) => number;

/** Importance of one column: the drop of the score when that column is shuffled. */
export interface PermutationImportance {
  column: string;
  mean: number;
  std: number;
  /** One drop per repeat. */
  drops: Float64Array;
}

export interface PermutationOptions {
  repeats?: number;
  seed?: number;
  signal?: CancelSignal;
  progress?: ProgressSink;
}

/**
 * Permutation importance (Breiman 2001; sklearn's `permutation_importance`): for each column and
 * repeat, shuffle that column's values across rows, rescore, and record baseline − score. All
 * repeats of one column are scored in one model call. Std is the population std (ddof 0), as in
 * sklearn.
 */
export async function permutationImportance(predict: BatchPredict, table: RawTable, y: Float64Array, score: Scorer, options: PermutationOptions = {}): Promise<{ baseline: number; importances: PermutationImportance[] }> {
  if (table.rows !== y.length) throw new UserInputError(`The table has ${table.rows} rows but the target has ${y.length} values.`);
  if (table.rows === 0) throw new UserInputError('Permutation importance needs at least one row.');
  const repeats = options.repeats ?? 5;
  const rng = createRng(options.seed ?? 0);
  const baseline = score(y, await predict(table, options.signal));
  const n = table.rows;
  const tiled = takeRows(table, Int32Array.from({ length: n * repeats }, (_, i) => i % n));
  const yTiled = Float64Array.from({ length: n * repeats }, (_, i) => y[i % n]!);
  const importances: PermutationImportance[] = [];
  for (let j = 0; j < table.columns.length; j++) {
    throwIfAborted(options.signal);
    const order = new Int32Array(n * repeats);
    for (let rep = 0; rep < repeats; rep++) {
      const perm = rng.shuffle(Array.from({ length: n }, (_, i) => i));
      for (let i = 0; i < n; i++) order[rep * n + i] = perm[i]!;
    }
    const shuffled = takeRows({ names: [table.names[j]!], columns: [table.columns[j]!], rows: n }, order).columns[0]!;
    const predicted = await predict(withColumn(tiled, j, shuffled), options.signal);
    const drops = new Float64Array(repeats);
    for (let rep = 0; rep < repeats; rep++) {
      drops[rep] = baseline - score(yTiled.subarray(rep * n, (rep + 1) * n), predicted.subarray(rep * n, (rep + 1) * n));
    }
    const mean = drops.reduce((a, b) => a + b, 0) / repeats;
    const std = Math.sqrt(drops.reduce((a, b) => a + (b - mean) ** 2, 0) / repeats);
    importances.push({ column: table.names[j]!, mean, std, drops });
    options.progress?.({ done: j + 1, total: table.columns.length, message: table.names[j] });
  }
  return { baseline, importances };
}
