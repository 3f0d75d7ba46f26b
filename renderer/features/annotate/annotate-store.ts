import { createStore } from 'zustand/vanilla';
import { emptyLabelSet, type Label, type LabelSetState, type Suggestion } from '../../../app/labels/model';
import { applyLabelOp, type LabelOp } from '../../../app/labels/ops';
import type { LabelSetMeta, ReviewProgress } from '../../../app/protocol/methods/labels';
import type { Backend } from '../../bridge/connection';
import { inverseOf } from './history';
import { createOpQueue, type QueuedOp, type QueueStatus } from './op-queue';
import { clampViewport, focusOn, type Extent, type Viewport } from './viewport';

/** The series extent as the backend reports it. */
export interface SeriesExtent {
  readonly from: number;
  readonly to: number;
  readonly rows: number;
  readonly timeKind: 'timestamp' | 'number';
}

/** A time-series label (range or point) — the only kinds the annotator shows. */
export type SeriesLabel = Extract<Label, { kind: 'range' | 'point' }>;

export interface AnnotateState {
  status: 'loading' | 'ready' | 'error';
  error: string | null;
  meta: LabelSetMeta | null;
  extent: SeriesExtent | null;
  labels: LabelSetState;
  /** Highest seq the backend acknowledged (on disk). */
  ackedSeq: number;
  queue: QueueStatus;
  progress: ReviewProgress;
  viewport: Viewport;
  selection: string | null;
  activeClass: string;
  /** Start of a range being made with the keyboard (`[`), in x units. */
  markStart: number | null;
  /** The keyboard/mouse cursor (x units). */
  cursor: number | null;
  undo: LabelOp[][];
  redo: LabelOp[][];

  load(): Promise<void>;
  edit(op: LabelOp): boolean;
  undoLast(): void;
  redoLast(): void;
  setViewport(v: Viewport): void;
  select(id: string | null, focus?: boolean): void;
  setActiveClass(name: string): void;
  setMark(x: number | null): void;
  setCursor(x: number | null): void;
  /** A detector's run in flight: its name and progress (rows scored of total). */
  suggesting: { detector: string; done: number; total: number } | null;
  suggest(request?: SuggestRequest): Promise<void>;
  cancelSuggest(): void;
  /** Runs and .onnx files whose model outputs a score (for the detector picker). */
  scoreModels(): Promise<Array<{ ref: string; name: string; kind: 'run' | 'file' }>>;
  markReviewed(): Promise<void>;
  saveVersion(): Promise<string>;
}

/** Which detector proposes suggestions: z-score, isolation forest, or a run/.onnx model (`model` = its ref). */
export interface SuggestRequest {
  readonly detector: 'zscore' | 'isolationForest' | 'model';
  readonly model?: string;
  readonly quantile?: number;
}

const NO_PROGRESS: ReviewProgress = { reviewedFraction: 0, openSuggestions: 0, resolvedSuggestions: 0 };

/** The extent used to clamp zoom/pan: at least ~4 samples wide at full zoom. */
export function extentOf(e: SeriesExtent): Extent {
  const span = Math.max(e.to - e.from, 1);
  return { from: e.from, to: e.to, minSpan: Math.max((span / Math.max(e.rows, 1)) * 4, 1e-9) };
}

/** Start and end (x units) of a label or suggestion. */
export function spanOf(label: Label): { start: number; end: number } {
  if (label.kind === 'point') return { start: label.at, end: label.at };
  if (label.kind === 'range') return { start: label.start, end: label.end };
  return { start: 0, end: 0 };
}

/** Labels then suggestions, sorted by start: the order Tab walks. */
export function walkOrder(state: LabelSetState): Array<{ id: string; start: number; end: number }> {
  const items = [
    ...Object.values(state.labels).map((l) => ({ id: l.id, ...spanOf(l) })),
    ...Object.values(state.suggestions).map((s: Suggestion) => ({ id: s.id, ...spanOf(s.proposal) })),
  ];
  return items.sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : 1));
}

