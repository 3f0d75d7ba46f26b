import { UserInputError } from '../base/errors';
import { createRng, type Rng } from '../base/rng';
import { encodeClasses, type ClassTarget } from './check';

/** Fractions of rows for each part; each in [0, 1], summing to 1, train > 0. */
export interface SplitFractions {
  train: number;
  validation: number;
  test: number;
}

/** Row indices of each part, each sorted ascending; together a partition of 0..n-1. */
export interface SplitIndices {
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
}

/** One fold of k-fold cross-validation: held-out rows and the rest, both sorted ascending. */
export interface Fold {
  train: Int32Array;
  test: Int32Array;
}

/** How k-fold splitting orders rows: in file order (sklearn's default) or shuffled by a seed. */
export interface KFoldOptions {
  shuffle?: boolean;
  seed?: number;
}

/** Part sizes for `n` rows: validation and test round up (like sklearn's test_size), train gets the rest. */
export function splitSizes(n: number, f: SplitFractions): { train: number; validation: number; test: number } {
  const parts = [f.train, f.validation, f.test];
  if (parts.some((p) => !(p >= 0 && p <= 1)) || Math.abs(f.train + f.validation + f.test - 1) > 1e-9) {
    throw new UserInputError(`Split fractions must each be between 0 and 1 and add up to 1; got train ${f.train}, validation ${f.validation}, test ${f.test}.`);
  }
  if (f.train <= 0) throw new UserInputError('The training fraction must be above 0.');
  // The small slack keeps 0.7 * 10 = 7.000000000000001 from rounding up to 8.
  const test = f.test > 0 ? Math.ceil(f.test * n - 1e-9) : 0;
  const validation = f.validation > 0 ? Math.ceil(f.validation * n - 1e-9) : 0;
  const train = n - test - validation;
  if (train < 1) throw new UserInputError(`${n} rows are too few to split into train ${f.train}, validation ${f.validation}, test ${f.test}: no row is left to train on.`);
  return { train, validation, test };
}

function shuffleInPlace(a: Int32Array, rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}

function iota(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

function sorted(a: Int32Array): Int32Array {
  return a.sort();
}

function partsFromOrder(order: Int32Array, sizes: { train: number; validation: number }): SplitIndices {
  const v0 = sizes.train, t0 = sizes.train + sizes.validation;
  return { train: sorted(order.slice(0, v0)), validation: sorted(order.slice(v0, t0)), test: sorted(order.slice(t0)) };
}

/** Splits rows 0..n-1 uniformly at random (seeded): the same seed and n give the same parts. */
export function randomSplit(n: number, fractions: SplitFractions, seed: number): SplitIndices {
  const sizes = splitSizes(n, fractions);
  const order = iota(n);
  shuffleInPlace(order, createRng(seed));
  return partsFromOrder(order, sizes);
}

/**
 * Distributes `total` items over groups in proportion to `counts` (largest remainder): every group
 * gets floor or ceil of its exact share, and the parts add up to `total`.
 */
function allocate(counts: Int32Array, total: number, n: number): Int32Array {
  const out = new Int32Array(counts.length);
  const rest: { k: number; frac: number }[] = [];
  let given = 0;
  for (let k = 0; k < counts.length; k++) {
    const exact = (counts[k]! * total) / n;
    out[k] = Math.floor(exact);
    given += out[k]!;
    rest.push({ k, frac: exact - out[k]! });
  }
  rest.sort((a, b) => b.frac - a.frac || a.k - b.k);
  for (let i = 0; given < total; i++, given++) out[rest[i]!.k]!++;
  return out;
}

/**
 * Splits rows so that each class keeps its share in every part (largest-remainder rounding), rows
 * shuffled within each class by the seed. `y` holds one class label per row.
 */
export function stratifiedSplit(y: ClassTarget, fractions: SplitFractions, seed: number): SplitIndices {
  const n = y.length;
  const sizes = splitSizes(n, fractions);
  const { classes, codes } = encodeClasses(y);
  const k = classes.length;
  const counts = new Int32Array(k);
  for (let i = 0; i < n; i++) counts[codes[i]!]!++;
  const testPer = allocate(counts, sizes.test, n);
  const remaining = counts.map((c, j) => c - testPer[j]!);
  const valPer = allocate(remaining, sizes.validation, n - sizes.test);
  const rng = createRng(seed);
  const train: number[] = [], validation: number[] = [], test: number[] = [];
  for (let c = 0; c < k; c++) {
    const members = new Int32Array(counts[c]!);
    for (let i = 0, m = 0; i < n; i++) if (codes[i] === c) members[m++] = i;
    shuffleInPlace(members, rng);
    const t = testPer[c]!, v = valPer[c]!;
    for (let m = 0; m < members.length; m++) (m < t ? test : m < t + v ? validation : train).push(members[m]!);
  }
  return { train: sorted(Int32Array.from(train)), validation: sorted(Int32Array.from(validation)), test: sorted(Int32Array.from(test)) };
}

/**
 * Splits by time: the earliest rows train, the next validate, the latest test (no look-ahead).
 * Ties keep file order. `time` holds one sortable number per row (e.g. epoch ms); NaN is refused.
 */
export function timeSplit(time: Float64Array | readonly number[], fractions: SplitFractions): SplitIndices {
  const n = time.length;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(time[i]!)) throw new UserInputError(`The time column is missing in row ${i}; a time-based split needs a time for every row.`, { row: i });
  }
  const sizes = splitSizes(n, fractions);
  const order = iota(n).sort((a, b) => time[a]! - time[b]! || a - b);
  return partsFromOrder(order, sizes);
}

