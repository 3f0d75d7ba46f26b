import { createStore } from 'zustand/vanilla';
import type { RunFieldSchema, RunFilterClause, RunRow, RunSortKey, RunsLayout } from '../../../app/protocol/methods/runs';
import type { Backend } from '../../bridge/connection';

export type Field = RunFieldSchema;
export type Cell = string | number | boolean | null;

/** Stable key of a column (agg excluded: a metric column keeps its place when its summary changes). */
export function fieldId(field: Field): string {
  return `${field.kind}:${field.key}`;
}

export function fieldLabel(field: Field): string {
  return field.kind === 'metric' ? `${field.key} (${field.agg ?? 'last'})` : field.key;
}

/**
 * Reads a column filter as typed in the header: `> 0.8`, `<= 3`, `!= gbdt`, `= 6`, or plain text
 * (contains, case-insensitive). Numbers compare as numbers. Empty text means no filter.
 */
export function parseColumnFilter(field: Field, text: string): RunFilterClause | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  const m = /^(>=|<=|!=|>|<|=)\s*(.+)$/.exec(trimmed);
  if (m) {
    const raw = m[2]!.trim();
    const n = Number(raw);
    const value = raw !== '' && Number.isFinite(n) ? n : raw;
    return { field, op: m[1] as RunFilterClause['op'], value };
  }
  if (field.kind === 'metric') {
    const n = Number(trimmed);
    return Number.isFinite(n) ? { field, op: '=', value: n } : null;
  }
  return { field, op: 'ILIKE', value: `%${trimmed.replaceAll('%', '')}%` };
}

export interface ColumnKeys {
  params: string[];
  metrics: string[];
  tags: string[];
  count: number;
}

export interface RunsTableState {
  columns: Field[];
  sort: RunSortKey[];
  filters: Record<string, string>;
  search: string;
  groupBy: Field | null;
  rows: RunRow[];
  groups: { value: Cell; count: number }[];
  total: number;
  limit: number;
  loading: boolean;
  error: string | null;
  selected: string[];
  keys: ColumnKeys;
  layouts: RunsLayout[];
  load(): Promise<void>;
  loadKeys(): Promise<void>;
  setColumns(columns: Field[]): void;
  toggleSort(field: Field): void;
  setFilter(field: Field, text: string): void;
  setSearch(text: string): void;
  setGroupBy(field: Field | null): void;
  setAgg(field: Field, agg: 'last' | 'min' | 'max'): void;
  toggleSelected(id: string): void;
  setSelected(ids: string[]): void;
  showMore(): void;
  applyLayout(layout: RunsLayout): void;
  saveLayout(name: string): Promise<void>;
  deleteLayout(name: string): Promise<void>;
}

const PAGE = 500;

function defaultColumns(keys: ColumnKeys): Field[] {
  return [
    ...keys.metrics.slice(0, 8).map((key): Field => ({ kind: 'metric', key, agg: 'last' })),
    ...keys.params.slice(0, 6).map((key): Field => ({ kind: 'param', key })),
  ];
}

/** The runs table: columns, sort, filters, grouping and selection; the server does the querying. */
export function createRunsTableStore(backend: Backend) {
  let request = 0;
  let hasColumns = false;
  return createStore<RunsTableState>()((set, get) => ({
    columns: [], sort: [], filters: {}, search: '', groupBy: null, rows: [], groups: [], total: 0, limit: PAGE,
    loading: false, error: null, selected: [], keys: { params: [], metrics: [], tags: [], count: 0 }, layouts: [],

    async load() {
      const mine = ++request;
      const s = get();
      const filter = s.columns.flatMap((f) => {
        const clause = parseColumnFilter(f, s.filters[fieldId(f)] ?? '');
        return clause ? [clause] : [];
      });
      set({ loading: true });
      try {
        const result = await backend.call('runs.list', { columns: s.columns, sort: s.sort, filter, search: s.search, groupBy: s.groupBy, offset: 0, limit: s.limit });
        if (mine !== request) return;
        const live = new Set(result.rows.map((r) => r.id));
        set({ rows: result.rows, groups: result.groups, total: result.total, loading: false, error: null, selected: get().selected.filter((id) => live.has(id)) });
      } catch (error) {
        if (mine === request) set({ loading: false, error: (error as Error).message });
      }
    },

    async loadKeys() {
      const [keys, { layouts }] = await Promise.all([backend.call('runs.columns', {}), backend.call('runs.layouts', {})]);
      set({ keys, layouts });
      if (!hasColumns) {
        hasColumns = true;
        set({ columns: defaultColumns(keys) });
        await get().load();
      }
    },

    setColumns(columns) {
      hasColumns = true;
      set({ columns });
      void get().load();
    },
    toggleSort(field) {
      const current = get().sort[0];
      const same = current && fieldId(current.field) === fieldId(field);
      const sort: RunSortKey[] = !same ? [{ field, descending: true }] : current.descending ? [{ field, descending: false }] : [];
      set({ sort });
      void get().load();
    },
    setFilter(field, text) {
      set({ filters: { ...get().filters, [fieldId(field)]: text } });
      void get().load();
    },
    setSearch(search) {
      set({ search });
      void get().load();
    },
    setGroupBy(groupBy) {
      set({ groupBy });
      void get().load();
    },
    setAgg(field, agg) {
      const swap = (f: Field): Field => (f.kind === 'metric' && fieldId(f) === fieldId(field) ? { ...f, agg } : f);
      set({ columns: get().columns.map(swap), sort: get().sort.map((k) => ({ ...k, field: swap(k.field) })) });
      void get().load();
    },
    toggleSelected(id) {
      const selected = get().selected;
      set({ selected: selected.includes(id) ? selected.filter((s) => s !== id) : [...selected, id] });
    },
    setSelected(selected) {
      set({ selected });
    },
    showMore() {
      set({ limit: get().limit + PAGE });
      void get().load();
    },
    applyLayout(layout) {
      hasColumns = true;
      set({ columns: layout.columns, sort: layout.sort, groupBy: layout.groupBy });
      void get().load();
    },
    async saveLayout(name) {
      const s = get();
      const { layouts } = await backend.call('runs.saveLayout', { name, columns: s.columns, sort: s.sort, groupBy: s.groupBy });
      set({ layouts });
    },
    async deleteLayout(name) {
      const { layouts } = await backend.call('runs.deleteLayout', { name });
      set({ layouts });
    },
  }));
}

export type RunsTableStore = ReturnType<typeof createRunsTableStore>;
