import { useEffect, useState } from 'react';
import { useServices, useWorkbench } from '../stores/context';
import { FolderPicker } from './FolderPicker';

/** The welcome page: open or create a workspace, recent workspaces, the bundled examples. */
export function Welcome() {
  const recent = useWorkbench((s) => s.recent);
  const examples = useWorkbench((s) => s.examples);
  const workspace = useWorkbench((s) => s.workspace);
  const version = useWorkbench((s) => s.version);
  const { workbench } = useServices();
  const [showPicker, setShowPicker] = useState(false);
  useEffect(() => setShowPicker(false), [workspace?.root]);

  return (
    <div className="welcome">
      <header>
        <h1>Vajra</h1>
        <p className="muted">A workbench for the whole life of a machine-learning model · {version}</p>
      </header>
      <div className="welcome-grid">
        <section>
          <h2>Start</h2>
          <ul className="link-list">
            <li><button type="button" className="link" onClick={() => setShowPicker(true)}>Open a folder…</button></li>
          </ul>
          {showPicker && <FolderPicker onCancel={() => setShowPicker(false)} />}
          <h2>Recent</h2>
          {recent.length === 0 ? (
            <p className="muted">Nothing yet.</p>
          ) : (
            <ul className="link-list" aria-label="Recent workspaces">
              {recent.map((r) => (
                <li key={r.root}>
                  <button type="button" className="link" onClick={() => void workbench.getState().openWorkspace(r.root)}>{r.name}</button>
                  <span className="muted small"> {r.root}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section>
          <h2>Examples</h2>
          <ul className="example-list" aria-label="Examples">
            {examples.map((e) => (
              <li key={e.id}>
                <button type="button" className="card" onClick={() => void workbench.getState().openExample(e.id)}>
                  <strong>{e.title}</strong>
                  <span className="muted">{e.description}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      </div>
      {workspace && (
        <p className="muted">
          Open workspace: <strong>{workspace.manifest.name}</strong> — {workspace.root}
        </p>
      )}
    </div>
  );
}
