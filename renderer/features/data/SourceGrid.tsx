import { useEffect, useMemo } from 'react';
import { useStore } from 'zustand';
import type { WindowSource } from '../../../app/protocol/methods/data';
import { DataGrid } from '../../components/DataGrid';
import { formatCount } from '../../components/data-grid/format';
import { useServices } from '../../stores/context';
import { createDataSourceStore } from '../../stores/data-source';

/**
 * The grid of one table or SELECT, bound to the backend: row count, sort and filters pushed down
 * to SQL, windows as Arrow. Reloads when the catalog says its table changed.
 */
export function SourceGrid({ source, label }: { source: WindowSource; label: string }) {
  const { backend } = useServices();
  const key = source.kind === 'table' ? `t:${source.name}` : `q:${source.sql}`;
  // One store per source text: a parent re-rendering with an equal source object keeps the rows.
  const store = useMemo(() => createDataSourceStore(backend, source), [backend, key]);
  const s = useStore(store);
  useEffect(() => {
    void store.getState().load();
    const current = store.getState().source;
    if (current.kind !== 'table') return undefined;
    const name = current.name.toLowerCase();
    return backend.on('data.catalogChanged', ({ names }) => {
      if (names.some((n) => n.toLowerCase() === name)) void store.getState().load();
    });
  }, [store, backend]);

  const filtered = Object.keys(s.filters).length > 0;
  return (
    <div className="source-grid">
      <div className="source-status" role="status">
        {s.status === 'loading' && <span className="muted">Loading…</span>}
        {s.status !== 'loading' && (
          <span data-testid="row-count">{formatCount(s.totalRows)} {s.totalRows === 1 ? 'row' : 'rows'}{filtered ? ' (filtered)' : ''}</span>
        )}
        {s.sort && <span className="muted">sorted by {s.sort.column} {s.sort.direction === 'asc' ? '▲' : '▼'}</span>}
        {s.firstPageMs !== null && <span className="muted small">first page {Math.round(s.firstPageMs)} ms</span>}
      </div>
      {s.status === 'error' && <div className="error-box" role="alert">{s.error}</div>}
      {s.columns.length > 0 && (
        <DataGrid
          label={label}
          columns={s.columns}
          totalRows={s.totalRows}
          fetchWindow={s.fetchWindow}
          {...(s.firstWindow ? { initialWindow: s.firstWindow } : {})}
          sort={s.sort}
          onSortChange={(sort) => s.setSort(sort)}
          filters={s.filters}
          onFilterChange={(column, text) => s.setFilter(column, text)}
          fetchProfile={s.fetchProfile}
        />
      )}
    </div>
  );
}
