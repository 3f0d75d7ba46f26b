import { UserInputError } from '../base/errors';
import type { ClassLabels, Matrix } from './types';

/** Targets of a classifier: numeric class values or string class names, one per row. */
export type ClassTarget = Float64Array | readonly number[] | readonly string[];

/** Classes sorted like numpy's `np.unique` and each row's index into them. */
export interface EncodedClasses {
  classes: ClassLabels;
  codes: Int32Array;
}

/** Options shared by trainers that name columns in their error messages. */
export interface FeatureNames {
  /** Column names, used only to word errors ("column 'age'"); defaults to "column 3" (0-based). */
  featureNames?: readonly string[];
}

/** Names column `c` for a message: its name when known, else its 0-based index. */
export function columnLabel(c: number, featureNames?: readonly string[]): string {
  const name = featureNames?.[c];
  return name === undefined ? `column ${c}` : `column '${name}'`;
}

/** Throws a plain-words UserInputError unless `X` has at least one row and one column. */
export function checkMatrixShape(X: Matrix, model: string): void {
  if (X.rows * X.cols !== X.data.length) {
    throw new UserInputError(`The ${model} input matrix claims ${X.rows}×${X.cols} but holds ${X.data.length} values.`);
  }
  if (X.rows === 0) throw new UserInputError(`The ${model} needs at least one row of data; the input has none.`);
  if (X.cols === 0) throw new UserInputError(`The ${model} needs at least one feature column; the input has none.`);
}

/**
 * Throws a UserInputError naming the first column (and row) holding NaN or ±Infinity, for models
 * that do not accept missing values.
 */
export function checkFinite(X: Matrix, model: string, featureNames?: readonly string[]): void {
  const { data, cols } = X;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v - v !== 0) {
      const row = Math.floor(i / cols), c = i % cols;
      const what = Number.isNaN(v) ? 'a missing value (NaN)' : `an infinite value (${v})`;
      throw new UserInputError(
        `${columnLabel(c, featureNames)} has ${what} in row ${row}; ${model} does not accept missing or infinite values. Impute or drop them first.`,
        { column: c, row },
      );
    }
  }
}

/** Checks a full shape + finiteness precondition in one call. */
export function checkFeatures(X: Matrix, model: string, featureNames?: readonly string[]): void {
  checkMatrixShape(X, model);
  checkFinite(X, model, featureNames);
}

/** Throws unless `y` has one finite value per row of `X`. */
export function checkRegressionTarget(y: Float64Array, rows: number, model: string): void {
  if (y.length !== rows) throw new UserInputError(`The ${model} got ${rows} rows of features but ${y.length} target values.`);
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (v - v !== 0) throw new UserInputError(`The target has a missing or infinite value in row ${i}; the ${model} needs a value in every row.`, { row: i });
  }
}

function isStringArray(y: ClassTarget): y is readonly string[] {
  return Array.isArray(y) && y.length > 0 && typeof y[0] === 'string';
}

/** Encodes class targets as indices into their sorted unique values (numbers ascending, strings by code unit). */
export function encodeClasses(y: ClassTarget): EncodedClasses {
  const codes = new Int32Array(y.length);
  if (isStringArray(y)) {
    const classes = [...new Set(y)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const index = new Map(classes.map((c, i) => [c, i]));
    for (let i = 0; i < y.length; i++) codes[i] = index.get(y[i]!)!;
    return { classes, codes };
  }
  const values = y;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i]!)) throw new UserInputError(`The class label in row ${i} is missing (NaN).`, { row: i });
  }
  return fewNumericClasses(values, codes) ?? manyNumericClasses(values, codes);
}

/** Classes by linear search while there are at most 16 (the usual case; a Set and Map per row cost ~40 ns). */
function fewNumericClasses(values: Float64Array | readonly number[], codes: Int32Array): EncodedClasses | undefined {
  const seen: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    let k = 0;
    while (k < seen.length && seen[k] !== v) k++;
    if (k === seen.length) {
      if (k === 16) return undefined;
      seen.push(v);
    }
    codes[i] = k;
  }
  const classes = [...seen].sort((a, b) => a - b);
  const rank = seen.map((v) => classes.indexOf(v));
  for (let i = 0; i < codes.length; i++) codes[i] = rank[codes[i]!]!;
  return { classes, codes };
}

function manyNumericClasses(values: Float64Array | readonly number[], codes: Int32Array): EncodedClasses {
  const classes = [...new Set(values)].sort((a, b) => a - b);
  const index = new Map(classes.map((c, i) => [c, i]));
  for (let i = 0; i < values.length; i++) codes[i] = index.get(values[i]!)!;
  return { classes, codes };
}

/** Encodes class targets for a classifier and checks their count against `rows`. */
export function encodeClassTarget(y: ClassTarget, rows: number, model: string): EncodedClasses {
  if (y.length !== rows) throw new UserInputError(`The ${model} got ${rows} rows of features but ${y.length} class labels.`);
  return encodeClasses(y);
}
