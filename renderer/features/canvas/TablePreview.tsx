import type { Table } from 'apache-arrow';
import { useMemo } from 'react';
import { decodeIpc } from '../../../app/data/ipc';
import { DataGrid } from '../../components/DataGrid';
import { formatCount } from '../../components/data-grid/format';

/** A node's table output: row and column counts, and its first rows in the virtual grid. */
export function TablePreview({ label, rows, columns, ipc }: { label: string; rows: number; columns: { name: string; type: string }[]; ipc: Uint8Array }) {
  const table = useMemo((): Table | null => {
    try {
      return decodeIpc(ipc);
    } catch {
      return null;
    }
  }, [ipc]);
  const fetchWindow = useMemo(() => async (offset: number, limit: number) => table!.slice(offset, offset + limit), [table]);
  const shown = table?.numRows ?? 0;
  return (
    <div className="pc-table">
      <div className="pc-table-summary" data-testid="output-summary">
        <strong>{formatCount(rows)}</strong> {rows === 1 ? 'row' : 'rows'} × <strong>{columns.length}</strong> {columns.length === 1 ? 'column' : 'columns'}
        {shown < rows && <span className="muted"> · first {formatCount(shown)} shown</span>}
      </div>
      {table ? (
        <div className="pc-grid">
          <DataGrid label={label} columns={columns} totalRows={shown} fetchWindow={fetchWindow} initialWindow={{ offset: 0, table }} />
        </div>
      ) : <div className="error-box">Could not read the preview rows.</div>}
    </div>
  );
}
