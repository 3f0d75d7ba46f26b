import { useEffect, useMemo } from 'react';
import { useStore } from 'zustand';
import { DataGrid } from '../../components/DataGrid';
import { formatCount } from '../../components/data-grid/format';
import { useServices } from '../../stores/context';
import { createDataSourceStore } from '../../stores/data-source';

/** A SQL cell's stored table in the virtual grid: windows fetched from DuckDB, sort and filters pushed down. */
export function TableOutput({ relation, rowCount, columnCount, isCurrent, label }: { relation: string; rowCount: number; columnCount: number; isCurrent: boolean; label: string }) {
  const { backend } = useServices();
  const store = useMemo(() => createDataSourceStore(backend, { kind: 'query', sql: `SELECT * FROM ${relation}` }), [backend, relation, rowCount, isCurrent]);
  const s = useStore(store);
  useEffect(() => {
    if (isCurrent) void store.getState().load();
  }, [store, isCurrent]);
  const summary = `${formatCount(rowCount)} ${rowCount === 1 ? 'row' : 'rows'} × ${columnCount} ${columnCount === 1 ? 'column' : 'columns'}`;
  if (!isCurrent) return <div className="nb-table-summary muted" data-testid="table-summary">{summary} · run the cell to browse</div>;
  const height = Math.min(360, 140 + Math.max(3, Math.min(rowCount, 9)) * 24);
  return (
    <div className="nb-table">
      <div className="nb-table-summary muted" data-testid="table-summary">{summary}{Object.keys(s.filters).length > 0 ? ` · ${formatCount(s.totalRows)} filtered` : ''}</div>
      {s.status === 'error' && <div className="error-box" role="alert">{s.error}</div>}
      {s.columns.length > 0 && (
        <div className="nb-grid" style={{ height }}>
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
        </div>
      )}
    </div>
  );
}
