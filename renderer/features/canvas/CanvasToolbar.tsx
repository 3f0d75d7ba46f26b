import { nodeTitle } from './graph-model';
import type { PipelineState } from './pipeline-store';
import { usePipeline, usePipelineStore } from './store-context';

const SETTLED = new Set(['done', 'cached', 'failed', 'blocked', 'skipped', 'cancelled']);
const SAVE_TEXT: Record<PipelineState['save'], string> = { saved: 'Saved', dirty: 'Unsaved', saving: 'Saving…', conflict: 'Changed on disk', error: 'Not saved' };

/** Overall progress of a run: settled nodes plus the running node's own fraction, over all planned nodes. */
function useRunProgress(): { fraction: number; text: string } | null {
  const statuses = usePipeline((s) => s.statuses);
  const progress = usePipeline((s) => s.progress);
  const isRunning = usePipeline((s) => s.isRunning);
  const nodes = usePipeline((s) => s.doc.nodes);
  if (!isRunning) return null;
  const all = Object.values(statuses);
  const total = Math.max(1, all.length);
  const running = all.find((s) => s.state === 'running');
  const own = running ? progress[running.nodeId] : undefined;
  const part = own && own.total > 0 ? own.done / own.total : 0;
  const settled = all.filter((s) => SETTLED.has(s.state)).length;
  const node = running ? nodes.find((n) => n.id === running.nodeId) : undefined;
  const text = node ? `${nodeTitle(node)}${own ? ` · ${own.message ?? 'step'} ${own.done}/${own.total}` : ''}` : 'Starting…';
  return { fraction: Math.min(1, (settled + part) / total), text };
}

/** Title, run controls, undo/redo, save state and the run's progress bar. */
export function CanvasToolbar() {
  const store = usePipelineStore();
  const s = () => store.getState();
  const name = usePipeline((st) => st.doc.name);
  const selected = usePipeline((st) => st.selected);
  const isRunning = usePipeline((st) => st.isRunning);
  const canUndo = usePipeline((st) => st.history.undo.length > 0);
  const canRedo = usePipeline((st) => st.history.redo.length > 0);
  const save = usePipeline((st) => st.save);
  const saveMessage = usePipeline((st) => st.saveMessage);
  const errors = usePipeline((st) => st.issues.filter((i) => i.severity === 'error').length);
  const runError = usePipeline((st) => st.runError);
  const run = useRunProgress();
  return (
    <div className="pc-toolbar-wrap">
      <div className="pc-toolbar" role="toolbar" aria-label="Pipeline">
        <input className="pc-name" aria-label="Pipeline name" value={name} onChange={(e) => s().apply({ type: 'renamePipeline', name: e.target.value })} />
        <button type="button" className="pc-button primary" disabled={isRunning} onClick={() => void s().run({ mode: 'all' })} title="Run all nodes (Ctrl+Shift+Enter)">▶ Run all</button>
        <button type="button" className="pc-button" disabled={isRunning || !selected} onClick={() => selected && void s().run({ mode: 'upTo', nodeId: selected })} title="Run the selected node and what it needs (Ctrl+Enter)">Run to here</button>
        <button type="button" className="pc-button" disabled={isRunning || !selected} onClick={() => selected && void s().run({ mode: 'node', nodeId: selected })} title="Re-run only the selected node">Run node</button>
        <button type="button" className="pc-button danger" disabled={!isRunning} onClick={() => void s().cancel()} title="Cancel (Ctrl+.)">■ Cancel</button>
        <span className="pc-sep" />
        <button type="button" className="pc-button icon" disabled={!canUndo} onClick={() => s().undo()} aria-label="Undo" title="Undo (Ctrl+Z)">↶</button>
        <button type="button" className="pc-button icon" disabled={!canRedo} onClick={() => s().redo()} aria-label="Redo" title="Redo (Ctrl+Shift+Z)">↷</button>
        <span className="pc-spacer" />
        {errors > 0 && <span className="pc-issue-count" title="Problems to fix before running">{errors} {errors === 1 ? 'problem' : 'problems'}</span>}
        <span className={`pc-save save-${save}`} title={saveMessage ?? ''} data-testid="save-state">{SAVE_TEXT[save]}</span>
      </div>
      {run && (
        <div className="pc-progress" role="progressbar" aria-label="Run progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(run.fraction * 100)} data-testid="run-progress">
          <div className="pc-progress-bar" style={{ width: `${Math.max(2, run.fraction * 100)}%` }} />
          <span className="pc-progress-text">{run.text}</span>
        </div>
      )}
      {runError && !isRunning && <div className="pc-banner error" role="alert">{runError}</div>}
    </div>
  );
}
