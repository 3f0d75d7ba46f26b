import { createStore } from 'zustand/vanilla';
import { toErrorData } from '../../../app/base/errors';
import { createPipeline, type PipelineDoc } from '../../../app/pipeline/document';
import type { PipelineOp } from '../../../app/pipeline/ops';
import { parsePipeline, serializePipeline } from '../../../app/pipeline/serialize';
import { validateGraph, type PipelineIssue } from '../../../app/pipeline/validate';
import type { CatalogItem } from '../../../app/protocol/methods/data';
import type { PipelineNodeStatus, PipelineOutput } from '../../../app/protocol/methods/pipeline';
import type { Backend } from '../../bridge/connection';
import { portsOf } from './graph-model';
import { applyRecorded, emptyHistory, redoStep, undoStep, type PipelineHistory } from './pipeline-history';

export type SaveState = 'saved' | 'dirty' | 'saving' | 'conflict' | 'error';
export type RunTarget = { mode: 'all' } | { mode: 'node'; nodeId: string } | { mode: 'upTo'; nodeId: string };
/** A column as pickers show it. */
export interface ColumnInfo { name: string; type: 'number' | 'string' }
export interface NodeProgress { done: number; total: number; message?: string }
export interface LossPoint { iteration: number; trainLoss: number; validLoss?: number }
export type OutputState = { status: 'loading' } | { status: 'ready'; output: PipelineOutput } | { status: 'error'; message: string };
/** What DuckDB says a SQL Source gives before any run: its columns, or why the query cannot run. */
export type SqlColumnsState = { status: 'loading' } | { status: 'ready'; columns: ColumnInfo[] } | { status: 'error'; message: string };

export interface PipelineState {
  path: string;
  status: 'loading' | 'ready' | 'error';
  loadError: string | null;
  doc: PipelineDoc;
  issues: PipelineIssue[];
  history: PipelineHistory;
  selected: string | null;
  save: SaveState;
  saveMessage: string | null;
  isDiskChanged: boolean;
  isRunning: boolean;
  runError: string | null;
  statuses: Record<string, PipelineNodeStatus>;
  progress: Record<string, NodeProgress>;
  loss: Record<string, LossPoint[]>;
  /** Outputs by `nodeId/port` of the last execution. */
  outputs: Record<string, OutputState>;
  /** Columns of table outputs by `nodeId/port`, from the last execution. */
  columns: Record<string, ColumnInfo[]>;
  catalog: CatalogItem[];
  /** Columns of SQL Sources by query text (trimmed, see `sqlKey`), described by the backend without a run. */
  sqlColumns: Record<string, SqlColumnsState>;

  load(): Promise<void>;
  apply(op: PipelineOp): void;
  undo(): void;
  redo(): void;
  select(nodeId: string | null): void;
  run(target: RunTarget): Promise<void>;
  cancel(): Promise<void>;
  loadOutput(nodeId: string, port: string): Promise<void>;
  saveNow(overwrite?: boolean): Promise<void>;
  reloadFromDisk(): Promise<void>;
  dispose(): void;
}

const SAVE_DELAY_MS = 500;
const DESCRIBE_DELAY_MS = 400;
const PREVIEW_ROWS = 200;
const NUMERIC = /^(tiny|small|big|hugeu?|u?)?int|^(double|float|real|decimal|numeric)/i;

/** A DuckDB column type as a picker kind. */
export function columnKind(duckType: string): 'number' | 'string' {
  return NUMERIC.test(duckType) ? 'number' : 'string';
}

/** The key of a SQL Source's query in `sqlColumns`, or null when the node is not a SQL Source with a query. */
export function sqlKey(params: Record<string, unknown>): string | null {
  const sql = params['from'] === 'sql' && typeof params['sql'] === 'string' ? params['sql'].trim().replace(/;+$/, '') : '';
  return sql === '' ? null : sql;
}

/** The key of a node port in `outputs` and `columns`. */
export function portKey(nodeId: string, port: string): string {
  return `${nodeId}/${port}`;
}

/**
 * One open pipeline: the document (edits as ops with undo/redo, validated after every op),
 * debounced autosave with a conflict check, reload when the file changes on disk, runs with
 * per-node status and progress from the backend's events, and node outputs for the panel.
 */