function checkK(n: number, k: number): void {
  if (!Number.isInteger(k) || k < 2) throw new UserInputError(`k-fold cross-validation needs at least 2 folds; got ${k}.`);
  if (k > n) throw new UserInputError(`Cannot make ${k} folds out of ${n} rows.`);
}

function foldsFromAssignment(testFold: Int32Array, k: number): Fold[] {
  const n = testFold.length;
  const sizes = new Int32Array(k);
  for (let i = 0; i < n; i++) sizes[testFold[i]!]!++;
  const folds: Fold[] = [];
  for (let f = 0; f < k; f++) {
    const test = new Int32Array(sizes[f]!), train = new Int32Array(n - sizes[f]!);
    for (let i = 0, a = 0, b = 0; i < n; i++) {
      if (testFold[i] === f) test[a++] = i;
      else train[b++] = i;
    }
    folds.push({ train, test });
  }
  return folds;
}

/**
 * k-fold indices like sklearn's KFold: fold sizes n/k with the first n%k folds one larger, over
 * rows in file order or in a seeded shuffle.
 */
export function kFold(n: number, k: number, options: KFoldOptions = {}): Fold[] {
  checkK(n, k);
  const order = iota(n);
  if (options.shuffle) shuffleInPlace(order, createRng(options.seed ?? 0));
  const testFold = new Int32Array(n);
  const base = Math.floor(n / k), extra = n % k;
  for (let f = 0, start = 0; f < k; f++) {
    const size = base + (f < extra ? 1 : 0);
    for (let i = start; i < start + size; i++) testFold[order[i]!] = f;
    start += size;
  }
  return foldsFromAssignment(testFold, k);
}

/**
 * Stratified k-fold like sklearn's StratifiedKFold: without shuffle it gives the very same folds
 * (classes in order of first appearance, each class dealt to folds in blocks); with shuffle the
 * fold order within each class is permuted by the seed.
 */
export function stratifiedKFold(y: ClassTarget, k: number, options: KFoldOptions = {}): Fold[] {
  const n = y.length;
  checkK(n, k);
  const { classes, codes } = encodeClasses(y);
  const nc = classes.length;
  // Renumber classes by first appearance, as sklearn does.
  const firstSeen = new Int32Array(nc).fill(-1);
  let seen = 0;
  for (let i = 0; i < n; i++) if (firstSeen[codes[i]!] === -1) firstSeen[codes[i]!] = seen++;
  const enc = codes.map((c) => firstSeen[c]!);
  const counts = new Int32Array(nc);
  for (let i = 0; i < n; i++) counts[enc[i]!]!++;
  if (counts.every((c) => c < k)) throw new UserInputError(`Cannot make ${k} stratified folds: every class has fewer than ${k} rows.`);
  // allocation[f][c] = how many of sorted labels y_order[f::k] are class c.
  const allocation = new Int32Array(k * nc);
  for (let c = 0, pos = 0; c < nc; c++) {
    for (let m = 0; m < counts[c]!; m++, pos++) allocation[(pos % k) * nc + c]!++;
  }
  const rng = options.shuffle ? createRng(options.seed ?? 0) : undefined;
  const testFold = new Int32Array(n);
  for (let c = 0; c < nc; c++) {
    const foldsForClass = new Int32Array(counts[c]!);
    for (let f = 0, m = 0; f < k; f++) for (let r = 0; r < allocation[f * nc + c]!; r++) foldsForClass[m++] = f;
    if (rng) shuffleInPlace(foldsForClass, rng);
    for (let i = 0, m = 0; i < n; i++) if (enc[i] === c) testFold[i] = foldsForClass[m++]!;
  }
  return foldsFromAssignment(testFold, k);
}
