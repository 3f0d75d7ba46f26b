import type { Table } from 'apache-arrow';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { ColumnHeader } from './data-grid/ColumnHeader';
import { cellKind, columnWidth, formatCell, formatCount, type CellKind } from './data-grid/format';
import { moveCursor, type CellCursor } from './data-grid/grid-keys';
import { firstRowAt, scrollToReveal, spacerHeight, visibleRows, type RowGeometry } from './data-grid/scroll-math';
import { useProfiles, type FetchProfile, type GridColumn } from './data-grid/use-profiles';
import { LOADING, WindowCache, type FetchWindow } from './data-grid/window-cache';
import './data-grid/data-grid.css';

export type { GridColumn } from './data-grid/use-profiles';

/** The grid's sort: one column, ascending or descending. */
export interface GridSort {
  column: string;
  direction: 'asc' | 'desc';
}

export interface DataGridProps {
  columns: readonly GridColumn[];
  /** Rows of the (sorted, filtered) result; the grid asks `fetchWindow` only for rows below this. */
  totalRows: number;
  /** Rows `[offset, offset + limit)`. A new function means new rows: the grid drops its windows. */
  fetchWindow: FetchWindow;
  /** A window the caller already has (the first page), shown without a fetch. */
  initialWindow?: { offset: number; table: Table };
  sort?: GridSort | null;
  /** Called with the next sort of a header click: none → ascending → descending → none. */
  onSortChange?: (sort: GridSort | null) => void;
  filters?: Readonly<Record<string, string>>;
  /** Called after typing pauses in a column's filter box. */
  onFilterChange?: (column: string, text: string) => void;
  /** Profile of one column for its header; asked only for columns in view. */
  fetchProfile?: FetchProfile;
  rowHeight?: number;
  windowRows?: number;
  label?: string;
}

const HEADER_PX = 124;
const ROWNUM_MIN_PX = 56;
const OVERSCAN_ROWS = 8;

interface Layout {
  kinds: CellKind[];
  widths: number[];
  lefts: number[];
  rownum: number;
  total: number;
}

function layoutOf(columns: readonly GridColumn[], totalRows: number): Layout {
  const kinds = columns.map((c) => cellKind(c.type));
  const widths = columns.map((c, i) => columnWidth(c.name, kinds[i]!));
  const rownum = Math.max(ROWNUM_MIN_PX, 18 + formatCount(totalRows).length * 8);
  const lefts: number[] = [];
  let x = rownum;
  for (const w of widths) {
    lefts.push(x);
    x += w;
  }
  return { kinds, widths, lefts, rownum, total: x };
}

function nextSort(current: GridSort | null | undefined, column: string): GridSort | null {
  if (current?.column !== column) return { column, direction: 'asc' };
  return current.direction === 'asc' ? { column, direction: 'desc' } : null;
}

function Cell({ value, kind, left, width, isCursor, onPick }: { value: unknown; kind: CellKind; left: number; width: number; isCursor: boolean; onPick: () => void }) {
  const align = kind === 'number' ? ' num' : '';
  const cursor = isCursor ? ' cursor' : '';
  const style = { left, width };
  if (value === LOADING) return <div role="gridcell" className={`grid-cell loading${cursor}`} style={style} onMouseDown={onPick} />;
  if (value === null || value === undefined) return <div role="gridcell" className={`grid-cell null${align}${cursor}`} style={style} onMouseDown={onPick}>null</div>;
  const text = formatCell(value, kind);
  const full = typeof value === 'number' && kind === 'number' ? String(value) : text;
  return <div role="gridcell" aria-selected={isCursor} className={`grid-cell${align}${cursor}`} style={style} title={full.length > 12 ? full : undefined} onMouseDown={onPick}>{text}</div>;
}

/**
 * A virtual grid over any number of rows: fixed-height rows, fetched in windows as the user
 * scrolls (a small LRU keeps recent ones), a spacer capped below the browser's height limit with
 * proportional scrolling beyond it. Header click sorts, a filter box per column and a lazily
 * fetched profile per column; sort and filters are passed up to be pushed down to SQL.
 * Presentational: it knows nothing of the backend.
 */
