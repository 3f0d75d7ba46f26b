import { useState } from 'react';
import { useServices, useWorkbench } from '../../stores/context';
import { openSeries } from './open-series';

/** Picks a data file of the workspace to annotate. */
export function OpenSeriesDialog({ onClose }: { onClose(): void }) {
  const { backend, workbench } = useServices();
  const files = useWorkbench((s) => s.files).filter((f) => f.kind === 'dataset');
  const [query, setQuery] = useState('');
  const [busy, setBusy] = useState(false);
  const shown = files.filter((f) => f.path.toLowerCase().includes(query.toLowerCase()));
  const pick = (path: string) => {
    setBusy(true);
    openSeries(backend, workbench, path).then(onClose, (e: Error) => {
      workbench.getState().notify('error', `Could not open ${path} for labelling: ${e.message}`);
      setBusy(false);
    });
  };
  return (
    <div className="annotate-open" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div role="dialog" aria-label="Open series to annotate" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
        <input
          autoFocus
          aria-label="Data file"
          placeholder="Data file with a time column…"
          value={query}
          disabled={busy}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && shown[0] && pick(shown[0].path)}
          style={{ width: '100%' }}
        />
        <ul aria-label="Data files">
          {shown.map((f) => (
            <li key={f.path}>
              <button type="button" disabled={busy} onClick={() => pick(f.path)}>{f.path}</button>
            </li>
          ))}
          {shown.length === 0 && <li className="muted">No data files match.</li>}
        </ul>
      </div>
    </div>
  );
}
