import type { PipelineDoc } from '../../../app/pipeline/document';
import { applyPipelineOp, invertPipelineOp, type PipelineOp } from '../../../app/pipeline/ops';

/** One undo step: the op and its inverse; `atMs` and `coalesceKey` let quick edits of one field join. */
interface Step {
  op: PipelineOp;
  inverse: PipelineOp;
  atMs: number;
  coalesceKey?: string;
}

/** Undo and redo stacks as plain data. */
export interface PipelineHistory {
  undo: Step[];
  redo: Step[];
}

const LIMIT = 300;
const COALESCE_MS = 1000;

/** An empty history. */
export function emptyHistory(): PipelineHistory {
  return { undo: [], redo: [] };
}

function keyOf(op: PipelineOp): string | undefined {
  if (op.type === 'setParam') return `${op.nodeId}\u0000${op.key}`;
  if (op.type === 'renameNode') return `${op.nodeId}\u0000label`;
  if (op.type === 'renamePipeline') return 'name';
  return undefined;
}

/**
 * Applies `op` and records it. Edits of the same parameter within a second join the previous
 * step, so typing "0.05" is one undo, not four.
 */
export function applyRecorded(doc: PipelineDoc, history: PipelineHistory, op: PipelineOp, atMs: number): { doc: PipelineDoc; history: PipelineHistory } {
  const inverse = invertPipelineOp(doc, op);
  const next = applyPipelineOp(doc, op);
  const key = keyOf(op);
  const last = history.undo.at(-1);
  if (key !== undefined && last?.coalesceKey === key && atMs - last.atMs <= COALESCE_MS) {
    const merged: Step = { op: { type: 'batch', ops: [last.op, op] }, inverse: last.inverse, atMs, coalesceKey: key };
    return { doc: next, history: { undo: [...history.undo.slice(0, -1), merged], redo: [] } };
  }
  const step: Step = { op, inverse, atMs, ...(key === undefined ? {} : { coalesceKey: key }) };
  return { doc: next, history: { undo: [...history.undo, step].slice(-LIMIT), redo: [] } };
}

/** Undoes the last step (undefined when there is none). */
export function undoStep(doc: PipelineDoc, history: PipelineHistory): { doc: PipelineDoc; history: PipelineHistory } | undefined {
  const step = history.undo.at(-1);
  if (!step) return undefined;
  const { coalesceKey: _key, ...plain } = step;
  return { doc: applyPipelineOp(doc, step.inverse), history: { undo: history.undo.slice(0, -1), redo: [...history.redo, plain] } };
}

/** Redoes the last undone step (undefined when there is none). */
export function redoStep(doc: PipelineDoc, history: PipelineHistory): { doc: PipelineDoc; history: PipelineHistory } | undefined {
  const step = history.redo.at(-1);
  if (!step) return undefined;
  return { doc: applyPipelineOp(doc, step.op), history: { undo: [...history.undo, step], redo: history.redo.slice(0, -1) } };
}
