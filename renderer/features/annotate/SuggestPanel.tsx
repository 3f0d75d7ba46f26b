import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { AnnotateStore, SuggestRequest } from './annotate-store';

const BUILT_IN: Array<{ value: string; label: string }> = [
  { value: 'zscore', label: 'z-score' },
  { value: 'isolationForest', label: 'isolation forest' },
];

function request(value: string): SuggestRequest {
  if (value === 'isolationForest') return { detector: 'isolationForest' };
  if (value.startsWith('model:')) return { detector: 'model', model: value.slice('model:'.length) };
  return { detector: 'zscore' };
}

/** Picks a detector (z-score, isolation forest, or a run/.onnx model that outputs a score), runs it with progress and cancel. */
export function SuggestPanel({ store }: { store: AnnotateStore }) {
  const s = useStore(store);
  const [choice, setChoice] = useState('zscore');
  const [models, setModels] = useState<Array<{ value: string; label: string }>>([]);
  useEffect(() => {
    let live = true;
    s.scoreModels().then((items) => live && setModels(items.map((m) => ({ value: `model:${m.ref}`, label: `${m.kind === 'run' ? 'run' : 'file'}: ${m.name}` }))), () => undefined);
    return () => {
      live = false;
    };
  }, [s.scoreModels]);
  const options = [...BUILT_IN, ...models];
  const label = options.find((o) => o.value === choice)?.label ?? choice;
  const running = s.suggesting;
  return (
    <section className="annotate-panel" aria-label="Suggestions">
      <h3>Suggestions</h3>
      <select aria-label="Suggestion detector" value={choice} onChange={(e) => setChoice(e.target.value)} disabled={running !== null}>
        {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
      <div className="annotate-actions">
        <button type="button" disabled={running !== null} onClick={() => void s.suggest(request(choice))}>Suggest anomalies ({label})</button>
        {running && <button type="button" onClick={() => s.cancelSuggest()}>Cancel</button>}
      </div>
      {running && (
        <div className="small muted" role="status" data-testid="suggest-progress">
          {running.total > 0 ? `Scoring ${running.done.toLocaleString()} / ${running.total.toLocaleString()} rows…` : 'Running the detector…'}
        </div>
      )}
    </section>
  );
}
