import type { CellId } from '../base/ids';
import { applyNotebookOp, type NotebookOp } from './ops';
import type { NotebookDoc } from './types';

/** Where a run of typing stands, so the next keystroke can join its step. */
interface Typing {
  id: CellId;
  mode: 'insert' | 'delete';
  /** Offset where the next keystroke of the same run would land. */
  caret: number;
}

/** One undo step: forward ops in order, and inverses in the order that undoes them. */
export interface HistoryStep {
  ops: NotebookOp[];
  inverses: NotebookOp[];
  atMs: number;
  typing?: Typing;
}

/** Undo/redo stacks as plain data. `limit` caps the undo stack; the oldest steps drop first. */
export interface NotebookHistory {
  undo: HistoryStep[];
  redo: HistoryStep[];
  limit: number;
  /** Keystrokes further apart than this (ms) start a new step. */
  coalesceMs: number;
}

/** An empty history. */
export function createHistory(limit = 500, coalesceMs = 1000): NotebookHistory {
  return { undo: [], redo: [], limit, coalesceMs };
}

function typingOf(op: NotebookOp): Typing | undefined {
  if (op.type !== 'editSource') return undefined;
  if (op.from === op.to && op.insert.length > 0 && !op.insert.includes('\n')) return { id: op.id, mode: 'insert', caret: op.from + op.insert.length };
  if (op.insert === '' && op.to > op.from) return { id: op.id, mode: 'delete', caret: op.from };
  return undefined;
}

function continues(previous: Typing | undefined, op: NotebookOp): boolean {
  if (!previous || op.type !== 'editSource' || op.id !== previous.id) return false;
  const next = typingOf(op);
  if (!next || next.mode !== previous.mode) return false;
  // typing forward starts at the caret; backspacing ends at it
  return next.mode === 'insert' ? op.from === previous.caret : op.to === previous.caret;
}

/**
 * Records an applied op (`inverse` from `applyNotebookOp`) at `atMs` (from an injected clock).
 * Consecutive keystrokes in one cell — single-line insertions at the caret, or deletions ending
 * at it, within `coalesceMs` of each other — join the previous step, so one undo removes a typed
 * run. Any new step clears the redo stack.
 */
export function recordOp(history: NotebookHistory, op: NotebookOp, inverse: NotebookOp, atMs: number): NotebookHistory {
  const last = history.undo[history.undo.length - 1];
  const typing = typingOf(op);
  if (last && continues(last.typing, op) && atMs - last.atMs <= history.coalesceMs) {
    const merged: HistoryStep = { ops: [...last.ops, op], inverses: [inverse, ...last.inverses], atMs, ...(typing ? { typing } : {}) };
    return { ...history, undo: [...history.undo.slice(0, -1), merged], redo: [] };
  }
  const step: HistoryStep = { ops: [op], inverses: [inverse], atMs, ...(typing ? { typing } : {}) };
  return { ...history, undo: [...history.undo, step].slice(-history.limit), redo: [] };
}

/** Applies `op` to `doc` and records it: the usual way an editor commits an edit. */
export function applyAndRecord(doc: NotebookDoc, history: NotebookHistory, op: NotebookOp, atMs: number): { doc: NotebookDoc; history: NotebookHistory } {
  const applied = applyNotebookOp(doc, op);
  return { doc: applied.doc, history: recordOp(history, op, applied.inverse, atMs) };
}

function replay(doc: NotebookDoc, ops: readonly NotebookOp[]): NotebookDoc {
  return ops.reduce((current, op) => applyNotebookOp(current, op).doc, doc);
}

/** Undoes the last step, or returns undefined when there is none. The step moves to redo. */
export function undo(history: NotebookHistory, doc: NotebookDoc): { doc: NotebookDoc; history: NotebookHistory } | undefined {
  const step = history.undo[history.undo.length - 1];
  if (!step) return undefined;
  const { typing: _typing, ...closed } = step;
  return { doc: replay(doc, step.inverses), history: { ...history, undo: history.undo.slice(0, -1), redo: [...history.redo, closed] } };
}

/** Redoes the last undone step, or returns undefined when there is none. */
export function redo(history: NotebookHistory, doc: NotebookDoc): { doc: NotebookDoc; history: NotebookHistory } | undefined {
  const step = history.redo[history.redo.length - 1];
  if (!step) return undefined;
  return { doc: replay(doc, step.ops), history: { ...history, undo: [...history.undo, step], redo: history.redo.slice(0, -1) } };
}
