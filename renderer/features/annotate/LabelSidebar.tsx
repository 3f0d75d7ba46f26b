import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { AnnotateStore, SeriesLabel } from './annotate-store';
import { spanOf } from './annotate-store';
import { SuggestPanel } from './SuggestPanel';

function formatX(x: number, isTime: boolean): string {
  return isTime ? new Date(x).toISOString().replace('T', ' ').slice(0, 19) : String(Number(x.toPrecision(8)));
}

/** The selected label or suggestion: class, extent, note, and its actions. */
function SelectionPanel({ store }: { store: AnnotateStore }) {
  const s = useStore(store);
  const label = s.selection ? s.labels.labels[s.selection] : undefined;
  const suggestion = s.selection ? s.labels.suggestions[s.selection] : undefined;
  const [note, setNote] = useState('');
  useEffect(() => setNote(label?.note ?? ''), [label?.id, label?.note]);
  const isTime = s.extent?.timeKind === 'timestamp';
  if (suggestion) {
    const { start, end } = spanOf(suggestion.proposal);
    return (
      <section className="annotate-panel" aria-label="Selected suggestion">
        <h3>Suggestion</h3>
        <div className="muted small">{suggestion.source.name} · score {suggestion.score.toFixed(2)}</div>
        <div className="small">{formatX(start, isTime)} → {formatX(end, isTime)}</div>
        <div className="annotate-actions">
          <button type="button" onClick={() => s.edit({ op: 'acceptSuggestion', id: suggestion.id }) && s.select(suggestion.proposal.id)}>Accept (Enter)</button>
          <button type="button" onClick={() => s.edit({ op: 'rejectSuggestion', id: suggestion.id }) && s.select(null)}>Reject (Backspace)</button>
        </div>
      </section>
    );
  }
  if (!label || (label.kind !== 'range' && label.kind !== 'point')) return <section className="annotate-panel muted small">Drag on the series to label a range; click for a point.</section>;
  const update = (next: SeriesLabel) => s.edit({ op: 'update', label: next });
  const { start, end } = spanOf(label);
  return (
    <section className="annotate-panel" aria-label="Selected label">
      <h3>{label.kind === 'range' ? 'Range' : 'Point'}</h3>
      <div className="small">{formatX(start, isTime)}{label.kind === 'range' ? ` → ${formatX(end, isTime)}` : ''}</div>
      <label className="small">
        Class{' '}
        <select aria-label="Class of the selected label" value={label.label} onChange={(e) => update({ ...label, label: e.target.value })}>
          {s.meta!.classes.map((c) => <option key={c.name} value={c.name}>{c.name}</option>)}
        </select>
      </label>
      <textarea
        aria-label="Note"
        placeholder="Note…"
        value={note}
        onChange={(e) => setNote(e.target.value)}
        onBlur={() => note !== (label.note ?? '') && update(note ? { ...label, note } : { ...label, note: undefined })}
      />
      <div className="annotate-actions">
        <button type="button" onClick={() => s.edit({ op: 'delete', id: label.id }) && s.select(null)}>Delete (Backspace)</button>
      </div>
    </section>
  );
}

/** The label set's side panel: save state, review progress, classes with keys, selection, actions. */
export function LabelSidebar({ store, onSaveVersion }: { store: AnnotateStore; onSaveVersion(): void }) {
  const s = useStore(store);
  const meta = s.meta!;
  const labels = Object.values(s.labels.labels);
  const open = Object.keys(s.labels.suggestions).length;
  const resolved = s.progress.resolvedSuggestions + Math.max(0, s.progress.openSuggestions - open);
  const waiting = s.queue.pending === 0 ? 'every edit is saved' : `${s.queue.pending} edit${s.queue.pending === 1 ? '' : 's'} waiting`;
  const saveText = s.queue.offline ? `Connection lost — ${waiting}` : s.queue.pending > 0 ? `Saving ${s.queue.pending}…` : 'All edits saved';
  return (
    <aside className="annotate-sidebar" aria-label="Label set">
      <div className="annotate-title">{meta.name}</div>
      <div className="muted small" title={meta.series}>{meta.series}</div>
      <div className={`annotate-save${s.queue.offline ? ' offline' : ''}`} role="status" data-testid="save-state" data-acked-seq={s.ackedSeq} data-pending={s.queue.pending} data-labels={labels.length} data-suggestions={open}>{saveText}</div>
      <section className="annotate-panel" aria-label="Review progress">
        <div className="small">Reviewed {(s.progress.reviewedFraction * 100).toFixed(0)}% · suggestions {resolved} done / {open} open</div>
        <div className="annotate-progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(s.progress.reviewedFraction * 100)}>
          <div style={{ width: `${s.progress.reviewedFraction * 100}%` }} />
        </div>
      </section>
      <section className="annotate-panel" aria-label="Classes">
        <h3>Classes</h3>
        <ul className="annotate-classes">
          {meta.classes.map((c) => (
            <li key={c.name}>
              <button type="button" aria-pressed={s.activeClass === c.name} onClick={() => s.setActiveClass(c.name)}>
                <span className="swatch" style={{ background: c.color }} />
                {c.name}
                {c.key !== undefined && <kbd>{c.key}</kbd>}
                <span className="muted small count">{labels.filter((l) => 'label' in l && l.label === c.name).length}</span>
              </button>
            </li>
          ))}
        </ul>
      </section>
      <SelectionPanel store={store} />
      <SuggestPanel store={store} />
      <section className="annotate-panel annotate-actions" aria-label="Actions">
        <button type="button" onClick={() => void s.markReviewed()}>Mark view reviewed (R)</button>
        <button type="button" onClick={onSaveVersion}>Save version</button>
      </section>
      <details className="annotate-help small">
        <summary>Keys</summary>
        <div>Wheel or +/− zoom · ←/→ pan (Shift-drag too) · Shift+←/→ move cursor · [ … ] range at cursor · P point · 1–9 class · Tab next · Enter accept · Backspace delete · Ctrl+Z/Ctrl+Shift+Z undo/redo · R reviewed</div>
      </details>
    </aside>
  );
}
