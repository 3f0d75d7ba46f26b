import { useEffect, useRef } from 'react';
import { usePipeline, usePipelineStore } from './store-context';

/** The context menu of a node: run it, run up to it, delete it. */
export function NodeMenu({ nodeId, x, y, onClose }: { nodeId: string; x: number; y: number; onClose: () => void }) {
  const store = usePipelineStore();
  const isRunning = usePipeline((s) => s.isRunning);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector('button')?.focus();
    const away = (event: globalThis.MouseEvent) => { if (!(event.target instanceof globalThis.Node && ref.current?.contains(event.target))) onClose(); };
    window.addEventListener('mousedown', away);
    return () => window.removeEventListener('mousedown', away);
  }, [onClose]);
  const act = (fn: () => void) => () => { onClose(); fn(); };
  return (
    <div className="pc-menu" role="menu" ref={ref} style={{ left: x, top: y }} aria-label={`Actions for ${nodeId}`} onKeyDown={(e) => { if (e.key === 'Escape') onClose(); }}>
      <button type="button" role="menuitem" disabled={isRunning} onClick={act(() => void store.getState().run({ mode: 'upTo', nodeId }))}>Run to here</button>
      <button type="button" role="menuitem" disabled={isRunning} onClick={act(() => void store.getState().run({ mode: 'node', nodeId }))}>Run this node</button>
      <button type="button" role="menuitem" disabled={isRunning} onClick={act(() => void store.getState().run({ mode: 'all' }))}>Run all</button>
      <hr />
      <button type="button" role="menuitem" className="danger" onClick={act(() => store.getState().apply({ type: 'removeNode', nodeId }))}>Delete node</button>
    </div>
  );
}