/** The annotator's store for one label set: local state applied at once, ops sent in order behind it. */
export function createAnnotateStore(backend: Backend, name: string, notify: (kind: 'error' | 'info', text: string) => void) {
  return createStore<AnnotateState>()((set, get) => {
    let suggestAbort: AbortController | undefined;
    const queue = createOpQueue(backend, name, {
      onStatus: (q) => set({ queue: q }),
      onAcked: (seq) => set({ ackedSeq: Math.max(get().ackedSeq, seq) }),
      onChange: (unsent) => {
        const id = get().meta?.id;
        if (id) saveUnsent(id, unsent);
      },
      onRejected: (error) => {
        notify('error', `An edit was refused and the label set was reloaded: ${error.message}`);
        void get().load();
      },
    });

    /** Applies ops locally and queues them; false (and nothing changes) when one does not apply. */
    const commit = (ops: readonly LabelOp[]): boolean => {
      let state = get().labels;
      const items: Array<{ op: LabelOp; baseSeq: number }> = [];
      try {
        for (const op of ops) {
          items.push({ op, baseSeq: state.seq });
          state = applyLabelOp(state, op);
        }
      } catch (error) {
        notify('error', (error as Error).message);
        return false;
      }
      set({ labels: state });
      for (const item of items) queue.push(item.op, item.baseSeq);
      return true;
    };

    return {
      status: 'loading',
      error: null,
      meta: null,
      extent: null,
      labels: emptyLabelSet(name, name, { target: 'timeseries', classes: [] }),
      ackedSeq: 0,
      queue: { pending: 0, offline: false },
      progress: NO_PROGRESS,
      viewport: { from: 0, to: 1 },
      selection: null,
      activeClass: '',
      markStart: null,
      cursor: null,
      undo: [],
      redo: [],

      async load() {
        try {
          const r = await backend.call('labels.open', { name });
          const base = emptyLabelSet(r.meta.id, r.meta.name, { target: 'timeseries', classes: r.meta.classes.map((c) => c.name) });
          const labels: LabelSetState = {
            ...base,
            seq: r.seq,
            labels: Object.fromEntries(r.labels.map((l) => [l.id, l])),
            suggestions: Object.fromEntries(r.suggestions.map((s) => [s.id, s])),
          };
          const first = get().status === 'loading';
          const view = first ? { from: r.extent.from, to: r.extent.to > r.extent.from ? r.extent.to : r.extent.from + 1 } : get().viewport;
          const restored = first ? restoreUnsent(r.meta.id, labels, (text) => notify('error', text)) : { state: labels, ops: [] };
          set({
            status: 'ready',
            meta: r.meta,
            extent: r.extent,
            labels: restored.state,
            ackedSeq: r.seq,
            progress: r.progress,
            viewport: clampViewport(view, extentOf(r.extent)),
            activeClass: get().activeClass || r.meta.classes[0]!.name,
            undo: first ? [] : get().undo,
            redo: first ? [] : get().redo,
          });
          for (const item of restored.ops) queue.push(item.op, item.baseSeq);
        } catch (error) {
          set({ status: 'error', error: (error as Error).message });
        }
      },

      edit(op) {
        const before = get().labels;
        if (!commit([op])) return false;
        const inverse = inverseOf(before, op);
        set({ undo: inverse ? [...get().undo.slice(-199), [op, ...inverse]] : [], redo: [] });
        return true;
      },

      undoLast() {
        const entry = get().undo.at(-1);
        if (!entry) return;
        const [forward, ...inverse] = entry;
        if (commit(inverse)) set({ undo: get().undo.slice(0, -1), redo: [...get().redo, [forward!, ...inverse]], selection: null });
      },

      redoLast() {
        const entry = get().redo.at(-1);
        if (!entry) return;
        if (commit([entry[0]!])) set({ redo: get().redo.slice(0, -1), undo: [...get().undo, entry] });
      },

      setViewport(v) {
        const extent = get().extent;
        if (extent) set({ viewport: clampViewport(v, extentOf(extent)) });
      },

      select(id, focus = false) {
        set({ selection: id });
        const { labels, extent, viewport } = get();
        const item = id ? (labels.labels[id] ?? labels.suggestions[id]?.proposal) : undefined;
        if (focus && item && extent) {
          const { start, end } = spanOf(item);
          const inView = start >= viewport.from && end <= viewport.to;
          if (!inView) set({ viewport: focusOn(viewport, start, end, extentOf(extent)) });
        }
      },

      setActiveClass(cls) {
        set({ activeClass: cls });
      },

      setMark(x) {
        set({ markStart: x });
      },

      setCursor(x) {
        set({ cursor: x });
      },

      suggesting: null,

      async suggest(request = { detector: 'zscore' }) {
        await waitIdle(() => queue.pending);
        suggestAbort?.abort();
        const controller = new AbortController();
        suggestAbort = controller;
        set({ suggesting: { detector: request.detector, done: 0, total: 0 } });
        try {
          // Model scores flag their top (1 − quantile) rows; nearby flagged rows form one range.
          const params = request.detector === 'zscore' ? { name } : { name, detector: request.detector, quantile: request.quantile ?? 0.995, maxGap: 4, ...(request.model ? { model: request.model } : {}) };
          const r = await backend.call('labels.suggest', params, { signal: controller.signal, onProgress: (p) => set({ suggesting: { detector: request.detector, done: p.done, total: p.total } }) });
          notify('info', r.added > 0 ? `${r.added} suggestions added (${r.source}).` : `No new suggestions (${r.source}).`);
          await get().load();
        } catch (error) {
          if (!(error instanceof Error && error.name === 'CancelledError')) notify('error', error instanceof Error ? error.message : String(error));
        } finally {
          if (suggestAbort === controller) {
            suggestAbort = undefined;
            set({ suggesting: null });
          }
        }
      },

      cancelSuggest() {
        suggestAbort?.abort();
      },

      async scoreModels() {
        return (await backend.call('labels.scoreModels', {})).items;
      },

      async markReviewed() {
        const { viewport } = get();
        const progress = await backend.call('labels.markReviewed', { name, from: viewport.from, to: viewport.to });
        set({ progress });
      },

      async saveVersion() {
        await waitIdle(() => queue.pending);
        return (await backend.call('labels.saveVersion', { name })).version;
      },
    };
  });
}

