/*
 * Exact order statistics of a column without sorting all of it: binning needs at most 510 ranks
 * (or the ≤ 255 distinct values) of each feature, and a full sort of every feature was most of
 * the binning time.
 */

const f64 = new Float64Array(1);
const i32 = new Int32Array(f64.buffer);
const TABLE_BITS = 10;

/**
 * The distinct values of `values` ascending (−0 counted as +0), or undefined as soon as there are
 * more than `limit` (≤ 512) of them. Continuous features stop after a few hundred values.
 */
export function sortedDistinct(values: Float64Array, limit: number): Float64Array | undefined {
  const size = 1 << TABLE_BITS;
  const keys = new Float64Array(size);
  const used = new Uint8Array(size);
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]! + 0; // −0 → +0: one key for both zeros
    f64[0] = v;
    let slot = Math.imul(i32[0]! ^ i32[1]!, 0x9e3779b1) >>> (32 - TABLE_BITS);
    while (used[slot] === 1 && keys[slot] !== v) slot = (slot + 1) & (size - 1);
    if (used[slot] === 1) continue;
    if (++count > limit) return undefined;
    used[slot] = 1;
    keys[slot] = v;
  }
  const out = new Float64Array(count);
  for (let s = 0, k = 0; s < size; s++) if (used[s] === 1) out[k++] = keys[s]!;
  return out.sort();
}

/**
 * `sorted[r]` for every rank r of `ranks` (ascending), where `sorted` is `values` (no NaN) sorted
 * ascending — exactly, −0 before +0 as TypedArray#sort. Buckets the values by linear position
 * between min and max, then sorts only the buckets that hold a wanted rank. `values` is not changed.
 */
export function orderStatistics(values: Float64Array, ranks: Int32Array): Float64Array {
  const n = values.length;
  const out = new Float64Array(ranks.length);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const buckets = Math.min(1 << 16, Math.max(1, n >> 4));
  const scale = buckets / (max - min);
  if (!(scale > 0 && scale < Infinity) || n < 4096) {
    const sorted = sortNumbers(values.slice());
    for (let j = 0; j < ranks.length; j++) out[j] = sorted[ranks[j]!]!;
    return out;
  }
  const bucketOf = (v: number) => Math.min(buckets - 1, ((v - min) * scale) | 0);
  // start[b] = rank of bucket b's first value once sorted (monotone bucketing keeps buckets in order).
  const start = new Int32Array(buckets + 1);
  for (let i = 0; i < n; i++) start[bucketOf(values[i]!) + 1]!++;
  for (let b = 0; b < buckets; b++) start[b + 1]! += start[b]!;
  const at = new Int32Array(buckets).fill(-1);
  let total = 0;
  for (let j = 0, b = 0; j < ranks.length; j++) {
    while (start[b + 1]! <= ranks[j]!) b++;
    if (at[b] === -1) {
      at[b] = total;
      total += start[b + 1]! - start[b]!;
    }
  }
  const picked = new Float64Array(total);
  const cursor = at.slice();
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    const b = bucketOf(v);
    if (at[b] !== -1) picked[cursor[b]!++] = v;
  }
  for (let b = 0; b < buckets; b++) if (at[b] !== -1) sortNumbers(picked.subarray(at[b], at[b]! + start[b + 1]! - start[b]!));
  for (let j = 0, b = 0; j < ranks.length; j++) {
    while (start[b + 1]! <= ranks[j]!) b++;
    out[j] = picked[at[b]! + ranks[j]! - start[b]!]!;
  }
  return out;
}

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** Radix digits of the 64-bit sort key as [32-bit word, shift, bits]: 11-bit counts fit the L1 cache. */
const DIGITS: readonly (readonly [number, number, number])[] = [[0, 0, 11], [0, 11, 11], [0, 22, 10], [1, 0, 11], [1, 11, 11], [1, 22, 10]];
const RADIX = 2048;

/**
 * Sorts non-NaN numbers ascending in place (−0 before +0, as TypedArray#sort): an LSD radix sort
 * on the IEEE bits, 11 bits per pass, all digit counts taken in one pass and passes whose digit is
 * the same for every key skipped; about 2× faster than the built-in sort on 100k values.
 */
export function sortNumbers(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < 2048 || !LITTLE_ENDIAN) return values.sort();
  let keys = new Uint32Array(2 * n), tmp = new Uint32Array(2 * n);
  keys.set(new Uint32Array(values.buffer, values.byteOffset, 2 * n));
  const count = new Uint32Array(DIGITS.length * RADIX);
  for (let i = 0; i < n; i++) {
    // Order-preserving keys: negatives get every bit flipped, positives just the sign bit.
    let lo = keys[2 * i]!, hi = keys[2 * i + 1]!;
    if (hi >>> 31) { hi = ~hi >>> 0; lo = ~lo >>> 0; } else hi = (hi | 0x80000000) >>> 0;
    keys[2 * i] = lo;
    keys[2 * i + 1] = hi;
    count[lo & 2047]!++; count[RADIX + ((lo >>> 11) & 2047)]!++; count[2 * RADIX + (lo >>> 22)]!++;
    count[3 * RADIX + (hi & 2047)]!++; count[4 * RADIX + ((hi >>> 11) & 2047)]!++; count[5 * RADIX + (hi >>> 22)]!++;
  }
  for (let p = 0; p < DIGITS.length; p++) {
    const [word, shift, bits] = DIGITS[p]!;
    const base = p * RADIX, mask = (1 << bits) - 1;
    let constant = false;
    for (let d = 0, sum = 0; d <= mask; d++) { const c = count[base + d]!; constant ||= c === n; count[base + d] = sum; sum += c; }
    if (constant) continue;
    for (let i = 0; i < n; i++) {
      const to = count[base + ((keys[2 * i + word]! >>> shift) & mask)]!++;
      tmp[2 * to] = keys[2 * i]!;
      tmp[2 * to + 1] = keys[2 * i + 1]!;
    }
    const swap = keys;
    keys = tmp;
    tmp = swap;
  }
  for (let i = 1; i < 2 * n; i += 2) {
    const hi = keys[i]!;
    if (hi >>> 31) keys[i] = (hi & 0x7fffffff) >>> 0; else { keys[i] = ~hi >>> 0; keys[i - 1] = ~keys[i - 1]! >>> 0; }
  }
  new Uint32Array(values.buffer, values.byteOffset, 2 * n).set(keys);
  return values;
}
