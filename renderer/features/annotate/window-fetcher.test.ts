import { describe, expect, it } from 'vitest';
import { specCovers } from './window-fetcher';

describe('specCovers', () => {
  const view = { from: 1000, to: 2000 };
  it('specCovers(window, view, px) needs the whole view at a density between 1.6× finer and 5% coarser', () => {
    // The fetcher's own request for the view: one view of overscan each side, 3× the columns.
    expect(specCovers({ from: 0, to: 3000, pixels: 3000 }, view, 1000)).toBe(true);
    expect(specCovers({ from: 1001, to: 3000, pixels: 2000 }, view, 1000)).toBe(false);
    expect(specCovers({ from: 0, to: 3000, pixels: 1500 }, view, 1000)).toBe(false);
    expect(specCovers({ from: 0, to: 3000, pixels: 5000 }, view, 1000)).toBe(false);
  });

  it('a zoom-in prefetch (the view ± half a view at 2.25× the density) serves the next two 1.5× zoom steps', () => {
    const prefetched = { from: 500, to: 2500, pixels: 4500 };
    const step1 = { from: 1500 - 1000 / 3, to: 1500 + 1000 / 3 };
    const step2 = { from: 1500 - 1000 / 4.5, to: 1500 + 1000 / 4.5 };
    const step3 = { from: 1500 - 1000 / 6.75, to: 1500 + 1000 / 6.75 };
    expect([step1, step2, step3].map((v) => specCovers(prefetched, v, 1000))).toEqual([true, true, false]);
  });
});
