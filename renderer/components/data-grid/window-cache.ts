import type { Table, Vector } from 'apache-arrow';

/** Asks the data source for `limit` rows from row `offset` (0-based). */
export type FetchWindow = (offset: number, limit: number) => Promise<Table>;

interface LoadedWindow {
  offset: number;
  length: number;
  columns: (Vector | null)[];
}

/** Marks a cell whose window has not arrived yet. */
export const LOADING: unique symbol = Symbol('loading');

/**
 * Rows of a virtual grid, fetched in windows of `windowRows` and kept in a small LRU. Only the
 * windows the viewport needs are requested, at most `concurrency` at a time; a window that is no
 * longer wanted when its turn comes is skipped, so a fast scroll through millions of rows asks
 * only for where it stops. `onLoad` fires when a window arrives or fails.
 */
export class WindowCache {
  private readonly windows = new Map<number, LoadedWindow>();
  private readonly inFlight = new Set<number>();
  private wanted: number[] = [];
  private disposed = false;
  /** The last fetch error, shown by the grid; cleared by a successful fetch. */
  error: string | null = null;

  constructor(
    private readonly fetchWindow: FetchWindow,
    private readonly columnNames: readonly string[],
    private readonly onLoad: () => void,
    readonly windowRows = 100,
    private readonly capacity = 24,
    private readonly concurrency = 2,
  ) {}

  /** Seeds the cache with a window the caller already has (e.g. the first page). */
  seed(offset: number, table: Table): void {
    if (offset % this.windowRows !== 0) return;
    this.store(offset / this.windowRows, table);
  }

  /** Declares the rows in view, [first, last] inclusive; fetches their missing windows. */
  want(first: number, last: number, totalRows: number): void {
    if (totalRows <= 0 || last < first) {
      this.wanted = [];
      return;
    }
    const from = Math.floor(Math.max(0, first) / this.windowRows);
    const to = Math.floor(Math.min(totalRows - 1, last) / this.windowRows);
    this.wanted = [];
    for (let w = from; w <= to; w++) {
      const loaded = this.windows.get(w);
      if (loaded) {
        this.windows.delete(w);
        this.windows.set(w, loaded);
      } else {
        this.wanted.push(w);
      }
    }
    this.pump(totalRows);
  }

  /** The cell value, `LOADING` when its window is not here, `undefined` past the data. */
  cell(row: number, column: number): unknown {
    const loaded = this.windows.get(Math.floor(row / this.windowRows));
    if (!loaded) return LOADING;
    const index = row - loaded.offset;
    if (index >= loaded.length) return undefined;
    return loaded.columns[column]?.get(index);
  }

  /** Whether the window holding `row` has arrived. */
  has(row: number): boolean {
    return this.windows.has(Math.floor(row / this.windowRows));
  }

  /** Indices of the windows held, least recently used first (for tests and diagnostics). */
  heldWindows(): number[] {
    return [...this.windows.keys()];
  }

  dispose(): void {
    this.disposed = true;
    this.wanted = [];
  }

  private pump(totalRows: number): void {
    while (this.inFlight.size < this.concurrency) {
      const next = this.wanted.find((w) => !this.inFlight.has(w) && !this.windows.has(w));
      if (next === undefined) return;
      this.inFlight.add(next);
      const offset = next * this.windowRows;
      const limit = Math.min(this.windowRows, totalRows - offset);
      this.fetchWindow(offset, limit).then(
        (table) => {
          if (this.disposed) return;
          this.error = null;
          this.store(next, table);
        },
        (error: unknown) => {
          if (!this.disposed) this.error = error instanceof Error ? error.message : String(error);
        },
      ).finally(() => {
        this.inFlight.delete(next);
        if (this.disposed) return;
        this.onLoad();
        if (this.error === null) this.pump(totalRows);
      });
    }
  }

  private store(index: number, table: Table): void {
    const columns = this.columnNames.map((_, i) => table.getChildAt(i));
    this.windows.delete(index);
    this.windows.set(index, { offset: index * this.windowRows, length: table.numRows, columns });
    while (this.windows.size > this.capacity) {
      const oldest = this.windows.keys().next().value;
      if (oldest === undefined) break;
      this.windows.delete(oldest);
    }
  }
}
