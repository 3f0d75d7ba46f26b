import { useEffect, useState } from 'react';
import { useServices } from '../stores/context';

interface Listing {
  dir: string;
  parent: string | null;
  folders: { name: string; path: string; isWorkspace: boolean }[];
}

/** Picks a folder on the backend's machine (the browser shape has no native dialog). */
export function FolderPicker({ onCancel }: { onCancel(): void }) {
  const { backend, workbench } = useServices();
  const [listing, setListing] = useState<Listing | null>(null);
  const [path, setPath] = useState('');
  const [error, setError] = useState<string | null>(null);

  const browse = (dir?: string) =>
    backend.call('fs.browse', dir ? { dir } : {}).then(
      (result) => (setListing(result), setPath(result.dir), setError(null)),
      (e: Error) => setError(e.message),
    );
  useEffect(() => void browse(), []);

  return (
    <div className="folder-picker" role="dialog" aria-label="Open a folder">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void workbench.getState().openWorkspace(path);
        }}
      >
        <input aria-label="Folder path" value={path} onChange={(e) => setPath(e.target.value)} spellCheck={false} />
        <button type="submit">Open</button>
        <button type="button" title="Create this folder as a new, empty workspace" onClick={() => void workbench.getState().createWorkspace(path)}>
          Create
        </button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </form>
      {error && <p className="error-text">{error}</p>}
      {listing && (
        <ul className="folder-list">
          {listing.parent && <li><button type="button" className="link" onClick={() => void browse(listing.parent!)}>..</button></li>}
          {listing.folders.map((f) => (
            <li key={f.path}>
              <button type="button" className="link" onClick={() => void browse(f.path)} onDoubleClick={() => void workbench.getState().openWorkspace(f.path)}>
                {f.name}
              </button>
              {f.isWorkspace && <span className="pill">workspace</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
