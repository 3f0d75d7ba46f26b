import type { Table } from 'apache-arrow';
import { createStore } from 'zustand/vanilla';
import { decodeIpc } from '../../app/data/ipc';
import type { ColumnProfile } from '../../app/data/profile';
import type { ColumnFilter } from '../../app/data/window';
import type { DataColumn, WindowSource } from '../../app/protocol/methods/data';
import type { Backend } from '../bridge/connection';
import { filterFromText } from './data-filters';

/** Sort of a data source: one column or none. */
export interface SourceSort {
  column: string;
  direction: 'asc' | 'desc';
}

export interface DataSourceState {
  source: WindowSource;
  status: 'loading' | 'ready' | 'error';
  error: string | null;
  columns: DataColumn[];
  totalRows: number;
  sort: SourceSort | null;
  /** Filter box texts by column, as typed. */
  filters: Record<string, string>;
  /** Rows of the current sort and filters; a new function whenever they change. */
  fetchWindow: (offset: number, limit: number) => Promise<Table>;
  fetchProfile: (column: { name: string; type: string }) => Promise<ColumnProfile>;
  firstWindow: { offset: number; table: Table } | undefined;
  /** Milliseconds the last first page took, request to decoded Arrow. */
  firstPageMs: number | null;
  load(): Promise<void>;
  setSort(sort: SourceSort | null): void;
  setFilter(column: string, text: string): void;
}

/** Rows per first page; the grid asks for the same window size afterwards. */
export const PAGE_ROWS = 100;

/**
 * One backend result as a grid sees it: windows of Arrow rows of a table or SELECT, with sort and
 * filters pushed down to SQL and column profiles on demand. Shared by the dataset view, notebook
 * cells and node previews (each pairs it with `components/DataGrid`).
 */
export function createDataSourceStore(backend: Backend, source: WindowSource) {
  let generation = 0;
  return createStore<DataSourceState>()((set, get) => {
    const sqlFilters = (): ColumnFilter[] => {
      const { columns, filters } = get();
      return Object.entries(filters)
        .map(([column, text]) => filterFromText(column, columns.find((c) => c.name === column)?.type ?? 'VARCHAR', text))
        .filter((f): f is ColumnFilter => f !== null);
    };
    const makeFetch = () => {
      const sort = get().sort ? [get().sort!] : [];
      const filters = sqlFilters();
      return async (offset: number, limit: number) => {
        const result = await backend.call('data.query', { source, window: { offset, limit }, sort, filters, count: false });
        return decodeIpc(result.ipc);
      };
    };
    return {
      source,
      status: 'loading',
      error: null,
      columns: [],
      totalRows: 0,
      sort: null,
      filters: {},
      fetchWindow: () => Promise.reject(new Error('not loaded')),
      fetchProfile: (column) => backend.call('data.profile', { source, column: column.name, type: column.type }),
      firstWindow: undefined,
      firstPageMs: null,

      async load() {
        const ticket = ++generation;
        const started = performance.now();
        set({ status: get().columns.length === 0 ? 'loading' : get().status });
        try {
          const sort = get().sort ? [get().sort!] : [];
          const result = await backend.call('data.query', { source, window: { offset: 0, limit: PAGE_ROWS }, sort, filters: sqlFilters(), count: true });
          if (ticket !== generation) return;
          const table = decodeIpc(result.ipc);
          set({
            status: 'ready',
            error: null,
            columns: result.columns,
            totalRows: result.totalRows ?? table.numRows,
            firstWindow: { offset: 0, table },
            fetchWindow: makeFetch(),
            firstPageMs: performance.now() - started,
          });
        } catch (error) {
          if (ticket === generation) set({ status: 'error', error: (error as Error).message });
        }
      },

      setSort(sort) {
        set({ sort });
        void get().load();
      },

      setFilter(column, text) {
        const filters = { ...get().filters };
        if (text.trim() === '') delete filters[column];
        else filters[column] = text;
        set({ filters });
        void get().load();
      },
    };
  });
}

export type DataSourceStore = ReturnType<typeof createDataSourceStore>;
