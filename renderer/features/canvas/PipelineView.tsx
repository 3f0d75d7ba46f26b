import { ReactFlowProvider } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useEffect, useMemo, type KeyboardEvent } from 'react';
import { useStore } from 'zustand';
import type { DocumentViewProps } from '../../shell/views';
import { useServices } from '../../stores/context';
import { pipelineCommands } from './canvas-actions';
import { CanvasToolbar } from './CanvasToolbar';
import { FlowCanvas } from './FlowCanvas';
import { NodeInspector } from './NodeInspector';
import { OutputPanel } from './OutputPanel';
import { Palette } from './Palette';
import { createPipelineStore, type PipelineStore } from './pipeline-store';
import { PipelineStoreProvider, usePipeline, usePipelineStore } from './store-context';
import './canvas.css';

/** Open pipelines keep their store (history, statuses, outputs) while their tab is not shown. */
const stores = new Map<string, PipelineStore>();

function isTyping(target: EventTarget): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

function DiskBanner() {
  const store = usePipelineStore();
  const save = usePipeline((s) => s.save);
  const isDiskChanged = usePipeline((s) => s.isDiskChanged);
  if (save !== 'conflict' && !isDiskChanged) return null;
  return (
    <div className="pc-banner" role="alert">
      This pipeline changed on disk while you had unsaved edits.
      <button type="button" className="pc-button" onClick={() => void store.getState().reloadFromDisk()}>Reload from disk</button>
      <button type="button" className="pc-button" onClick={() => void store.getState().saveNow(true)}>Keep mine</button>
    </div>
  );
}

function CanvasLayout() {
  const store = usePipelineStore();
  const selected = usePipeline((s) => s.selected);
  const empty = usePipeline((s) => s.doc.nodes.length === 0);
  const onKeyDown = useCallback((event: KeyboardEvent) => {
    if (isTyping(event.target) || !(event.ctrlKey || event.metaKey) || event.key.toLowerCase() !== 'z') return;
    event.preventDefault();
    if (event.shiftKey) store.getState().redo();
    else store.getState().undo();
  }, [store]);
  return (
    <div className={`pc-root${selected ? ' has-selection' : ''}`} onKeyDown={onKeyDown} tabIndex={-1}>
      <CanvasToolbar />
      <DiskBanner />
      <div className="pc-main">
        <Palette />
        <div className="pc-center">
          <div className="pc-canvas-wrap">
            <FlowCanvas />
            {empty && <div className="pc-empty muted">Drag nodes from the palette, or click one to add it. Start with a <strong>Source</strong>.</div>}
          </div>
          {selected ? <OutputPanel key={selected} nodeId={selected} /> : <section className="pc-output pc-output-idle muted" aria-label="Output">Select a node to see its output: a table preview, the fitted model, or metrics and curves.</section>}
        </div>
        <aside className="pc-side" aria-label="Node settings">
          {selected ? <NodeInspector nodeId={selected} /> : <div className="muted pad">Select a node to edit its settings and see its output.</div>}
        </aside>
      </div>
    </div>
  );
}

/** A `*.pipeline.json` document: palette, React Flow canvas, settings, outputs, runs. */
export function PipelineView({ path }: DocumentViewProps) {
  const services = useServices();
  const store = useMemo(() => {
    let existing = stores.get(path);
    if (!existing) {
      existing = createPipelineStore(services.backend, path);
      stores.set(path, existing);
      void existing.getState().load();
    }
    return existing;
  }, [services.backend, path]);
  const status = useStore(store, (s) => s.status);
  const loadError = useStore(store, (s) => s.loadError);
  useEffect(() => services.commands.getState().register(pipelineCommands(store)), [services, store]);
  useEffect(() => () => void store.getState().saveNow(), [store]);

  if (status === 'loading') return <div className="muted pad">Opening {path}…</div>;
  if (status === 'error') return <div className="error-box" role="alert">Could not open {path}: {loadError}</div>;
  return (
    <PipelineStoreProvider value={store}>
      <ReactFlowProvider>
        <CanvasLayout />
      </ReactFlowProvider>
    </PipelineStoreProvider>
  );
}
