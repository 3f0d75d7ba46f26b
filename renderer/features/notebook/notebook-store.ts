import { createStore } from 'zustand/vanilla';
import { toErrorData } from '../../../app/base/errors';
import { asId, type CellId } from '../../../app/base/ids';
import { computeCellKeys } from '../../../app/notebook/cache-key';
import { parseNotebook, serializeNotebook } from '../../../app/notebook/format';
import { buildGraph, type NotebookGraph } from '../../../app/notebook/graph';
import { applyAndRecord, createHistory, redo, undo, type NotebookHistory } from '../../../app/notebook/history';
import type { NotebookOp } from '../../../app/notebook/ops';
import type { RunMode } from '../../../app/notebook/scheduler';
import { cellTableName } from '../../../app/notebook/sql-run';
import type { CellKind, NotebookCell, NotebookDoc } from '../../../app/notebook/types';
import type { CatalogItem } from '../../../app/protocol/methods/data';
import type { Backend } from '../../bridge/connection';
import { parseCached } from './cell-output';
import { executeRun } from './execute-run';
import { dataSets, SessionValues, type CellRun } from './run-state';

export type SaveState = 'saved' | 'dirty' | 'saving' | 'conflict' | 'error';

export interface NotebookState {
  path: string;
  status: 'loading' | 'ready' | 'error';
  loadError: string | null;
  doc: NotebookDoc;
  graph: NotebookGraph;
  keys: Record<CellId, string | undefined>;
  history: NotebookHistory;
  runs: Record<CellId, CellRun>;
  isRunning: boolean;
  selected: CellId | null;
  editing: CellId | null;
  save: SaveState;
  saveMessage: string | null;
  /** The file changed on disk while this notebook had unsaved edits: the user decides. */
  isDiskChanged: boolean;
  catalog: CatalogItem[];

  /** The live value a cell has this session for its current key (JS objects, DOM nodes, tables). */
  liveValue(id: CellId): unknown;
  load(): Promise<void>;
  apply(op: NotebookOp): void;
  undo(): void;
  redo(): void;
  select(id: CellId | null): void;
  setEditing(id: CellId | null): void;
  insertCell(index: number, kind: CellKind, source?: string, name?: string): CellId;
  run(ids: readonly CellId[], mode: RunMode): Promise<void>;
  /** Runs the cells that have no output at all (first open, cells changed on disk), so prose and charts show. */
  runMissing(): Promise<void>;
  interrupt(): void;
  setInputValue(id: CellId, value: string): void;
  saveNow(overwrite?: boolean): Promise<void>;
  reloadFromDisk(): Promise<void>;
  dispose(): void;
}

const SAVE_DELAY_MS = 600;
const empty: NotebookDoc = { cells: [] };

/**
 * One open notebook: the document (edits as ops with undo/redo), its graph and cache keys, the
 * outputs of its cells, reactive runs, autosave with conflict detection, and reload when another
 * program changes the file.
 */