export function DataGrid(props: DataGridProps) {
  const columnsKey = props.columns.map((c) => `${c.name}\u0000${c.type}`).join('\u0001');
  // A re-fetched result with the same columns keeps its profiles and column layout.
  const columns = useMemo(() => props.columns, [columnsKey]);
  const { totalRows, fetchWindow, initialWindow, rowHeight = 24, windowRows = 100 } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const [scroll, setScroll] = useState({ top: 0, left: 0 });
  const [size, setSize] = useState({ width: 800, height: 400 });
  const [cursor, setCursor] = useState<CellCursor | null>(null);
  const [, setTick] = useState(0);
  const layout = useMemo(() => layoutOf(columns, totalRows), [columns, totalRows]);
  const names = useMemo(() => columns.map((c) => c.name), [columns]);

  const cache = useMemo(() => {
    const created = new WindowCache(fetchWindow, names, () => setTick((t) => t + 1), windowRows);
    if (initialWindow) created.seed(initialWindow.offset, initialWindow.table);
    return created;
  }, [fetchWindow, names, windowRows, initialWindow]);
  useEffect(() => () => cache.dispose(), [cache]);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return undefined;
    const measure = () => setSize({ width: element.clientWidth || 800, height: element.clientHeight || 400 });
    measure();
    if (typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const frame = useRef(0);
  const onScroll = useCallback(() => {
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => {
      const element = scroller.current;
      if (element) setScroll({ top: element.scrollTop, left: element.scrollLeft });
    });
  }, []);
  useEffect(() => () => cancelAnimationFrame(frame.current), []);

  const geometry: RowGeometry = { totalRows, rowHeight, viewport: Math.max(rowHeight, size.height - HEADER_PX) };
  const first = firstRowAt(scroll.top, geometry);
  const firstRow = Math.floor(first);
  const lastRow = Math.min(totalRows - 1, Math.ceil(first + visibleRows(geometry)));
  useEffect(() => {
    cache.want(firstRow - OVERSCAN_ROWS, lastRow + OVERSCAN_ROWS, totalRows);
  }, [cache, firstRow, lastRow, totalRows]);

  const colFrom = layout.lefts.findIndex((x, i) => x + layout.widths[i]! > scroll.left);
  const colTo = layout.lefts.filter((x) => x < scroll.left + size.width).length - 1;
  const visibleCols = useMemo(() => {
    const out: number[] = [];
    for (let i = Math.max(0, colFrom); i <= colTo; i++) out.push(i);
    return out;
  }, [colFrom, colTo]);
  const profiles = useProfiles(columns, visibleCols, props.fetchProfile);

  const reveal = (next: CellCursor) => {
    const element = scroller.current;
    if (!element) return;
    element.scrollTop = scrollToReveal(next.row, element.scrollTop, geometry);
    const left = layout.lefts[next.col] ?? 0;
    const right = left + (layout.widths[next.col] ?? 0);
    if (left - layout.rownum < element.scrollLeft) element.scrollLeft = left - layout.rownum;
    else if (right > element.scrollLeft + element.clientWidth) element.scrollLeft = right - element.clientWidth;
    setScroll({ top: element.scrollTop, left: element.scrollLeft });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const bounds = { rows: totalRows, cols: columns.length, page: visibleRows(geometry) };
    const next = moveCursor(cursor, event.key, event.ctrlKey || event.metaKey, bounds, { row: Math.ceil(first), col: Math.max(0, colFrom) });
    if (!next) return;
    event.preventDefault();
    setCursor(next);
    reveal(next);
  };

  const rows: number[] = [];
  for (let r = Math.max(0, firstRow); r <= lastRow; r++) rows.push(r);

  return (
    <div
      ref={scroller}
      className="data-grid"
      role="grid"
      aria-label={props.label ?? 'Result rows'}
      aria-rowcount={totalRows + 1}
      aria-colcount={columns.length + 1}
      tabIndex={0}
      onScroll={onScroll}
      onKeyDown={onKeyDown}
    >
      <div className="grid-inner" style={{ width: layout.total }}>
        <div className="grid-header" role="row" aria-rowindex={1} style={{ height: HEADER_PX, width: layout.total }}>
          <div className="grid-corner" role="columnheader" style={{ width: layout.rownum }}>#</div>
          {visibleCols.map((i) => {
            const c = columns[i]!;
            return (
              <div key={`${i}:${c.name}`} className="grid-header-slot" style={{ left: layout.lefts[i], width: layout.widths[i] }}>
                <ColumnHeader
                  name={c.name}
                  type={c.type}
                  index={i}
                  sort={props.sort?.column === c.name ? props.sort.direction : null}
                  {...(props.onSortChange ? { onSort: () => props.onSortChange?.(nextSort(props.sort, c.name)) } : {})}
                  filter={props.filters?.[c.name] ?? ''}
                  {...(props.onFilterChange ? { onFilter: (text: string) => props.onFilterChange?.(c.name, text) } : {})}
                  profile={profiles.get(c.name)}
                />
              </div>
            );
          })}
        </div>
        <div className="grid-spacer" style={{ height: spacerHeight(geometry) }}>
          <div className="grid-viewport" style={{ top: HEADER_PX, height: Math.min(geometry.viewport, spacerHeight(geometry)) }}>
            {rows.map((r) => (
              <div key={r} role="row" aria-rowindex={r + 2} className={`grid-row${r % 2 ? ' odd' : ''}`} style={{ transform: `translateY(${(r - first) * rowHeight}px)`, height: rowHeight, width: layout.total }}>
                <div role="rowheader" className="grid-rownum" style={{ width: layout.rownum }}>{formatCount(r + 1)}</div>
                {visibleCols.map((c) => (
                  <Cell key={c} value={cache.cell(r, c)} kind={layout.kinds[c]!} left={layout.lefts[c]!} width={layout.widths[c]!} isCursor={cursor?.row === r && cursor.col === c} onPick={() => setCursor({ row: r, col: c })} />
                ))}
              </div>
            ))}
          </div>
        </div>
      </div>
      {totalRows === 0 && <div className="grid-empty muted">No rows</div>}
      {cache.error && <div className="grid-error" role="alert">{cache.error}</div>}
    </div>
  );
}
