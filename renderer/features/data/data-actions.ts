import type { CatalogItem } from '../../../app/protocol/methods/data';
import type { Backend } from '../../bridge/connection';
import type { CommandDef } from '../../stores/commands';
import type { AppServices } from '../../stores/context';
import { createImportStore, type ImportJob, type ImportStore } from '../../stores/data-imports';
import { openDataTab } from '../../stores/data-tabs';

const importStores = new WeakMap<Backend, ImportStore>();

/** The one import store of a backend connection (drops, the file dialog and views share it). */
export function importStoreFor(backend: Backend): ImportStore {
  let store = importStores.get(backend);
  if (!store) {
    store = createImportStore();
    importStores.set(backend, store);
  }
  return store;
}

/** File types the file dialog offers. */
export const DATA_FILE_ACCEPT = '.csv,.tsv,.tab,.json,.ndjson,.jsonl,.parquet,.pq,.arrow,.arrows,.feather,.ipc,.gz,.zst';

/**
 * Imports files the user dropped or picked: each is saved into the workspace's data/ folder and
 * copied into a table, with progress and cancel in the import panel; the first table opens.
 */
export async function importFiles(services: AppServices, files: readonly File[]): Promise<ImportJob[]> {
  const store = importStoreFor(services.backend);
  const jobs: ImportJob[] = [];
  for (const file of files) {
    const { finished } = store.getState().start(file.name, async (signal, onProgress) => {
      const bytes = new Uint8Array(await file.arrayBuffer());
      return services.backend.call('data.importBytes', { fileName: file.name, bytes, mode: 'table' }, { signal, onProgress });
    });
    jobs.push(await finished);
  }
  const first = jobs.find((j) => j.status === 'done' && j.result);
  if (first?.result) openDataTab(services.workbench, { kind: 'table', name: first.result.name });
  return jobs;
}

/** Copies the workspace file `path` into a table (its view, if any, becomes that table). */
export function importWorkspaceFile(services: AppServices, path: string): { id: number; finished: Promise<ImportJob> } {
  return importStoreFor(services.backend).getState().start(path, (signal, onProgress): Promise<CatalogItem> =>
    services.backend.call('data.import', { path, mode: 'table' }, { signal, onProgress }));
}

/** Opens the browser's file dialog and imports what the user picks. */
export function pickFiles(services: AppServices): void {
  const input = document.createElement('input');
  input.type = 'file';
  input.multiple = true;
  input.accept = DATA_FILE_ACCEPT;
  input.addEventListener('change', () => void importFiles(services, [...(input.files ?? [])]));
  input.click();
}

/** The data feature's palette commands. */
export function dataCommands(services: AppServices): CommandDef[] {
  return [
    { id: 'data.showCatalog', title: 'Show Catalog', category: 'Data', keys: 'Mod+K D', run: () => openDataTab(services.workbench, { kind: 'catalog' }) },
    { id: 'data.importFile', title: 'Import File…', category: 'Data', keys: 'Mod+K I', run: () => pickFiles(services) },
  ];
}

const installed = new WeakSet<Backend>();

/**
 * Registers the data commands and makes the whole window a drop target for data files, once per
 * backend connection; both stay for the session (a closed data tab does not take them away).
 */
export function installDataContributions(services: AppServices): void {
  if (installed.has(services.backend)) return;
  installed.add(services.backend);
  services.commands.getState().register(dataCommands(services));
  const store = importStoreFor(services.backend);
  const hasFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;
  window.addEventListener('dragover', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    store.getState().setDragging(true);
  });
  window.addEventListener('dragleave', (event) => {
    if (event.relatedTarget === null) store.getState().setDragging(false);
  });
  window.addEventListener('drop', (event) => {
    store.getState().setDragging(false);
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length === 0) return;
    event.preventDefault();
    void importFiles(services, files);
  });
}
