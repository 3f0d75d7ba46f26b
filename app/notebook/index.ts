/** The notebook core: document model, file format, edits, dependencies, scheduling, cache keys, .ipynb. */
export * from './types';
export { parseNotebook, serializeNotebook, cellMarker } from './format';
export { deriveCellIds, type UnidentifiedCell } from './cell-ids';
export { validateNotebook, type NotebookIssue } from './validate';
export { applyNotebookOp, type NotebookOp, type AppliedOp } from './ops';
export { createHistory, recordOp, applyAndRecord, undo, redo, type NotebookHistory, type HistoryStep } from './history';
export { cellDefines, cellReferences, type CellRef, type CellReads } from './deps';
export { sqlReferences, type SqlReferences } from './sql-refs';
export { jsFreeVariables, jsCellBody, jsGlobals, type JsAnalysis } from './js-refs';
export { findInterpolations, type Interpolation } from './interpolation';
export { parseChartSpec, parseInputSpec, type ChartSpec, type InputSpec, type Checked } from './cell-specs';
export { buildGraph, type NotebookGraph, type GraphNode, type GraphError, type Upstream } from './graph';
export { planRun, runPlan, staleCells, withDependents, topologicalOrder, type RunMode, type RunPlan, type PlanStep, type CellOutcome, type ExecuteCell, type RunPlanOptions } from './scheduler';
export { cellCacheKey, computeCellKeys, displayOptions } from './cache-key';
export { sha256Hex } from '../base/sha256';
export { importIpynb, exportIpynb } from './ipynb';
