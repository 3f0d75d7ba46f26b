import type { CellId } from '../../../app/base/ids';
import { exportIpynb, importIpynb } from '../../../app/notebook/ipynb';
import { serializeNotebook } from '../../../app/notebook/format';
import type { CellKind } from '../../../app/notebook/types';
import type { CommandDef } from '../../stores/commands';
import type { AppServices } from '../../stores/context';
import type { NotebookStore } from './notebook-store';
import { openReportDialog } from './report-export';

const starters: Record<Exclude<CellKind, 'foreign'>, { source: string; name?: string }> = {
  sql: { source: 'SELECT 1 AS answer' },
  js: { source: '' },
  markdown: { source: '' },
  chart: { source: 'mark: bar\ntable: ' },
  input: { source: '', name: 'value' },
};

function freeName(store: NotebookStore, base: string): string {
  const taken = new Set(store.getState().doc.cells.map((c) => c.name?.toLowerCase()));
  for (let n = 1; ; n++) if (!taken.has(`${base}${n === 1 ? '' : n}`.toLowerCase())) return `${base}${n === 1 ? '' : n}`;
}

/** Inserts a new cell of `kind` at `index` and starts editing it. */
export function addCell(store: NotebookStore, index: number, kind: Exclude<CellKind, 'foreign'>): CellId {
  const starter = starters[kind];
  const name = kind === 'input' ? freeName(store, 'value') : kind === 'chart' ? freeName(store, 'chart') : undefined;
  const firstTable = store.getState().doc.cells.find((c) => c.kind === 'sql' && c.name)?.name ?? '';
  const source = kind === 'chart' ? `${starter.source}${firstTable}` : starter.source;
  const id = store.getState().insertCell(index, kind, source, name);
  if (kind === 'sql' || kind === 'js' || kind === 'markdown') store.getState().setEditing(id);
  return id;
}

function selectedIndex(store: NotebookStore): number {
  const { doc, selected } = store.getState();
  return Math.max(0, doc.cells.findIndex((c) => c.id === selected));
}

/** Moves the selection one cell up or down. */
export function selectNext(store: NotebookStore, step: 1 | -1): void {
  const { doc } = store.getState();
  const next = doc.cells[Math.min(doc.cells.length - 1, Math.max(0, selectedIndex(store) + step))];
  if (next) store.getState().select(next.id);
}

/** Moves the selected cell one place up or down. */
export function moveSelected(store: NotebookStore, step: 1 | -1): void {
  const { doc, selected } = store.getState();
  const index = selectedIndex(store);
  if (!selected || index + step < 0 || index + step >= doc.cells.length) return;
  store.getState().apply({ type: 'moveCell', id: selected, toIndex: index + step });
}

/** Deletes the selected cell and selects its neighbour. */
export function deleteSelected(store: NotebookStore): void {
  const { doc, selected } = store.getState();
  if (!selected) return;
  const index = selectedIndex(store);
  store.getState().apply({ type: 'deleteCell', id: selected });
  const next = doc.cells[index + 1] ?? doc.cells[index - 1];
  store.getState().select(next && next.id !== selected ? next.id : null);
}

/** Runs the selected cell; with `advance`, selects the next one (Shift+Enter). */
export function runSelected(store: NotebookStore, advance: boolean): void {
  const { selected } = store.getState();
  if (!selected) return;
  store.getState().setEditing(null);
  void store.getState().run([selected], 'cell');
  if (advance) selectNext(store, 1);
}

function pickFile(accept: string): Promise<File | undefined> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.addEventListener('change', () => resolve(input.files?.[0]));
    input.click();
  });
}

