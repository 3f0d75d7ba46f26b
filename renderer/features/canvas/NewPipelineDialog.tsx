import { useEffect, useRef, useState } from 'react';
import { useServices } from '../../stores/context';
import { createNewPipeline, pipelineFileName } from './canvas-actions';

/** Asks for a name and creates `NAME.pipeline.json`, then opens it. */
export function NewPipelineDialog({ onClose }: { onClose: () => void }) {
  const services = useServices();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // after the palette's Enter is fully handled, or its keypress would submit this form at once
    const frame = requestAnimationFrame(() => input.current?.focus());
    return () => cancelAnimationFrame(frame);
  }, []);
  const submit = async () => {
    if (name.trim() === '') return;
    setBusy(true);
    const path = await createNewPipeline(services, name);
    setBusy(false);
    if (path) onClose();
  };
  return (
    <div className="pc-dialog-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) onClose(); }}>
      <form className="pc-dialog" role="dialog" aria-label="New pipeline" onSubmit={(e) => { e.preventDefault(); void submit(); }} onKeyDown={(e) => { if (e.key === 'Escape') onClose(); }}>
        <h2>New pipeline</h2>
        <label htmlFor="pc-new-name">Name</label>
        <input id="pc-new-name" ref={input} value={name} onChange={(e) => setName(e.target.value)} placeholder="census-income" />
        <div className="muted small">Creates <code>{pipelineFileName(name)}</code> in the workspace.</div>
        <div className="pc-dialog-actions">
          <button type="button" className="pc-button" onClick={onClose}>Cancel</button>
          <button type="submit" className="pc-button primary" disabled={busy || name.trim() === ''}>Create</button>
        </div>
      </form>
    </div>
  );
}
