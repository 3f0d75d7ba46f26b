import { useEffect, useMemo, useRef } from 'react';
import { useStore } from 'zustand';
import { docLabel, docSpans } from '../../../app/labels/text/spans';
import { useServices } from '../../stores/context';
import { CommitteePicker } from './CommitteePicker';
import { CompareWith } from './CompareWith';
import { DocText, selectionIn, type DrawnSpan } from './DocText';
import { LearningCurve } from './LearningCurve';
import { LfPanel } from './LfPanel';
import { QueueList } from './QueueList';
import { createTextStore, type Strategy, type TextStore } from './text-store';
import './text-annotate.css';

function onKey(e: React.KeyboardEvent, store: TextStore, host: HTMLElement | null): void {
  const target = e.target as HTMLElement;
  if (target.closest('input, textarea, select')) return;
  const s = store.getState();
  const mod = e.ctrlKey || e.metaKey;
  if (mod && e.key.toLowerCase() === 'z') s[e.shiftKey ? 'redoLast' : 'undoLast']();
  else if (mod && e.key.toLowerCase() === 'y') s.redoLast();
  else if (!mod && /^[1-9]$/.test(e.key)) s.pressKey(Number(e.key), selectionIn(host));
  else if (e.key === 'Enter') s.acceptAndNext();
  else if (e.key === 'ArrowRight' || e.key === 'ArrowDown') s.go(1);
  else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') s.go(-1);
  else return;
  e.preventDefault();
  if (/^[1-9]$/.test(e.key)) window.getSelection()?.removeAllRanges();
}

