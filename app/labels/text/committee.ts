/**
 * A committee of tracked runs for active learning: which table column feeds each input of a
 * run's compiled model, and how the model's predicted labels map to the set's classes, so the
 * queue can order rows by the members' vote entropy (app/labels/active.ts voteEntropy).
 */
import { UserInputError } from '../../base/errors';
import { goldCodes } from './lf-file';

/** One graph input of a member's model and the table column that fills it ([N, 1]). */
export interface MemberFeed {
  readonly input: string;
  readonly column: string;
  readonly elemType: string;
}

/**
 * Columns for a model's inputs: an input named like a table column reads it; a model with a
 * single text input that names no column reads the set's text column (the run may have renamed
 * it, e.g. `SELECT CONTENT AS text`). Throws UserInputError naming the input nothing can fill.
 */
export function memberFeeds(run: string, inputs: ReadonlyArray<{ readonly name: string; readonly elemType: string }>, columns: readonly string[], textColumn: string): MemberFeed[] {
  const textInputs = inputs.filter((i) => i.elemType === 'string');
  return inputs.map((i) => {
    if (columns.includes(i.name)) return { input: i.name, column: i.name, elemType: i.elemType };
    if (i.elemType === 'string' && textInputs.length === 1) return { input: i.name, column: textColumn, elemType: i.elemType };
    throw new UserInputError(`Run ${run} needs a column "${i.name}", which the label set's table does not have.`);
  });
}

/**
 * Class indices of predicted labels: a label equal to a class name (ignoring case) is that
 * class; otherwise as `goldCodes` (an integer 0…k−1 is its index); anything else is −1 (no vote).
 */
export function predictionCodes(classes: readonly string[], labels: ArrayLike<string | number>): Int32Array {
  const lower = classes.map((c) => c.toLowerCase());
  const out = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i]!;
    const byName = typeof v === 'string' ? lower.indexOf(v.toLowerCase()) : -1;
    out[i] = byName >= 0 ? byName : goldCodes(classes, [v])[0]!;
  }
  return out;
}
