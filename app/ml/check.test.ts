import { describe, expect, it } from 'vitest';
import { encodeClasses } from './check';

describe('encodeClasses', () => {
  it('encodeClasses(numbers) sorts the classes ascending and codes each row by its class, up to and past 16 classes', () => {
    for (const k of [2, 3, 16, 17, 40]) {
      const y = Float64Array.from({ length: 500 }, (_, i) => ((i * 7919) % k) * 1.5 - 4);
      const { classes, codes } = encodeClasses(y);
      expect(classes).toEqual([...new Set(y)].sort((a, b) => a - b));
      expect(Array.from(codes, (c) => classes[c])).toEqual(Array.from(y));
    }
  });

  it('encodeClasses(strings) sorts by code unit; a NaN label is refused with its row', () => {
    expect(encodeClasses(['b', 'a', 'b', 'C'])).toEqual({ classes: ['C', 'a', 'b'], codes: Int32Array.of(2, 1, 2, 0) });
    expect(() => encodeClasses(Float64Array.of(1, 0, Number.NaN))).toThrow(/class label in row 2 is missing/);
  });
});
