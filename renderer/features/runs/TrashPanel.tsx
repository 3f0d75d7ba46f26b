import { useCallback, useEffect, useState } from 'react';
import { useServices } from '../../stores/context';
import { ConfirmDialog } from './ConfirmDialog';

interface Trashed { id: string; name: string; experiment: string; startTime: number }

/** Runs in the trash: restore them, or delete them for good (asks first). */
export function TrashPanel({ onChanged }: { onChanged(): void }) {
  const { backend, workbench } = useServices();
  const [runs, setRuns] = useState<Trashed[] | null>(null);
  const [purging, setPurging] = useState<Trashed | null>(null);
  const load = useCallback(() => void backend.call('runs.trash', {}).then(({ runs: r }) => setRuns(r)), [backend]);
  useEffect(load, [load]);
  const run = async (method: 'runs.restore' | 'runs.purge', item: Trashed) => {
    try {
      await backend.call(method, { ids: [item.id] });
      workbench.getState().notify('success', `${method === 'runs.restore' ? 'Restored' : 'Deleted for good'}: ${item.name}`);
    } catch (error) {
      workbench.getState().notify('error', (error as Error).message);
    }
    load();
    onChanged();
  };
  if (!runs) return <div className="muted pad">Loading…</div>;
  if (runs.length === 0) return <p className="muted pad">The trash is empty.</p>;
  return (
    <>
      <table className="grid trash" aria-label="Trash">
        <thead><tr><th>run</th><th>experiment</th><th>started</th><th /></tr></thead>
        <tbody>{runs.map((r) => (
          <tr key={r.id}>
            <td>{r.name} <span className="muted mono small">{r.id}</span></td>
            <td>{r.experiment}</td>
            <td>{new Date(r.startTime).toLocaleString()}</td>
            <td><button type="button" onClick={() => void run('runs.restore', r)}>Restore</button> <button type="button" className="danger" onClick={() => setPurging(r)}>Delete permanently</button></td>
          </tr>
        ))}</tbody>
      </table>
      {purging && (
        <ConfirmDialog title="Delete permanently" danger confirm="Delete forever" onCancel={() => setPurging(null)} onConfirm={() => (setPurging(null), void run('runs.purge', purging))}>
          <p>Remove <b>{purging.name}</b> and all its files from disk? This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
