import { useEffect, useState } from 'react';
import type { CatalogItem, DataProblem } from '../../../app/protocol/methods/data';
import { formatCount } from '../../components/data-grid/format';
import { useServices } from '../../stores/context';
import { openDataTab } from '../../stores/data-tabs';
import { pickFiles } from './data-actions';

interface CatalogState {
  items?: CatalogItem[];
  problems?: DataProblem[];
  persistent?: boolean;
  error?: string;
}

function rowsText(item: CatalogItem): string {
  if (item.rowCount === null) return 'rows unknown';
  return `${formatCount(item.rowCount)} ${item.rowCount === 1 ? 'row' : 'rows'}`;
}

/** Every table and view of the workspace database with its columns, DuckDB types and row count; a click previews it. */
export function CatalogPanel() {
  const services = useServices();
  const { backend, workbench } = services;
  const [state, setState] = useState<CatalogState>({});
  useEffect(() => {
    let live = true;
    const load = () => backend.call('data.catalog', { countViews: true }).then(
      (result) => live && setState(result),
      (error: Error) => live && setState({ error: error.message }),
    );
    void load();
    const off = backend.on('data.catalogChanged', () => void load());
    return () => {
      live = false;
      off();
    };
  }, [backend]);

  return (
    <div className="catalog-panel">
      <header className="dataset-header">
        <div>
          <h2>Data catalog</h2>
          <div className="muted small">
            Tables and views of the workspace database. Files in <code>data/</code> are views read in place; drop files anywhere to import them.
          </div>
        </div>
        <div className="dataset-actions">
          <button type="button" className="primary" onClick={() => pickFiles(services)}>Import file…</button>
        </div>
      </header>
      {state.error && <div className="error-box" role="alert">{state.error}</div>}
      {state.items === undefined && !state.error && <div className="muted pad">Loading…</div>}
      {state.items?.length === 0 && <div className="muted pad">No tables yet. Put data files in <code>data/</code> or drop them onto the window.</div>}
      <ul className="catalog-list" aria-label="Tables and views">
        {state.items?.map((item) => (
          <li key={item.name} className="catalog-item" data-name={item.name}>
            <div className="catalog-title">
              <button type="button" className="link catalog-name" onClick={() => openDataTab(workbench, { kind: 'table', name: item.name })}>{item.name}</button>
              <span className={`pill kind-${item.kind}`}>{item.kind}</span>
              <span className="catalog-rows" data-testid={`rows-${item.name}`}>{rowsText(item)}</span>
              {item.file && <span className="muted small catalog-file">{item.file}</span>}
            </div>
            <div className="catalog-columns">
              {item.columns.map((c) => (
                <span key={c.name} className="catalog-column"><span>{c.name}</span> <code>{c.type}</code></span>
              ))}
            </div>
          </li>
        ))}
      </ul>
      {state.problems && state.problems.length > 0 && (
        <section className="catalog-problems">
          <h3>Files that could not be read</h3>
          <ul>{state.problems.map((p) => <li key={p.path}><code>{p.path}</code>: {p.message}</li>)}</ul>
        </section>
      )}
    </div>
  );
}