const unsentKey = (setId: string) => `vajra.annotate.unsent.${setId}`;

/** Keeps the edits not yet acknowledged in localStorage, so a reload or a lost page resends them. */
function saveUnsent(setId: string, unsent: readonly QueuedOp[]): void {
  if (unsent.length === 0) globalThis.localStorage?.removeItem(unsentKey(setId));
  else globalThis.localStorage?.setItem(unsentKey(setId), JSON.stringify(unsent));
}

/**
 * Edits left unsent by a previous page: those made at or after the loaded seq are applied again
 * (the backend recognises any it already has); ones that no longer apply are reported, not hidden.
 */
function restoreUnsent(setId: string, state: LabelSetState, report: (text: string) => void): { state: LabelSetState; ops: QueuedOp[] } {
  const text = globalThis.localStorage?.getItem(unsentKey(setId));
  if (!text) return { state, ops: [] };
  let items: QueuedOp[] = [];
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed)) items = parsed.filter((i): i is QueuedOp => typeof i === 'object' && i !== null && 'op' in i && 'baseSeq' in i);
  } catch {
    items = [];
  }
  const ops: QueuedOp[] = [];
  let next = state;
  for (const item of items) {
    if (item.baseSeq < state.seq) continue;
    try {
      next = applyLabelOp(next, item.op);
      ops.push({ op: item.op, baseSeq: next.seq - 1 });
    } catch (error) {
      report(`An unsaved edit from before the reload no longer applies and was not saved: ${(error as Error).message}`);
    }
  }
  return { state: next, ops };
}

/** Resolves once no edits are waiting (so server-side actions see every local edit). */
async function waitIdle(pending: () => number): Promise<void> {
  while (pending() > 0) await new Promise((r) => setTimeout(r, 50));
}

export type AnnotateStore = ReturnType<typeof createAnnotateStore>;
