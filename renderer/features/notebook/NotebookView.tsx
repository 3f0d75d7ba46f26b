import { useEffect, useMemo, useRef } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { parse as parseYaml } from 'yaml';
import type { CellKind } from '../../../app/notebook/types';
import type { DocumentViewProps } from '../../shell/views';
import { useServices } from '../../stores/context';
import { CellView } from './CellView';
import type { ChartTable } from './ChartBuilder';
import { addCell, notebookCommands } from './notebook-actions';
import { createNotebookStore, type NotebookStore } from './notebook-store';
import { NotebookToolbar } from './NotebookToolbar';
import { useCommandKeys } from './use-command-keys';
import './notebook.css';

/** Open notebooks keep their store (outputs, history, values) while their tab is not shown. */
const stores = new Map<string, NotebookStore>();

const addable: Array<[Exclude<CellKind, 'foreign'>, string]> = [['sql', 'SQL'], ['js', 'JavaScript'], ['markdown', 'Markdown'], ['chart', 'Chart'], ['input', 'Input']];

function AddBar({ store, index, isLast }: { store: NotebookStore; index: number; isLast?: boolean }) {
  return (
    <div className={`nb-add${isLast ? ' last' : ''}`} role="group" aria-label={isLast ? 'Add cell' : `Insert cell at ${index + 1}`}>
      {isLast && <span className="muted small">Add</span>}
      {addable.map(([kind, label]) => (
        <button key={kind} type="button" className="nb-add-button" onClick={() => addCell(store, index, kind)}>+ {label}</button>
      ))}
    </div>
  );
}

function title(frontMatter: string | undefined, path: string): string {
  try {
    const meta: unknown = frontMatter ? parseYaml(frontMatter) : undefined;
    if (meta && typeof meta === 'object' && 'title' in meta && typeof meta.title === 'string') return meta.title;
  } catch {
    // a broken front matter is reported by the parser; the file name will do as a title
  }
  return path.split('/').at(-1)?.replace(/\.notebook\.md$/, '') ?? path;
}

/** A notebook document: toolbar, reactive cells, keyboard, autosave. */
export function NotebookView({ path }: DocumentViewProps) {
  const services = useServices();
  const store = useMemo(() => {
    let existing = stores.get(path);
    if (!existing) {
      existing = createNotebookStore(services.backend, path);
      stores.set(path, existing);
      void existing.getState().load().then(() => existing!.getState().runMissing());
    }
    return existing;
  }, [services.backend, path]);
  const status = useStore(store, (s) => s.status);
  const loadError = useStore(store, (s) => s.loadError);
  const ids = useStore(store, useShallow((s) => s.doc.cells.map((c) => c.id)));
  const frontMatter = useStore(store, (s) => s.doc.frontMatter);
  const editing = useStore(store, (s) => s.editing);
  const tables = useChartTables(store);
  const root = useRef<HTMLDivElement>(null);
  useCommandKeys(store, root);

  useEffect(() => services.commands.getState().register(notebookCommands(services, store)), [services, store]);
  useEffect(() => () => void store.getState().saveNow(), [store]);
  useEffect(() => {
    if (editing === null && root.current && (document.activeElement === document.body || document.activeElement?.closest('.monaco-editor'))) root.current.focus();
  }, [editing]);
  useCompletions(store);

  if (status === 'loading') return <div className="muted pad">Opening {path}…</div>;
  if (status === 'error') return <div className="error-box" role="alert">Could not open {path}: {loadError}</div>;
  return (
    <div className="notebook" ref={root} tabIndex={-1} aria-label={`Notebook ${path}`}>
      <NotebookToolbar store={store} title={title(frontMatter, path)} />
      <div className="nb-cells">
        {ids.map((id, i) => (
          <div key={id} className="nb-slot">
            <AddBar store={store} index={i} />
            <CellView store={store} id={id} tables={tables} />
          </div>
        ))}
        <AddBar store={store} index={ids.length} isLast />
      </div>
    </div>
  );
}

/** Tables a chart may draw: SQL cells of this notebook (columns from their last result) and workspace tables. */
function useChartTables(store: NotebookStore): ChartTable[] {
  const doc = useStore(store, (s) => s.doc);
  const runs = useStore(store, (s) => s.runs);
  const catalog = useStore(store, (s) => s.catalog);
  return useMemo(() => {
    const own = doc.cells.filter((c) => c.kind === 'sql' && c.name).map((c) => {
      const output = runs[c.id]?.output;
      return { name: c.name!, columns: output?.kind === 'table' ? output.columns : [] };
    });
    return [...own, ...catalog.filter((t) => !own.some((o) => o.name.toLowerCase() === t.name.toLowerCase())).map((t) => ({ name: t.name, columns: t.columns }))];
  }, [doc, runs, catalog]);
}

/** Feeds Monaco's completion with this notebook's tables, columns and cell names. */
function useCompletions(store: NotebookStore): void {
  const tables = useChartTables(store);
  const doc = useStore(store, (s) => s.doc);
  useEffect(() => {
    const cells = doc.cells.filter((c) => c.name).map((c) => ({ name: c.name!, kind: c.kind }));
    void import('./monaco-setup').then((m) => m.setCompletionSource({
      tables: tables.map((t) => ({ name: t.name, detail: doc.cells.some((c) => c.name === t.name) ? 'notebook cell' : 'workspace table', columns: t.columns })),
      cells,
    }));
  }, [tables, doc]);
}
