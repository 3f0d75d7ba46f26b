/** Non-missing (non-NaN) values of a column, in order. */
export function present(values: Float64Array): number[] {
  const out: number[] = [];
  for (const v of values) if (!Number.isNaN(v)) out.push(v);
  return out;
}

/** Arithmetic mean of the non-missing values (NaN when there are none). */
export function mean(values: Float64Array): number {
  const xs = present(values);
  let sum = 0;
  for (const x of xs) sum += x;
  return xs.length > 0 ? sum / xs.length : Number.NaN;
}

/** Population variance (ddof 0) of the non-missing values, as scikit-learn's scalers use. */
export function variance(values: Float64Array): number {
  const xs = present(values);
  const m = mean(values);
  let sum = 0;
  for (const x of xs) sum += (x - m) * (x - m);
  return xs.length > 0 ? sum / xs.length : Number.NaN;
}

/** The q-quantile (0..1) of the non-missing values, linear interpolation (numpy's default). */
export function quantile(values: Float64Array, q: number): number {
  const xs = present(values).sort((a, b) => a - b);
  if (xs.length === 0) return Number.NaN;
  const pos = (xs.length - 1) * q;
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return xs[lo]! + (xs[hi]! - xs[lo]!) * (pos - lo);
}

/** The most frequent value; ties go to the smallest (numbers) or first in code-unit order (text). */
export function mostFrequent<T extends number | string>(values: Iterable<T>): T | undefined {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: T | undefined;
  let bestCount = 0;
  for (const [v, c] of counts) {
    if (c > bestCount || (c === bestCount && best !== undefined && v < best)) {
      best = v;
      bestCount = c;
    }
  }
  return best;
}

/** Sorted distinct values (numbers ascending, text in code-unit order). */
export function distinctSorted<T extends number | string>(values: Iterable<T>): T[] {
  return [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
