import { createStore } from 'zustand/vanilla';
import { recordOps } from '../../../app/labels/log';
import { emptyLabelSet, type LabelSetState } from '../../../app/labels/model';
import { applyLabelOp, type LabelOp } from '../../../app/labels/ops';
import { addSpanOps, docLabel, inverseOp, setDocClassOp, snapSelection } from '../../../app/labels/text/spans';
import type { TextLf } from '../../../app/labels/text/lf-file';
import type { LfAnalysisResult, ModelInfo, TextDoc, TextLabelOp, TextSetMeta, TextSetVersion } from '../../../app/protocol/methods/text-labels';
import type { Backend } from '../../bridge/connection';

/** Active-learning ordering of the queue. */
export type Strategy = 'leastConfident' | 'margin' | 'entropy' | 'voteEntropy';

/** State of one open text label set in the panel. */
export interface TextState {
  status: 'loading' | 'ready' | 'error';
  error?: string;
  meta?: TextSetMeta;
  rows: number;
  labels: LabelSetState;
  /** Queue rows in the order the backend gave them. */
  order: number[];
  /** Index into `order` of the shown document. */
  cursor: number;
  docs: Record<number, TextDoc>;
  model: ModelInfo | null;
  strategy: Strategy;
  /** Model labels the queue was ordered by (changes after each retrain). */
  queueTrainedOn: number;
  undo: LabelOp[][];
  redo: LabelOp[][];
  lfs: TextLf[];
  analysis?: LfAnalysisResult;
  labelModel?: { table: string; kept: number; majorityAccuracy?: number; labelModelAccuracy?: number; labelSetVersion: string };
  /** The last saved version of the set, and whether the labels changed since (or were never saved). */
  saved?: TextSetVersion;
  unsaved: boolean;
  busy: string | null;
  load(): Promise<void>;
  loadQueue(): Promise<void>;
  current(): TextDoc | undefined;
  go(delta: number): void;
  pressKey(key: number, selection: { start: number; end: number } | null): void;
  acceptAndNext(): void;
  deleteLabel(id: string): void;
  undoLast(): void;
  redoLast(): void;
  setStrategy(strategy: Strategy): void;
  retrain(): Promise<void>;
  analyze(): Promise<void>;
  saveLfs(lfs: TextLf[]): Promise<void>;
  fitLabelModel(): Promise<void>;
  /** Records the current labels as a version (after the edits already sent); resolves with its id. */
  saveVersion(): Promise<string | undefined>;
}

let counter = 0;
/** A fresh label id: time-ordered and unique within this page. */
function newId(): string {
  counter += 1;
  return `t${Date.now().toString(36)}${counter.toString(36)}`;
}

function asWire(op: LabelOp): TextLabelOp | null {
  if (op.op === 'add' || op.op === 'update') return op.label.kind === 'doc' ? { op: op.op, label: { ...op.label, labels: [...op.label.labels] } } : op.label.kind === 'span' ? { op: op.op, label: op.label } : null;
  if (op.op === 'delete') return op;
  return null;
}

