import { UserInputError } from '../../base/errors';

/** Class labels sorted ascending (as sklearn's `classes_`) and each row's index into them. */
export interface EncodedClasses {
  classes: number[];
  codes: Int32Array;
}

/** Encodes numeric class labels; NaN labels are rejected. */
export function encodeClasses(y: ArrayLike<number>): EncodedClasses {
  const distinct = new Set<number>();
  for (let i = 0; i < y.length; i++) {
    if (Number.isNaN(y[i]!)) throw new UserInputError('A class label is missing (NaN)', { row: i });
    distinct.add(y[i]!);
  }
  const classes = [...distinct].sort((a, b) => a - b);
  const index = new Map(classes.map((c, i) => [c, i]));
  const codes = new Int32Array(y.length);
  for (let i = 0; i < y.length; i++) codes[i] = index.get(y[i]!)!;
  return { classes, codes };
}

/** A 32-bit seed for item `index` derived from `seed`, independent of how items are scheduled. */
export function deriveSeed(seed: number, index: number): number {
  let z = (Math.imul(seed >>> 0, 0x9e3779b1) + Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x7feb352d) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x846ca68b) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}
