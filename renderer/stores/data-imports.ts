import { createStore } from 'zustand/vanilla';
import type { CatalogItem } from '../../app/protocol/methods/data';

/** One running or finished import, as the progress panel shows it. */
export interface ImportJob {
  id: number;
  /** The file being imported, as the user knows it. */
  label: string;
  status: 'running' | 'done' | 'failed' | 'cancelled';
  /** Bytes read and total bytes (0 when unknown). */
  done: number;
  total: number;
  message: string | null;
  result: CatalogItem | null;
}

/** The work of one import: gets the job's cancel signal and progress sink. */
export type ImportWork = (signal: AbortSignal, onProgress: (p: { done: number; total: number }) => void) => Promise<CatalogItem>;

export interface ImportState {
  jobs: ImportJob[];
  /** Files are being dragged over the window (the drop target shows itself). */
  dragging: boolean;
  setDragging(dragging: boolean): void;
  /**
   * Starts `work` as a tracked job: progress updates the job, `cancel(id)` aborts its signal.
   * `finished` resolves with the job when it ends (never rejects: a failure is a 'failed' job).
   */
  start(label: string, work: ImportWork): { id: number; finished: Promise<ImportJob> };
  cancel(id: number): void;
  dismiss(id: number): void;
}

/** Imports in flight and recently finished, shared by drag-and-drop, the file dialog and dataset views. */
export function createImportStore() {
  let nextId = 0;
  const controllers = new Map<number, AbortController>();
  return createStore<ImportState>()((set, get) => {
    const update = (id: number, patch: Partial<ImportJob>) => set({ jobs: get().jobs.map((j) => (j.id === id ? { ...j, ...patch } : j)) });
    return {
      jobs: [],
      dragging: false,
      setDragging(dragging) {
        if (get().dragging !== dragging) set({ dragging });
      },
      start(label, work) {
        const id = ++nextId;
        const controller = new AbortController();
        controllers.set(id, controller);
        set({ jobs: [...get().jobs, { id, label, status: 'running', done: 0, total: 0, message: null, result: null }] });
        const finished = work(controller.signal, (p) => update(id, { done: p.done, total: p.total })).then(
          (result) => update(id, { status: 'done', result, done: 1, total: 1 }),
          (error: Error) => {
            const cancelled = controller.signal.aborted;
            update(id, { status: cancelled ? 'cancelled' : 'failed', message: cancelled ? 'Import cancelled.' : error.message });
          },
        ).then(() => {
          controllers.delete(id);
          return get().jobs.find((j) => j.id === id)!;
        });
        return { id, finished };
      },
      cancel(id) {
        controllers.get(id)?.abort();
      },
      dismiss(id) {
        set({ jobs: get().jobs.filter((j) => j.id !== id) });
      },
    };
  });
}

export type ImportStore = ReturnType<typeof createImportStore>;
