import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { CatalogItem } from '../../../app/protocol/methods/data';
import { useServices } from '../../stores/context';
import { importStoreFor, importWorkspaceFile } from './data-actions';
import { ImportProgress } from './ImportProgress';
import { SourceGrid } from './SourceGrid';

type Target = { kind: 'file'; path: string } | { kind: 'table'; name: string };

interface Loaded {
  item?: CatalogItem;
  error?: string;
  /** The file cannot be read in place (Arrow IPC): it must be imported first. */
  needsImport?: boolean;
}

function describe(item: CatalogItem): string {
  if (item.kind === 'table') return item.file ? `table, imported from ${item.file}` : 'table';
  return item.file ? `view over ${item.file}, read in place` : 'view';
}

/** A data file or a table: what it is, an Import-as-table action for files read in place, and its grid. */
export function DatasetDocument({ target }: { target: Target }) {
  const services = useServices();
  const { backend } = services;
  const [loaded, setLoaded] = useState<Loaded>({});
  const [jobId, setJobId] = useState<number | null>(null);
  const imports = importStoreFor(backend);
  const job = useStore(imports, (s) => s.jobs.find((j) => j.id === jobId));
  const targetKey = target.kind === 'file' ? target.path : target.name;

  useEffect(() => {
    let live = true;
    const load = () => {
      const request = target.kind === 'file'
        ? backend.call('data.openFile', { path: target.path })
        : backend.call('data.catalog', { countViews: false }).then(({ items }) => {
          const found = items.find((i) => i.name === target.name);
          if (!found) throw new Error(`No table or view named "${target.name}" (it may have been dropped).`);
          return found;
        });
      request.then(
        (item) => live && setLoaded({ item }),
        (error: Error & { detail?: Record<string, unknown> }) => live && setLoaded({ error: error.message, needsImport: error.detail?.['code'] === 'needs_import' }),
      );
    };
    load();
    const off = backend.on('data.catalogChanged', () => load());
    return () => {
      live = false;
      off();
    };
  }, [backend, target.kind, targetKey]);

  const startImport = () => {
    if (target.kind === 'file') setJobId(importWorkspaceFile(services, target.path).id);
  };

  const { item } = loaded;
  const canImport = target.kind === 'file' && (item?.kind === 'view' || loaded.needsImport === true);
  return (
    <div className="dataset-document">
      <header className="dataset-header">
        <div>
          <h2>{item?.name ?? (target.kind === 'file' ? target.path : target.name)}</h2>
          <div className="muted small">{item ? describe(item) : target.kind === 'file' ? target.path : ''}</div>
        </div>
        <div className="dataset-actions">
          {canImport && job?.status !== 'running' && (
            <button type="button" className="primary" onClick={startImport} title="Copy the file into the workspace database: faster queries, independent of the file">
              Import as table
            </button>
          )}
          {job && job.status !== 'done' && (
            <ImportProgress job={job} onCancel={() => imports.getState().cancel(job.id)} />
          )}
        </div>
      </header>
      {loaded.error && <div className="error-box" role="alert">{loaded.error}</div>}
      {item && <SourceGrid key={`${item.name}:${item.kind}`} source={{ kind: 'table', name: item.name }} label={`Rows of ${item.name}`} />}
    </div>
  );
}
