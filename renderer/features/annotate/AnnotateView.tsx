import { useEffect, useMemo } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../../stores/context';
import type { DocumentViewProps } from '../../shell/views';
import { handleAnnotateKey } from './annotate-keys';
import { createAnnotateStore, extentOf } from './annotate-store';
import { LabelSidebar } from './LabelSidebar';
import { SeriesCanvas } from './SeriesCanvas';
import { zoomAt } from './viewport';
import './annotate.css';

/** The label set document (`labels/<name>`): the series canvas and the label sidebar. */
export function AnnotateView({ path }: DocumentViewProps) {
  const { backend, workbench } = useServices();
  const name = path.split('/').at(-1) ?? path;
  const store = useMemo(() => createAnnotateStore(backend, name, (kind, text) => workbench.getState().notify(kind, text)), [backend, name, workbench]);
  const status = useStore(store, (s) => s.status);
  const error = useStore(store, (s) => s.error);
  useEffect(() => void store.getState().load(), [store]);
  useEffect(() => backend.onStatus((st) => st === 'connected' && store.getState().status === 'error' && void store.getState().load()), [backend, store]);

  if (status === 'error') return <div className="error-box" role="alert">Could not open the label set: {error}</div>;
  if (status === 'loading') return <div className="muted pad">Opening {name}…</div>;
  const zoom = (factor: number) => {
    const s = store.getState();
    if (s.extent) s.setViewport(zoomAt(s.viewport, factor, 0.5, extentOf(s.extent)));
  };
  const saveVersion = () =>
    void store.getState().saveVersion().then(
      (v) => workbench.getState().notify('success', `Saved version ${v.slice(0, 19)}…`),
      (e: Error) => workbench.getState().notify('error', e.message),
    );
  return (
    <div className="annotate" onKeyDown={(e) => handleAnnotateKey(e, store)} data-testid="annotator">
      <div className="annotate-main">
        <div className="annotate-toolbar">
          <button type="button" aria-label="Zoom in" onClick={() => zoom(1.5)}>+</button>
          <button type="button" aria-label="Zoom out" onClick={() => zoom(1 / 1.5)}>−</button>
          <button type="button" onClick={() => {
            const s = store.getState();
            if (s.extent) s.setViewport({ from: s.extent.from, to: s.extent.to });
          }}>Whole series</button>
          <span className="muted small">{store.getState().extent?.rows.toLocaleString()} samples</span>
        </div>
        <SeriesCanvas store={store} backend={backend} />
      </div>
      <LabelSidebar store={store} onSaveVersion={saveVersion} />
    </div>
  );
}
