/**
 * Browsers cap an element's height (Chromium near 33.5M px, Firefox near 17.9M px). Past this,
 * the scroll spacer stops growing and a scroll position maps to a row by proportion instead.
 */
export const MAX_SPACER_PX = 8_000_000;

/** Fixed-height row geometry of a virtual list; `viewport` is the height that shows rows, in px. */
export interface RowGeometry {
  totalRows: number;
  rowHeight: number;
  viewport: number;
}

/** Height of the spacer that gives the scrollbar its range: the rows' height, capped. */
export function spacerHeight(g: RowGeometry): number {
  return Math.min(g.totalRows * g.rowHeight, MAX_SPACER_PX);
}

/** How many rows fit in the viewport (fractional). */
export function visibleRows(g: RowGeometry): number {
  return g.rowHeight > 0 ? g.viewport / g.rowHeight : 0;
}

/** The largest first row (fractional) that still fills the viewport. */
function maxFirstRow(g: RowGeometry): number {
  return Math.max(0, g.totalRows - visibleRows(g));
}

/** The largest scrollTop of the spacer. */
function maxScroll(g: RowGeometry): number {
  return Math.max(0, spacerHeight(g) - g.viewport);
}

/**
 * The (fractional) row at the top of the viewport for `scrollTop`. Exact (scrollTop / rowHeight)
 * while the spacer is not capped; proportional when it is, so the end of the scrollbar is the
 * last row whatever the row count.
 */
export function firstRowAt(scrollTop: number, g: RowGeometry): number {
  const range = maxScroll(g);
  if (range <= 0) return 0;
  const top = Math.min(Math.max(0, scrollTop), range);
  if (g.totalRows * g.rowHeight <= MAX_SPACER_PX) return top / g.rowHeight;
  return (top / range) * maxFirstRow(g);
}

/** The scrollTop that puts `row` (fractional) at the top of the viewport; inverse of `firstRowAt`. */
export function scrollTopFor(row: number, g: RowGeometry): number {
  const range = maxScroll(g);
  const first = Math.min(Math.max(0, row), maxFirstRow(g));
  if (g.totalRows * g.rowHeight <= MAX_SPACER_PX) return Math.min(first * g.rowHeight, range);
  const maxFirst = maxFirstRow(g);
  return maxFirst <= 0 ? 0 : (first / maxFirst) * range;
}

/** The scrollTop that makes `row` fully visible while moving as little as possible from `current`. */
export function scrollToReveal(row: number, current: number, g: RowGeometry): number {
  const first = firstRowAt(current, g);
  if (row < first) return scrollTopFor(row, g);
  if (row + 1 > first + visibleRows(g)) return scrollTopFor(row + 1 - visibleRows(g), g);
  return current;
}
