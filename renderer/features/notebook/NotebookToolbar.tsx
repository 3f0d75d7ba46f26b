import { useStore } from 'zustand';
import { staleCells } from '../../../app/notebook/scheduler';
import type { NotebookStore } from './notebook-store';
import { ReportButton } from './report-button';

const saveLabels = { saved: 'Saved', dirty: 'Unsaved', saving: 'Saving…', conflict: 'Changed on disk', error: 'Not saved' } as const;

/** Title, run controls, save state, and the banners for conflicts and outside changes. */
export function NotebookToolbar({ store, title }: { store: NotebookStore; title: string }) {
  const isRunning = useStore(store, (s) => s.isRunning);
  const save = useStore(store, (s) => s.save);
  const saveMessage = useStore(store, (s) => s.saveMessage);
  const isDiskChanged = useStore(store, (s) => s.isDiskChanged);
  const stale = useStore(store, (s) => {
    const last: Record<string, string | undefined> = {};
    for (const [id, run] of Object.entries(s.runs)) last[id] = run.key;
    return staleCells(s.graph, s.keys, last).length;
  });
  const s = store.getState();
  return (
    <div className="nb-toolbar-wrap">
      <div className="nb-toolbar" role="toolbar" aria-label="Notebook">
        <h1 className="nb-title">{title}</h1>
        <span className="nb-spacer" />
        {stale > 0 && !isRunning && (
          <button type="button" className="nb-button" onClick={() => void s.run(staleIds(store), 'stale')}>Run {stale} stale</button>
        )}
        <button type="button" className="nb-button primary" disabled={isRunning} onClick={() => void s.run([], 'all')} title="Run all cells (Ctrl+Shift+Enter)">▶ Run all</button>
        <button type="button" className="nb-button" disabled={!isRunning} onClick={() => s.interrupt()} title="Interrupt (Ctrl+.)">◼ Interrupt</button>
        <ReportButton store={store} />
        <span className={`nb-save save-${save}`} data-testid="save-state" title={saveMessage ?? undefined}>{saveLabels[save]}</span>
      </div>
      {(save === 'conflict' || isDiskChanged) && (
        <div className="nb-banner" role="alert">
          <span>This notebook was changed on disk by another program while you had unsaved edits.</span>
          <button type="button" className="nb-button" onClick={() => void s.reloadFromDisk()}>Reload from disk</button>
          <button type="button" className="nb-button" onClick={() => void s.saveNow(true)}>Keep my version</button>
        </div>
      )}
      {save === 'error' && saveMessage && <div className="nb-banner error" role="alert">{saveMessage}</div>}
    </div>
  );
}

function staleIds(store: NotebookStore) {
  const s = store.getState();
  const last: Record<string, string | undefined> = {};
  for (const [id, run] of Object.entries(s.runs)) last[id] = run.key;
  return staleCells(s.graph, s.keys, last);
}