export function createPipelineStore(backend: Backend, path: string) {
  let savedHash: string | undefined;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let describeTimer: ReturnType<typeof setTimeout> | undefined;
  let controller: AbortController | undefined;
  const unsubscribe: Array<() => void> = [];

  return createStore<PipelineState>()((set, get) => {
    /** Asks the backend for the columns of every SQL Source query not yet described (typing pauses first). */
    const describeSources = (delay = DESCRIBE_DELAY_MS) => {
      clearTimeout(describeTimer);
      describeTimer = setTimeout(() => {
        for (const node of get().doc.nodes) {
          const sql = node.kind === 'source' ? sqlKey(node.params) : null;
          if (sql === null || get().sqlColumns[sql]) continue;
          const settle = (state: SqlColumnsState) => set({ sqlColumns: { ...get().sqlColumns, [sql]: state } });
          settle({ status: 'loading' });
          backend.call('pipeline.describeSql', { sql }).then(
            ({ columns }) => settle({ status: 'ready', columns }),
            (error: unknown) => settle({ status: 'error', message: toErrorData(error).message }),
          );
        }
      }, delay);
    };

    const setDoc = (doc: PipelineDoc, history: PipelineHistory) => {
      set({ doc, history, issues: validateGraph(doc), save: 'dirty' });
      clearTimeout(saveTimer);
      saveTimer = setTimeout(() => void get().saveNow(), SAVE_DELAY_MS);
      describeSources();
    };

    const readDisk = async () => {
      const file = await backend.call('fs.readText', { path });
      return { doc: parsePipeline(file.text), hash: file.hash };
    };

    /** Columns of every table output of the last execution (cheap: zero preview rows). */
    const refreshColumns = async () => {
      const columns: Record<string, ColumnInfo[]> = {};
      await Promise.all(get().doc.nodes.flatMap((node) => portsOf(node, 'outputs').filter((p) => p.type === 'table').map(async (p) => {
        const out = await backend.call('pipeline.output', { path, nodeId: node.id, port: p.name, limit: 0 }).catch(() => undefined);
        if (out?.kind === 'table') columns[portKey(node.id, p.name)] = out.columns;
      })));
      set({ columns });
    };

    const listen = () => {
      const mine = <T extends { path: string }>(fn: (e: T) => void) => (e: T) => { if (e.path === path) fn(e); };
      unsubscribe.push(backend.on('pipeline.nodeStatus', mine(({ status }) => set({ statuses: { ...get().statuses, [status.nodeId]: status } }))));
      unsubscribe.push(backend.on('pipeline.nodeProgress', mine((e) => {
        const progress = { ...get().progress, [e.nodeId]: { done: e.done, total: e.total, ...(e.message ? { message: e.message } : {}) } };
        set(e.step ? { progress, loss: { ...get().loss, [e.nodeId]: [...(get().loss[e.nodeId] ?? []), e.step] } } : { progress });
      })));
      const loadCatalog = () => backend.call('data.catalog', {}).then((c) => set({ catalog: c.items }), () => undefined);
      void loadCatalog();
      // Datasets changed: their columns may have too, and a query that failed may now run.
      unsubscribe.push(backend.on('data.catalogChanged', () => { void loadCatalog(); set({ sqlColumns: {} }); describeSources(0); }));
      unsubscribe.push(backend.on('workspace.changed', ({ paths }) => { if (paths.includes(path)) void onDiskChange(); }));
    };

    async function onDiskChange(): Promise<void> {
      const file = await backend.call('fs.readText', { path }).catch(() => undefined);
      if (!file || file.hash === savedHash) return;
      if (get().save === 'saved') await get().reloadFromDisk();
      else set({ isDiskChanged: true });
    }

    return {
      path,
      status: 'loading',
      loadError: null,
      doc: createPipeline('pipeline', ''),
      issues: [],
      history: emptyHistory(),
      selected: null,
      save: 'saved',
      saveMessage: null,
      isDiskChanged: false,
      isRunning: false,
      runError: null,
      statuses: {},
      progress: {},
      loss: {},
      outputs: {},
      columns: {},
      catalog: [],
      sqlColumns: {},

      async load() {
        try {
          const { doc, hash } = await readDisk();
          savedHash = hash;
          set({ doc, issues: validateGraph(doc), status: 'ready' });
          describeSources(0);
        } catch (error) {
          set({ status: 'error', loadError: toErrorData(error).message });
          return;
        }
        listen();
        const last = await backend.call('pipeline.status', { path }).catch(() => undefined);
        if (last && last.statuses.length > 0) {
          set({ statuses: Object.fromEntries(last.statuses.map((s) => [s.nodeId, s])), isRunning: last.running });
          void refreshColumns();
        }
      },

      apply(op) {
        try {
          const { doc, history } = applyRecorded(get().doc, get().history, op, Date.now());
          setDoc(doc, history);
        } catch (error) {
          set({ runError: toErrorData(error).message });
        }
      },

      undo() {
        const step = undoStep(get().doc, get().history);
        if (step) setDoc(step.doc, step.history);
      },

      redo() {
        const step = redoStep(get().doc, get().history);
        if (step) setDoc(step.doc, step.history);
      },

      select(nodeId) {
        if (get().selected !== nodeId) set({ selected: nodeId });
      },

      async run(target) {
        if (get().isRunning) return;
        controller = new AbortController();
        const ids = target.mode === 'all' ? get().doc.nodes.map((n) => n.id) : [target.nodeId];
        const loss = { ...get().loss };
        for (const id of ids) delete loss[id];
        set({ isRunning: true, runError: null, progress: {}, loss, statuses: target.mode === 'all' ? {} : get().statuses });
        try {
          const result = await backend.call('pipeline.run', { path, text: serializePipeline(get().doc), target }, { signal: controller.signal });
          set({ statuses: { ...get().statuses, ...Object.fromEntries(result.statuses.map((s) => [s.nodeId, s])) } });
        } catch (error) {
          const data = toErrorData(error);
          if (data.name !== 'CancelledError') set({ runError: data.message });
        } finally {
          controller = undefined;
          set({ isRunning: false, outputs: {} });
          await refreshColumns();
        }
      },

      async cancel() {
        controller?.abort();
        await backend.call('pipeline.cancel', { path }).catch(() => undefined);
      },

      async loadOutput(nodeId, port) {
        const key = portKey(nodeId, port);
        set({ outputs: { ...get().outputs, [key]: { status: 'loading' } } });
        try {
          const output = await backend.call('pipeline.output', { path, nodeId, port, limit: PREVIEW_ROWS });
          set({ outputs: { ...get().outputs, [key]: { status: 'ready', output } } });
        } catch (error) {
          set({ outputs: { ...get().outputs, [key]: { status: 'error', message: toErrorData(error).message } } });
        }
      },

      async saveNow(overwrite = false) {
        clearTimeout(saveTimer);
        if (get().save === 'saved' || (get().save === 'conflict' && !overwrite)) return;
        const text = serializePipeline(get().doc);
        set({ save: 'saving' });
        try {
          const result = await backend.call('fs.writeText', { path, text, ...(overwrite || savedHash === undefined ? {} : { expectedHash: savedHash }) });
          savedHash = result.hash;
          set({ save: serializePipeline(get().doc) === text ? 'saved' : 'dirty', saveMessage: null, isDiskChanged: false });
        } catch (error) {
          const data = toErrorData(error);
          set({ save: data.code === 'conflict' ? 'conflict' : 'error', saveMessage: data.message });
        }
      },

      async reloadFromDisk() {
        try {
          const { doc, hash } = await readDisk();
          savedHash = hash;
          set({ doc, issues: validateGraph(doc), history: emptyHistory(), save: 'saved', saveMessage: null, isDiskChanged: false });
          describeSources(0);
        } catch (error) {
          set({ save: 'error', saveMessage: toErrorData(error).message });
        }
      },

      dispose() {
        clearTimeout(saveTimer);
        clearTimeout(describeTimer);
        if (get().save === 'dirty') void get().saveNow();
        unsubscribe.forEach((u) => u());
        unsubscribe.length = 0;
      },
    };
  });
}

export type PipelineStore = ReturnType<typeof createPipelineStore>;