export function createNotebookStore(backend: Backend, path: string) {
  const session = new SessionValues();
  let fingerprints: Record<string, string> = {};
  let savedHash: string | undefined;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let controller: AbortController | undefined;
  let newIds = 0;
  const unsubscribe: Array<() => void> = [];

  return createStore<NotebookState>()((set, get) => {
    const keysOf = (doc: NotebookDoc, graph: NotebookGraph) => computeCellKeys(doc, graph, fingerprints);

    /** Shows, for cells whose key changed, any output this session already has for the new key. */
    const withKnownOutputs = (keys: Record<CellId, string | undefined>, runs: Record<CellId, CellRun>): Record<CellId, CellRun> => {
      const next = { ...runs };
      for (const [id, key] of Object.entries(keys)) {
        const cellId = asId<CellId>(id);
        if (key === undefined || next[cellId]?.key === key) continue;
        const known = session.output(key);
        if (known) next[cellId] = { status: 'ok', output: known.output, key, ms: known.ms, isCached: true };
      }
      return next;
    };

    const setDoc = (doc: NotebookDoc, history: NotebookHistory) => {
      const graph = buildGraph(doc);
      const keys = keysOf(doc, graph);
      set({ doc, history, graph, keys, runs: withKnownOutputs(keys, get().runs), save: 'dirty' });
      scheduleSave();
      void refreshFingerprints();
    };

    const refreshFingerprints = async () => {
      const { files, tables } = dataSets(get().graph);
      const missing = { files: files.filter((f) => !(f in fingerprints)), tables: tables.filter((t) => !(t in fingerprints)) };
      if (missing.files.length + missing.tables.length === 0) return;
      const result = await backend.call('notebook.fingerprints', missing).catch(() => undefined);
      if (!result) return;
      fingerprints = { ...fingerprints, ...result.fingerprints };
      const keys = keysOf(get().doc, get().graph);
      set({ keys, runs: withKnownOutputs(keys, get().runs) });
    };

    const scheduleSave = () => {
      clearTimeout(saveTimer);
      saveTimer = setTimeout(() => void get().saveNow(), SAVE_DELAY_MS);
    };

    /** Reads cached outputs and current tables for the doc's keys (opening, reloading). */
    const restoreOutputs = async () => {
      const { keys, doc } = get();
      const wanted = Object.values(keys).filter((k): k is string => k !== undefined);
      const [cached, current] = await Promise.all([
        backend.call('notebook.cacheRead', { keys: wanted }).catch(() => ({ entries: [] })),
        backend.call('notebook.current', { path, tables: sqlTableKeys(doc, keys) }).catch(() => ({ tables: [] })),
      ]);
      for (const entry of cached.entries) {
        const parsed = parseCached(entry.output);
        if (parsed) session.setCachedOutput(entry.key, parsed.output, parsed.ms);
      }
      for (const table of current.tables) {
        const key = sqlTableKeys(doc, keys)[table.table];
        if (key === undefined) continue;
        const value = { kind: 'table' as const, relation: table.relation, columns: table.columns, rowCount: table.rowCount };
        session.setTable(key, value, value);
      }
      set({ runs: withKnownOutputs(keys, {}) });
    };

    const readDisk = async (): Promise<{ doc: NotebookDoc; hash: string }> => {
      const file = await backend.call('fs.readText', { path });
      return { doc: parseNotebook(file.text), hash: file.hash };
    };

    return {
      path,
      status: 'loading',
      loadError: null,
      doc: empty,
      graph: buildGraph(empty),
      keys: {},
      history: createHistory(),
      runs: {},
      isRunning: false,
      selected: null,
      editing: null,
      save: 'saved',
      saveMessage: null,
      isDiskChanged: false,
      catalog: [],

      liveValue(id) {
        const value = session.value(get().keys[id]);
        if (value === undefined) return undefined;
        return value.kind === 'js' ? value.value : value;
      },

      async load() {
        try {
          const { doc, hash } = await readDisk();
          savedHash = hash;
          const graph = buildGraph(doc);
          set({ doc, graph, keys: keysOf(doc, graph), status: 'ready', selected: doc.cells[0]?.id ?? null });
          await refreshFingerprints();
          await restoreOutputs();
        } catch (error) {
          set({ status: 'error', loadError: toErrorData(error).message });
          return;
        }
        const loadCatalog = () => backend.call('data.catalog', {}).then((c) => set({ catalog: c.items }), () => undefined);
        void loadCatalog();
        unsubscribe.push(backend.on('data.catalogChanged', () => void loadCatalog()));
        unsubscribe.push(backend.on('workspace.changed', ({ paths }) => {
          if (paths.includes(path)) void onDiskChange();
          if (paths.some((p) => p.startsWith('data/'))) { fingerprints = {}; void refreshFingerprints(); }
        }));
      },

      apply(op) {
        const { doc, history } = applyAndRecord(get().doc, get().history, op, Date.now());
        setDoc(doc, history);
      },

      undo() {
        const step = undo(get().history, get().doc);
        if (step) setDoc(step.doc, step.history);
      },

      redo() {
        const step = redo(get().history, get().doc);
        if (step) setDoc(step.doc, step.history);
      },

      select(id) {
        set({ selected: id });
      },

      setEditing(id) {
        const left = get().doc.cells.find((c) => c.id === get().editing);
        set({ editing: id, ...(id ? { selected: id } : {}) });
        // leaving a Markdown cell renders it, as in Jupyter
        if (left?.kind === 'markdown' && left.id !== id && get().runs[left.id]?.key !== get().keys[left.id]) void get().run([left.id], 'cell');
      },

      insertCell(index, kind, source = '', name) {
        const id = asId<CellId>(`new-${++newIds}`);
        const cell: NotebookCell = { id, kind, ...(name ? { name } : {}), options: kind === 'input' ? { type: 'slider', min: '0', max: '100', step: '1', value: '50' } : {}, source };
        get().apply({ type: 'insertCell', index, cell });
        set({ selected: id });
        return id;
      },

      async run(ids, mode) {
        controller?.abort();
        const mine = new AbortController();
        controller = mine;
        await refreshFingerprints();
        set({ isRunning: true });
        try {
          await executeRun({ backend, path, session, get, set, signal: mine.signal }, ids, mode);
        } finally {
          if (controller === mine) set({ isRunning: false });
        }
      },

      async runMissing() {
        const { doc, runs, status } = get();
        if (status !== 'ready') return;
        const missing = doc.cells.filter((c) => c.kind !== 'foreign' && !runs[c.id]?.output).map((c) => c.id);
        if (missing.length > 0) await get().run(missing, 'stale');
      },

      interrupt() {
        controller?.abort();
      },

      setInputValue(id, value) {
        const cell = get().doc.cells.find((c) => c.id === id);
        if (!cell || cell.options['value'] === value) return;
        get().apply({ type: 'setOptions', id, options: { ...cell.options, value } });
        void get().run([id], 'cell');
      },

      async saveNow(overwrite = false) {
        clearTimeout(saveTimer);
        if (get().save === 'saved' || (get().save === 'conflict' && !overwrite)) return;
        const text = serializeNotebook(get().doc);
        set({ save: 'saving' });
        try {
          const result = await backend.call('fs.writeText', { path, text, ...(overwrite || savedHash === undefined ? {} : { expectedHash: savedHash }) });
          savedHash = result.hash;
          // edits made while saving keep the notebook dirty
          set({ save: serializeNotebook(get().doc) === text ? 'saved' : 'dirty', saveMessage: null, isDiskChanged: false });
        } catch (error) {
          const data = toErrorData(error);
          set({ save: data.code === 'conflict' ? 'conflict' : 'error', saveMessage: data.message });
        }
      },

      async reloadFromDisk() {
        const { doc, hash } = await readDisk();
        savedHash = hash;
        const graph = buildGraph(doc);
        set({ doc, graph, keys: keysOf(doc, graph), history: createHistory(), save: 'saved', saveMessage: null, isDiskChanged: false });
        await refreshFingerprints();
        await restoreOutputs();
        await get().runMissing();
      },

      dispose() {
        clearTimeout(saveTimer);
        if (get().save === 'dirty') void get().saveNow();
        controller?.abort();
        unsubscribe.forEach((u) => u());
      },
    };

    async function onDiskChange(): Promise<void> {
      const file = await backend.call('fs.readText', { path }).catch(() => undefined);
      if (!file || file.hash === savedHash) return;
      if (get().save === 'saved') await get().reloadFromDisk();
      else set({ isDiskChanged: true });
    }
  });
}

/** Table name → key of every SQL cell with a key (what `notebook.current` checks). */
function sqlTableKeys(doc: NotebookDoc, keys: Record<CellId, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const cell of doc.cells) {
    const key = keys[cell.id];
    if (cell.kind === 'sql' && key !== undefined) out[cellTableName(cell)] = key;
  }
  return out;
}

export type NotebookStore = ReturnType<typeof createNotebookStore>;