/** The text panel's store over the backend's `textLabels.*` methods. */
export function createTextStore(backend: Backend, name: string, notify: (kind: 'error' | 'success' | 'info', text: string) => void) {
  return createStore<TextState>()((set, get) => {
    const fetchDocs = async (rows: number[]) => {
      const missing = rows.filter((r) => !get().docs[r]);
      if (missing.length === 0) return;
      const { docs } = await backend.call('textLabels.docs', { name, rows: missing.slice(0, 1000) });
      set({ docs: { ...get().docs, ...Object.fromEntries(docs.map((d) => [d.row, d])) } });
    };
    const refreshDocs = async () => {
      const rows = Object.keys(get().docs).map(Number);
      set({ docs: {} });
      await fetchDocs(rows);
    };
    /** Edits sent but not yet acknowledged: a version is saved only after them. */
    let inflight: Promise<unknown> = Promise.resolve();
    const loadVersions = async () => {
      const v = await backend.call('textLabels.versions', { name }).catch(() => undefined);
      const last = v?.items.at(-1);
      set({ ...(last ? { saved: last } : {}), unsaved: v !== undefined && last?.version !== v.current });
    };
    /** Applies ops locally (pure), then durably on the backend; a failure reloads the set. */
    const commit = (ops: LabelOp[], history: 'do' | 'undo' | 'redo') => {
      if (ops.length === 0) return;
      let state = get().labels;
      const inverse: LabelOp[] = [];
      for (const op of ops) {
        const inv = inverseOp(state, op);
        if (inv) inverse.unshift(inv);
        state = applyLabelOp(state, op);
      }
      const undo = history === 'undo' ? get().undo.slice(0, -1) : [...get().undo, inverse];
      const redo = history === 'undo' ? [...get().redo, inverse] : history === 'redo' ? get().redo.slice(0, -1) : [];
      set({ labels: state, undo, redo, unsaved: true });
      const wire = ops.map(asWire).filter((o): o is TextLabelOp => o !== null);
      const sent = backend.call('textLabels.apply', { name, ops: wire });
      inflight = Promise.all([inflight, sent.catch(() => undefined)]);
      void sent.then(
        (r) => r.retraining && set({ model: get().model ? { ...get().model!, training: true } : null }),
        (e: Error) => {
          notify('error', `Label not saved: ${e.message}`);
          void get().load();
        },
      );
    };
    return {
      status: 'loading',
      rows: 0,
      labels: emptyLabelSet(name, name, { target: 'text', classes: [], docMode: 'none', spanClasses: [], tokenSnap: true }),
      order: [],
      cursor: 0,
      docs: {},
      model: null,
      strategy: 'leastConfident',
      queueTrainedOn: 0,
      undo: [],
      redo: [],
      lfs: [],
      unsaved: false,
      busy: null,
      async load() {
        try {
          const opened = await backend.call('textLabels.open', { name });
          let labels = emptyLabelSet(opened.meta.id, name, { target: 'text', classes: opened.meta.classes.map((c) => c.name), docMode: opened.meta.docMode, spanClasses: opened.meta.spanClasses.map((c) => c.name), tokenSnap: opened.meta.tokenSnap });
          // One batch: a CoNLL-imported set holds thousands of spans, and op-by-op copying is quadratic.
          labels = recordOps(labels, opened.labels.map((label) => ({ op: 'add' as const, label }))).state;
          set({ status: 'ready', meta: opened.meta, rows: opened.rows, labels, model: opened.model, undo: [], redo: [] });
          await loadVersions();
          await get().loadQueue();
          if (opened.meta.docMode !== 'none' && !opened.meta.source.file?.endsWith('.conll')) {
            const lfs = await backend.call('textLabels.lfs', { name }).catch(() => undefined);
            if (lfs) set({ lfs: lfs.lfs });
          }
        } catch (error) {
          set({ status: 'error', error: (error as Error).message });
        }
      },
      async loadQueue() {
        const q = await backend.call('textLabels.queue', { name, strategy: get().strategy, limit: 200 });
        const order = q.entries.map((e) => e.row);
        // A newer model means new pre-annotations: drop the cached documents.
        if (q.trainedOn !== get().queueTrainedOn) set({ docs: {} });
        set({ order, cursor: 0, queueTrainedOn: q.trainedOn });
        await fetchDocs(order.slice(0, 200));
      },
      current() {
        const s = get();
        const row = s.order[s.cursor];
        return row === undefined ? undefined : s.docs[row];
      },
      go(delta) {
        const s = get();
        set({ cursor: Math.max(0, Math.min(s.order.length - 1, s.cursor + delta)) });
      },
      pressKey(key, selection) {
        const s = get();
        const doc = s.current();
        const meta = s.meta;
        if (!doc || !meta) return;
        const spanClass = meta.spanClasses.find((c) => c.key === key);
        if (selection && spanClass) {
          const snapped = snapSelection(doc.text, selection.start, selection.end, meta.tokenSnap ? 'token' : 'char');
          if (snapped) commit(addSpanOps(s.labels, { kind: 'span', id: newId(), doc: doc.doc, ...snapped, label: spanClass.name }, meta.allowOverlap), 'do');
          return;
        }
        const cls = meta.classes.find((c) => c.key === key);
        if (!cls || meta.docMode === 'none') return;
        const op = setDocClassOp(s.labels, doc.doc, cls.name, meta.docMode, newId());
        if (op) commit([op], 'do');
      },
      acceptAndNext() {
        const s = get();
        const doc = s.current();
        if (doc && s.meta && s.meta.docMode !== 'none' && !docLabel(s.labels, doc.doc)) {
          const pre = doc.predictions.find((p) => p.source === 'model') ?? doc.predictions[0];
          if (pre) commit([{ op: 'add', label: { kind: 'doc', id: newId(), doc: doc.doc, labels: [pre.label] } }], 'do');
        }
        if (doc && s.meta && s.meta.spanClasses.length > 0 && doc.fileSpans) {
          const have = Object.values(get().labels.labels).some((l) => l.kind === 'span' && l.doc === doc.doc);
          if (!have) commit(doc.fileSpans.map((sp): LabelOp => ({ op: 'add', label: { kind: 'span', id: newId(), doc: doc.doc, ...sp } })), 'do');
        }
        get().go(1);
      },
      deleteLabel(id) {
        if (get().labels.labels[id]) commit([{ op: 'delete', id }], 'do');
      },
      undoLast() {
        const last = get().undo.at(-1);
        if (last) commit(last, 'undo');
      },
      redoLast() {
        const last = get().redo.at(-1);
        if (last) commit(last, 'redo');
      },
      setStrategy(strategy) {
        set({ strategy });
        void get().loadQueue();
      },
      async retrain() {
        set({ busy: 'Training the model…' });
        try {
          const model = await backend.call('textLabels.retrain', { name });
          set({ model });
          if (model.error) notify('error', model.error);
          await refreshDocs();
          await get().loadQueue();
        } finally {
          set({ busy: null });
        }
      },
      async analyze() {
        set({ busy: 'Running the labeling functions…' });
        try {
          set({ analysis: await backend.call('textLabels.analyze', { name }) });
        } catch (error) {
          notify('error', (error as Error).message);
        } finally {
          set({ busy: null });
        }
      },
      async saveLfs(lfs) {
        await backend.call('textLabels.saveLfs', { name, lfs });
        set({ lfs });
        await get().analyze();
      },
      async fitLabelModel() {
        set({ busy: 'Fitting the label model…' });
        try {
          const r = await backend.call('textLabels.labelModel', { name });
          set({ analysis: r.analysis, labelModel: { table: r.table, kept: r.kept, labelSetVersion: r.labelSetVersion, ...(r.majorityAccuracy !== undefined ? { majorityAccuracy: r.majorityAccuracy } : {}), ...(r.labelModelAccuracy !== undefined ? { labelModelAccuracy: r.labelModelAccuracy } : {}) } });
          await refreshDocs();
          await loadVersions();
          notify('success', `Wrote ${r.kept.toLocaleString()} labelled rows to table ${r.table}.`);
        } catch (error) {
          notify('error', (error as Error).message);
        } finally {
          set({ busy: null });
        }
      },
      async saveVersion() {
        await inflight;
        try {
          const r = await backend.call('textLabels.saveVersion', { name });
          set({ saved: { version: r.version, seq: r.seq, savedAt: Date.now() }, unsaved: false });
          notify('success', `Saved version ${r.version.slice(0, 19)}…`);
          return r.version;
        } catch (error) {
          notify('error', `Version not saved: ${(error as Error).message}`);
          return undefined;
        }
      },
    };
  });
}

/** The store type. */
export type TextStore = ReturnType<typeof createTextStore>;
