/** A cell position of the grid cursor: row in the (sorted, filtered) result, column index. */
export interface CellCursor {
  row: number;
  col: number;
}

/** What a key move needs to know about the grid. `page` is the number of rows one screen shows. */
export interface CursorBounds {
  rows: number;
  cols: number;
  page: number;
}

/**
 * The cursor after a navigation key, or null when the key does not move it. Arrows move one cell,
 * PageUp/PageDown one screen, Home/End to the first/last column, Ctrl/Cmd+Home/End to the first/
 * last row. A grid without a cursor starts at `from`.
 */
export function moveCursor(cursor: CellCursor | null, key: string, withMod: boolean, bounds: CursorBounds, from: CellCursor): CellCursor | null {
  if (bounds.rows <= 0 || bounds.cols <= 0) return null;
  const at = cursor ?? from;
  const page = Math.max(1, Math.floor(bounds.page));
  let { row, col } = at;
  switch (key) {
    case 'ArrowDown': row += 1; break;
    case 'ArrowUp': row -= 1; break;
    case 'ArrowRight': col += 1; break;
    case 'ArrowLeft': col -= 1; break;
    case 'PageDown': row += page; break;
    case 'PageUp': row -= page; break;
    case 'Home': if (withMod) row = 0; else col = 0; break;
    case 'End': if (withMod) row = bounds.rows - 1; else col = bounds.cols - 1; break;
    default: return null;
  }
  // The first arrow or page key only shows the cursor where the user is looking.
  if (cursor === null && key !== 'Home' && key !== 'End') ({ row, col } = from);
  return { row: Math.min(Math.max(0, row), bounds.rows - 1), col: Math.min(Math.max(0, col), bounds.cols - 1) };
}
