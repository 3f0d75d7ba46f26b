import { describe, expect, it } from 'vitest';
import { loadCounted, readFixture } from '../../tools/fixtures/ml/datasets';
import { kFold, randomSplit, splitSizes, stratifiedKFold, stratifiedSplit, timeSplit, type SplitIndices } from './split';

const fx = readFixture<{ stratifiedKFold5: number[][]; kFold4of10: number[][] }>('split.json');
const wine = loadCounted('wine_data.csv');

function expectPartition(parts: SplitIndices, n: number): void {
  const all = [...parts.train, ...parts.validation, ...parts.test].sort((a, b) => a - b);
  expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
}

describe('splits', () => {
  it('randomSplit(n, 70/15/15, seed) partitions the rows with sklearn-style sizes, deterministically', () => {
    const f = { train: 0.7, validation: 0.15, test: 0.15 };
    const a = randomSplit(178, f, 7), b = randomSplit(178, f, 7), c = randomSplit(178, f, 8);
    expectPartition(a, 178);
    expect([a.train.length, a.validation.length, a.test.length]).toEqual([124, 27, 27]);
    expect(Array.from(a.test)).toEqual(Array.from(b.test));
    expect(Array.from(a.test)).not.toEqual(Array.from(c.test));
    expect(splitSizes(10, { train: 0.7, validation: 0, test: 0.3 })).toEqual({ train: 7, validation: 0, test: 3 });
  });

  it('stratifiedSplit(wine classes) keeps each class share within one row in every part', () => {
    const parts = stratifiedSplit(wine.y, { train: 0.6, validation: 0.2, test: 0.2 }, 3);
    expectPartition(parts, wine.y.length);
    for (const [name, idx] of Object.entries(parts)) {
      for (const c of [0, 1, 2]) {
        const total = wine.y.filter((v) => v === c).length;
        const got = Array.from(idx as Int32Array).filter((i) => wine.y[i] === c).length;
        const share = name === 'train' ? 0.6 : 0.2;
        expect(Math.abs(got - total * share)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('timeSplit(time) trains on the earliest rows and tests on the latest', () => {
    const time = Float64Array.of(50, 10, 40, 20, 30, 60, 0, 70, 80, 90);
    const parts = timeSplit(time, { train: 0.6, validation: 0.2, test: 0.2 });
    expect(Array.from(parts.train)).toEqual([0, 1, 2, 3, 4, 6]);
    expect(Array.from(parts.validation)).toEqual([5, 7]);
    expect(Array.from(parts.test)).toEqual([8, 9]);
    expect(() => timeSplit([1, NaN], { train: 0.5, validation: 0, test: 0.5 })).toThrow(/time column is missing in row 1/);
  });

  it('kFold(10, 4) and stratifiedKFold(wine, 5) give sklearn\'s very folds', () => {
    expect(kFold(10, 4).map((f) => Array.from(f.test))).toEqual(fx.kFold4of10);
    const folds = stratifiedKFold(wine.y, 5);
    expect(folds.map((f) => Array.from(f.test))).toEqual(fx.stratifiedKFold5);
    for (const f of folds) expect(f.train.length + f.test.length).toBe(wine.y.length);
  });

  it('kFold with shuffle is seeded and still partitions', () => {
    const a = kFold(20, 3, { shuffle: true, seed: 1 }), b = kFold(20, 3, { shuffle: true, seed: 1 });
    expect(a.map((f) => Array.from(f.test))).toEqual(b.map((f) => Array.from(f.test)));
    expect(a.flatMap((f) => Array.from(f.test)).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('splits refuse impossible requests in plain words', () => {
    expect(() => randomSplit(10, { train: 0.5, validation: 0.2, test: 0.2 }, 1)).toThrow(/add up to 1/);
    expect(() => randomSplit(2, { train: 0.1, validation: 0.45, test: 0.45 }, 1)).toThrow(/no row is left to train on/);
    expect(() => kFold(3, 5)).toThrow(/Cannot make 5 folds out of 3 rows/);
    expect(() => stratifiedKFold([1, 2, 3, 4], 2)).toThrow(/every class has fewer than 2 rows/);
  });
});
