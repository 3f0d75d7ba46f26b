import { describe, expect, it } from 'vitest';
import { firstRowAt, MAX_SPACER_PX, scrollToReveal, scrollTopFor, spacerHeight } from './scroll-math';

describe('scroll-math', () => {
  const small = { totalRows: 1000, rowHeight: 24, viewport: 480 };
  const huge = { totalRows: 10_000_000, rowHeight: 24, viewport: 480 };

  it('firstRowAt(scrollTop) is scrollTop / rowHeight while the spacer is not capped', () => {
    expect(spacerHeight(small)).toBe(24_000);
    expect(firstRowAt(2400, small)).toBe(100);
    expect(scrollTopFor(100, small)).toBe(2400);
  });

  it('a capped spacer maps the end of the scrollbar to the last screen of 10M rows', () => {
    expect(spacerHeight(huge)).toBe(MAX_SPACER_PX);
    const end = MAX_SPACER_PX - huge.viewport;
    expect(firstRowAt(end, huge)).toBe(10_000_000 - 20);
    expect(firstRowAt(end / 2, huge)).toBeCloseTo((10_000_000 - 20) / 2, 6);
    for (const row of [0, 1, 123_456, 9_999_980]) expect(firstRowAt(scrollTopFor(row, huge), huge)).toBeCloseTo(row, 6);
  });

  it('scrollToReveal(row) moves only when the row is off screen', () => {
    expect(scrollToReveal(5, 0, small)).toBe(0);
    expect(scrollToReveal(20, 0, small)).toBe(24);
    expect(scrollToReveal(3, 2400, small)).toBe(72);
    expect(firstRowAt(scrollToReveal(9_999_999, 0, huge), huge)).toBeCloseTo(9_999_980, 6);
  });
});