/** Imports a Jupyter notebook chosen by the user as `<name>.notebook.md` beside the open notebook, and opens it. */
export async function importNotebook(services: AppServices, besidePath: string): Promise<void> {
  const file = await pickFile('.ipynb,application/x-ipynb+json');
  if (!file) return;
  const stem = file.name.replace(/\.ipynb$/i, '').replace(/[^\p{L}\p{N}._ -]+/gu, '_');
  const folder = besidePath.includes('/') ? `${besidePath.slice(0, besidePath.lastIndexOf('/'))}/` : '';
  const target = `${folder}${stem}.notebook.md`;
  try {
    const text = serializeNotebook(importIpynb(await file.text(), { title: stem }));
    await services.backend.call('fs.writeText', { path: target, text });
    await services.workbench.getState().refreshFiles();
    services.workbench.getState().openFile(target);
    services.workbench.getState().notify('success', `Imported ${file.name} as ${target}`);
  } catch (error) {
    services.workbench.getState().notify('error', `Could not import ${file.name}: ${(error as Error).message}`);
  }
}

/** Writes the notebook as `<name>.ipynb` next to it (nbformat 4.5, no outputs). */
export async function exportNotebook(services: AppServices, store: NotebookStore): Promise<void> {
  const path = store.getState().path;
  const target = `${path.replace(/\.notebook\.md$/i, '')}.ipynb`;
  try {
    await services.backend.call('fs.writeText', { path: target, text: exportIpynb(store.getState().doc) });
    services.workbench.getState().notify('success', `Exported ${target}`);
  } catch (error) {
    services.workbench.getState().notify('error', `Could not export: ${(error as Error).message}`);
  }
}

/** The palette commands of the active notebook (Jupyter's keys where a chord cannot collide with typing). */
export function notebookCommands(services: AppServices, store: NotebookStore): CommandDef[] {
  const s = () => store.getState();
  const category = 'Notebook';
  return [
    { id: 'notebook.run', category, title: 'Run Cell', keys: 'Mod+Enter', run: () => runSelected(store, false) },
    { id: 'notebook.runAdvance', category, title: 'Run Cell and Select Below', keys: 'Shift+Enter', run: () => runSelected(store, true) },
    { id: 'notebook.runAll', category, title: 'Run All Cells', keys: 'Mod+Shift+Enter', run: () => void s().run([], 'all') },
    { id: 'notebook.runAbove', category, title: 'Run All Above', run: () => { const id = s().selected; if (id) void s().run([id], 'above'); } },
    { id: 'notebook.interrupt', category, title: 'Interrupt', keys: 'Mod+.', run: () => s().interrupt() },
    { id: 'notebook.insertAbove', category, title: 'Insert Cell Above (Esc, A)', run: () => void addCell(store, selectedIndex(store), 'sql') },
    { id: 'notebook.insertBelow', category, title: 'Insert Cell Below (Esc, B)', run: () => void addCell(store, s().doc.cells.length === 0 ? 0 : selectedIndex(store) + 1, 'sql') },
    { id: 'notebook.delete', category, title: 'Delete Cell (Esc, D D)', run: () => deleteSelected(store) },
    { id: 'notebook.moveUp', category, title: 'Move Cell Up (Esc, Alt+↑)', run: () => moveSelected(store, -1) },
    { id: 'notebook.moveDown', category, title: 'Move Cell Down (Esc, Alt+↓)', run: () => moveSelected(store, 1) },
    { id: 'notebook.undo', category, title: 'Undo Notebook Edit (Esc, Z)', run: () => s().undo() },
    { id: 'notebook.redo', category, title: 'Redo Notebook Edit (Esc, Shift+Z)', run: () => s().redo() },
    { id: 'notebook.save', category, title: 'Save Notebook', keys: 'Mod+S', run: () => void s().saveNow() },
    { id: 'notebook.import', category, title: 'Import Jupyter Notebook (.ipynb)…', run: () => void importNotebook(services, s().path) },
    { id: 'notebook.export', category, title: 'Export as Jupyter Notebook (.ipynb)', run: () => void exportNotebook(services, store) },
    { id: 'notebook.exportReport', category, title: 'Export Report…', run: () => openReportDialog(s().path) },
  ];
}