/** The text annotation panel of a text label set (`labels/<name>` with a textset.json). */
export function TextAnnotateView({ name }: { name: string }) {
  const { backend, workbench, commands } = useServices();
  const store = useMemo(() => createTextStore(backend, name, (kind, text) => workbench.getState().notify(kind, text)), [backend, name, workbench]);
  const s = useStore(store);
  const host = useRef<HTMLDivElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => void store.getState().load(), [store]);
  useEffect(() => backend.on('textLabels.modelUpdated', (p) => {
    if (p.name !== name) return;
    void backend.call('textLabels.open', { name }).then((o) => store.setState({ model: o.model }));
  }), [backend, name, store]);
  // Mounted only while its tab is active, so Mod+S here never shadows another view's save.
  useEffect(() => commands.getState().register([
    { id: 'textLabels.saveVersion', category: 'Labels', title: 'Save Text Label Set Version', keys: 'Mod+S', run: () => void store.getState().saveVersion() },
  ]), [commands, store]);
  useEffect(() => panel.current?.focus(), [s.status]);
  // A button disabled while busy drops the focus to <body>: give it back so keys keep working.
  useEffect(() => {
    if (s.busy === null && document.activeElement === document.body) panel.current?.focus();
  }, [s.busy]);
  if (s.status === 'error') return <div className="error-box" role="alert">Could not open the text label set: {s.error}</div>;
  if (s.status === 'loading' || !s.meta) return <div className="muted pad">Opening {name}…</div>;
  const meta = s.meta;
  const doc = s.current();
  const human = doc ? docLabel(s.labels, doc.doc) : undefined;
  const spans: DrawnSpan[] = doc ? [...docSpans(s.labels, doc.doc).map((x) => ({ ...x, proposed: false })), ...(doc.fileSpans ?? []).map((x) => ({ ...x, proposed: true }))] : [];
  // Documents with a class or a span (a span-only set counts its annotated sentences).
  const labelled = new Set(Object.values(s.labels.labels).flatMap((l) => (l.kind === 'doc' || l.kind === 'span' ? [l.doc] : []))).size;
  return (
    <div className={s.model || meta.docMode !== 'none' ? 'ta' : 'ta no-side'} ref={panel} tabIndex={0} onKeyDown={(e) => onKey(e, store, host.current)} data-testid="text-annotator">
      <QueueList store={store} />
      <main className="ta-main">
        <div className="ta-toolbar">
          <strong>{meta.name}</strong>
          <span className="muted small">{s.rows.toLocaleString()} documents · {labelled} labelled · document {s.cursor + 1} of queue {s.order.length}</span>
          <CompareWith name={meta.name} source={meta.source} onDone={() => panel.current?.focus()} />
          <span className="ta-version">
            <button type="button" onClick={() => void s.saveVersion().then(() => panel.current?.focus())} title="Record the labels as they are now as a version runs can cite (Ctrl+S)">Save version</button>
            <span className="muted small" data-testid="saved-version" title={s.saved?.version}>
              {s.saved ? <>saved <code>{s.saved.version.slice(7, 19)}</code>{s.unsaved ? ' · edited since' : ''}</> : 'no saved version'}
            </span>
          </span>
        </div>
        {meta.docMode !== 'none' && (
          <div className="ta-classes" role="group" aria-label="Document classes">
            {meta.classes.map((c) => (
              <button key={c.name} type="button" className={human?.labels.includes(c.name) ? 'ta-class on' : 'ta-class'} style={{ borderColor: c.color }} onClick={() => c.key && s.pressKey(c.key, null)} aria-pressed={human?.labels.includes(c.name) ?? false}>
                <kbd>{c.key}</kbd> {c.name}
              </button>
            ))}
          </div>
        )}
        {meta.spanClasses.length > 0 && (
          <div className="ta-classes" aria-label="Span classes">
            {meta.spanClasses.map((c) => (
              <button key={c.name} type="button" className="ta-class" style={{ borderColor: c.color }} onMouseDown={(e) => e.preventDefault()} onClick={() => c.key && s.pressKey(c.key, selectionIn(host.current))}>
                <kbd>{c.key}</kbd> {c.name}
              </button>
            ))}
            <span className="muted small">select text, press a key{meta.tokenSnap ? ' (snaps to tokens)' : ''}</span>
          </div>
        )}
        {doc ? (
          <article className="ta-doc" data-doc={doc.doc} data-row={doc.row}>
            <DocText text={doc.text} spans={spans} classes={meta.spanClasses} hostRef={host} />
            <div className="ta-pre" data-testid="pre-annotations">
              {human && <span className="ta-human" data-testid="human-label">label: {human.labels.join(', ')}</span>}
              {doc.predictions.map((p) => (
                <span key={p.source} className="ta-proposal" data-source={p.source}>{p.source === 'model' ? 'model' : 'LFs'} suggests {p.label} ({(p.p * 100).toFixed(0)}%){human ? '' : ' — Enter accepts'}</span>
              ))}
              {doc.gold !== undefined && <span className="muted small">gold: {doc.gold}</span>}
            </div>
            {docSpans(s.labels, doc.doc).length > 0 && (
              <ul className="ta-span-list" aria-label="Spans">
                {docSpans(s.labels, doc.doc).map((x) => (
                  <li key={x.id}>{x.label}: “{doc.text.slice(x.start, x.end)}” <button type="button" className="ta-x" aria-label={`Delete span ${doc.text.slice(x.start, x.end)}`} onClick={() => s.deleteLabel(x.id)}>×</button></li>
                ))}
              </ul>
            )}
          </article>
        ) : (
          <p className="muted pad">Nothing left in the queue.</p>
        )}
        <p className="muted small ta-help">Keys: 1–9 label · Enter accept &amp; next · ←/→ previous/next · Ctrl+Z undo · Ctrl+Shift+Z redo · Ctrl+S save version</p>
      </main>
      {(s.model || meta.docMode !== 'none') && <aside className="ta-side">
        {s.model && (
          <section aria-label="Active learning">
            <header className="ta-section-head">
              <h3>Active learning</h3>
              <select aria-label="Queue strategy" value={s.strategy} onChange={(e) => s.setStrategy(e.target.value as Strategy)}>
                <option value="leastConfident">least confident</option><option value="margin">margin</option><option value="entropy">entropy</option><option value="voteEntropy">vote entropy (committee)</option>
              </select>
              <button type="button" onClick={() => void s.retrain()} disabled={s.busy !== null}>Retrain now</button>
            </header>
            <p className="small" data-testid="model-status">
              {s.model.training ? 'Training in the background… ' : ''}Model trained on {s.model.trainedOn} labels (retrains every {meta.retrainEvery}); queue ordered by {s.strategy === 'voteEntropy' && meta.committeeRuns ? `the votes of ${meta.committeeRuns.length} tracked runs` : `the model of ${s.queueTrainedOn} labels`}
              {s.model.trainedOn !== s.queueTrainedOn && <button type="button" className="link" onClick={() => void s.loadQueue()}>Reorder queue</button>}
            </p>
            {s.strategy === 'voteEntropy' && <CommitteePicker store={store} />}
            {s.model.curve.length > 0 && <LearningCurve curve={s.model.curve} />}
          </section>
        )}
        {meta.docMode !== 'none' && !meta.source.file?.endsWith('.conll') && <LfPanel store={store} />}
        {s.busy && <p className="muted small" role="status">{s.busy}</p>}
      </aside>}
    </div>
  );
}
