import { describe, expect, it } from 'vitest';
import { createRng } from '../../base/rng';
import { createMatrix } from '../types';
import { MISSING_BIN, binMatrix, binThreshold, fitBinMapper } from './binning';
import { float32SafeThreshold } from './float32';

function nextUpFloat32(v: number): number {
  const f = new Float32Array([v]);
  const u = new Int32Array(f.buffer);
  if (v >= 0) u[0] = u[0]! + 1;
  else u[0] = u[0]! - 1;
  return f[0]!;
}

describe('float32SafeThreshold', () => {
  it('float32SafeThreshold(t) is the largest float32 ≤ t, so float32 inputs route as with t', () => {
    const rng = createRng(7);
    for (let i = 0; i < 5000; i++) {
      const t = (rng.next() - 0.5) * 10 ** Math.floor(rng.next() * 12 - 6);
      const safe = float32SafeThreshold(t);
      expect(Math.fround(safe)).toBe(safe);
      expect(safe).toBeLessThanOrEqual(t);
      expect(nextUpFloat32(safe)).toBeGreaterThan(t);
      const x = Math.fround(t);
      expect(x <= safe).toBe(x <= t);
    }
    expect(float32SafeThreshold(Infinity)).toBe(Infinity);
    expect(float32SafeThreshold(0.1)).toBeLessThan(0.1);
    expect(Math.fround(0.1)).toBeGreaterThan(0.1);
  });
});

describe('fitBinMapper / binMatrix', () => {
  it('binMatrix(x) gives code ≤ b exactly when x ≤ binThreshold(b), and NaN the missing bin', () => {
    const rng = createRng(1);
    const rows = 3000;
    const x = createMatrix(rows, 3);
    for (let r = 0; r < rows; r++) {
      x.data[r * 3] = Math.floor(rng.next() * 20) / 4;
      x.data[r * 3 + 1] = rng.next() < 0.1 ? Number.NaN : rng.normal();
      x.data[r * 3 + 2] = Math.exp(rng.normal() * 3);
    }
    const binned = binMatrix(x, fitBinMapper(x));
    expect(binned.nBins[0]).toBe(20);
    expect(binned.nBins[1]).toBeLessThanOrEqual(255);
    expect(binned.hasMissing[1]).toBe(1);
    for (let f = 0; f < 3; f++) {
      for (let r = 0; r < rows; r += 7) {
        const v = x.data[r * 3 + f]!;
        const code = binned.codes[f * rows + r]!;
        if (Number.isNaN(v)) {
          expect(code).toBe(MISSING_BIN);
          continue;
        }
        for (const b of [0, 5, 19, 100, 200, binned.nBins[f]! - 1]) {
          if (b >= binned.nBins[f]!) continue;
          expect(code <= b).toBe(v <= binThreshold(binned.mapper, f, b));
        }
      }
    }
  });

  it('fitBinMapper(x) puts many distinct values into ≤ 255 bins of near-equal counts', () => {
    const rng = createRng(2);
    const x = createMatrix(51_000, 1, Float64Array.from({ length: 51_000 }, () => rng.normal()));
    const binned = binMatrix(x, fitBinMapper(x));
    expect(binned.nBins[0]).toBe(255);
    const counts = new Int32Array(256);
    for (const c of binned.codes) counts[c]! += 1;
    expect(Math.max(...counts)).toBeLessThan(2 * (51_000 / 255));
    expect(Math.min(...counts.subarray(0, 255))).toBeGreaterThan(51_000 / 255 / 2);
  });

  it('fitBinMapper(x) takes its quantile edges from the sorted column, and binMatrix codes count the edges below each value', () => {
    // Signs, −0/+0, ±Infinity and wide magnitudes exercise the radix sort and the 8-step search.
    const rng = createRng(4), n = 20_000;
    const specials = [0, -0, Infinity, -Infinity, 1e300, -1e-300];
    const values = Float64Array.from({ length: n }, (_, i) => (i % 50 === 0 ? specials[i % 6]! : rng.normal() * 10 ** rng.int(6)));
    const x = createMatrix(n, 1, values);
    const edges = fitBinMapper(x).edges[0]!;
    const sorted = Float64Array.from(values).sort();
    const expected: number[] = [];
    for (let q = 1; q < 255; q++) {
      const pos = (q / 255) * (n - 1);
      const e = float32SafeThreshold((sorted[Math.floor(pos)]! + sorted[Math.ceil(pos)]!) / 2);
      if (expected.length === 0 || e > expected[expected.length - 1]!) expected.push(e);
    }
    expect(Array.from(edges)).toEqual(expected);
    const codes = binMatrix(x, fitBinMapper(x)).codes;
    for (let i = 0; i < n; i++) {
      let below = 0;
      while (below < edges.length && edges[below]! < values[i]!) below++;
      expect(codes[i]).toBe(below);
    }
  });
});
