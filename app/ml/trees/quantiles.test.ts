import { describe, expect, it } from 'vitest';
import { createRng } from '../../base/rng';
import { orderStatistics, sortNumbers, sortedDistinct } from './quantiles';

const rng = createRng(11);
const columns: Record<string, Float64Array> = {
  normal: Float64Array.from({ length: 30_000 }, () => rng.normal()),
  heavyTail: Float64Array.from({ length: 30_000 }, () => Math.exp(4 * rng.normal())),
  oneOutlier: Float64Array.from({ length: 20_000 }, (_, i) => (i === 77 ? 1e12 : rng.normal())),
  ties: Float64Array.from({ length: 20_000 }, () => Math.round(rng.normal() * 1000) / 10),
  specials: Float64Array.from({ length: 20_000 }, (_, i) => [0, -0, Infinity, -Infinity, 1e300, -1e-300][i % 50] ?? rng.normal() * 10 ** rng.int(6)),
  hugeRange: Float64Array.from({ length: 10_000 }, (_, i) => (i % 2 ? 1.7e308 : -1.7e308) * rng.next()),
  small: Float64Array.from({ length: 500 }, () => rng.normal()),
};

describe('quantiles', () => {
  it.each(Object.keys(columns))('orderStatistics(%s column, ranks) equals the full sort at every rank, bit for bit', (name) => {
    const values = columns[name]!;
    const before = values.slice();
    const sorted = values.slice().sort();
    const ranks = Int32Array.from({ length: 600 }, (_, j) => Math.floor((j / 599) * (values.length - 1)));
    const got = orderStatistics(values, ranks);
    for (let j = 0; j < ranks.length; j++) expect(Object.is(got[j], sorted[ranks[j]!])).toBe(true);
    expect(values).toEqual(before);
  });

  it('sortNumbers(values) orders like TypedArray#sort, −0 before +0', () => {
    for (const values of Object.values(columns)) {
      const want = values.slice().sort();
      const got = sortNumbers(values.slice());
      for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) expect([i, got[i]]).toEqual([i, want[i]]);
    }
  });

  it('sortedDistinct(values, limit) lists the distinct values ascending, or undefined past the limit', () => {
    const values = Float64Array.from({ length: 5000 }, (_, i) => [3, -0, 0, 1.5, -2, 1e-300][i % 6]! * (1 + (i % 7)));
    const want = [...new Set(Array.from(values, (v) => v + 0))].sort((a, b) => a - b);
    expect(Array.from(sortedDistinct(values, 255)!)).toEqual(want);
    expect(sortedDistinct(values, want.length - 1)).toBeUndefined();
    expect(sortedDistinct(columns.normal!, 255)).toBeUndefined();
    expect(Array.from(sortedDistinct(new Float64Array(0), 255)!)).toEqual([]);
  });
});
