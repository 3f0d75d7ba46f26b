import { z } from 'zod';
import { bytes, method } from '../spec';
import { workspacePath } from './workspace';

/** What to run: every node; one node (re-run even if cached) with what it needs; or up to a node. */
export const PipelineRunTarget = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('all') }),
  z.object({ mode: z.literal('node'), nodeId: z.string().min(1) }),
  z.object({ mode: z.literal('upTo'), nodeId: z.string().min(1) }),
]);

const ErrorInfo = z.object({ name: z.string(), message: z.string(), code: z.string().optional(), detail: z.record(z.string(), z.unknown()).optional() });

/** A node's state in one execution; `error.message` is what the canvas shows on the node. */
export const PipelineNodeStatus = z.object({
  nodeId: z.string(),
  state: z.enum(['queued', 'running', 'done', 'cached', 'failed', 'blocked', 'skipped', 'cancelled']),
  key: z.string().optional(),
  message: z.string().optional(),
  error: ErrorInfo.optional(),
  durationMs: z.number().optional(),
});
export type PipelineNodeStatus = z.infer<typeof PipelineNodeStatus>;

const TrainingStep = z.object({ iteration: z.number(), trainLoss: z.number(), validLoss: z.number().optional() });
const ColumnInfo = z.object({ name: z.string(), type: z.enum(['number', 'string']) });

/**
 * An Evaluate node's results (app/pipeline/run/evaluate.ts `Evaluation`): `metrics` (finite
 * values only), and when they apply `perClass`, `confusion`, `roc`, `pr` ({x, y, thresholds}),
 * `calibration`, `residuals`, `scores`, `clusterSizes`, `skipped`, `positiveClass`.
 */
export const PipelineEvaluation = z.looseObject({ task: z.string(), rows: z.number(), metrics: z.record(z.string(), z.number()) });

/** A sweep's trials and the best one (index into `trials`). */
export const PipelineSweep = z.object({
  metric: z.string(),
  direction: z.enum(['max', 'min']),
  best: z.number(),
  trials: z.array(z.object({ index: z.number(), overrides: z.record(z.string(), z.unknown()), metric: z.number().nullable(), runId: z.string().optional(), error: z.string().optional() })),
});

/** A Cross-validate node's folds (app/pipeline/run/cross-validate-node.ts `CrossValidationSummary`). */
export const PipelineCrossValidation = z.object({
  k: z.number(), stratified: z.boolean(), shuffle: z.boolean(), seed: z.number(), task: z.string(), refit: z.array(z.string()),
  folds: z.array(z.object({ fold: z.number(), trainRows: z.number(), testRows: z.number(), metrics: z.record(z.string(), z.number()) })),
  mean: z.record(z.string(), z.number()), std: z.record(z.string(), z.number()),
});

/** What one output port of a node holds, ready to show on the canvas. Tables come as Arrow IPC (first `limit` rows). */
export const PipelineOutput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none'), reason: z.string() }),
  z.object({ kind: z.literal('table'), port: z.string(), rows: z.number(), columns: z.array(ColumnInfo), ipc: bytes }),
  z.object({ kind: z.literal('predictions'), port: z.string(), rows: z.number(), columns: z.array(ColumnInfo), ipc: bytes }),
  z.object({ kind: z.literal('model'), port: z.string(), summary: z.looseObject({ kind: z.string(), task: z.string(), onnxBytes: z.number() }), history: z.array(TrainingStep) }),
  z.object({ kind: z.literal('metrics'), port: z.string(), evaluation: PipelineEvaluation, sweep: PipelineSweep.optional(), crossValidation: PipelineCrossValidation.optional() }),
  z.object({ kind: z.literal('explanations'), port: z.string(), explanations: z.looseObject({ method: z.string(), output: z.string(), baseValue: z.number(), columns: z.array(z.string()) }) }),
]);
export type PipelineOutput = z.infer<typeof PipelineOutput>;

const pipelineRef = { path: workspacePath.refine((p) => p.endsWith('.pipeline.json'), { message: 'must be a .pipeline.json file' }) };

export const pipelineMethods = {
  'pipeline.run': method(
    z.object({
      ...pipelineRef,
      /** The document as the canvas has it (unsaved edits); default: the file on disk. */
      text: z.string().max(16 * 1024 * 1024).optional(),
      target: PipelineRunTarget.default({ mode: 'all' }),
      /** `NODE.PARAM` → value, applied for this run only. */
      set: z.record(z.string(), z.unknown()).default({}),
      /** Record a tracked run (default: when running all nodes). */
      track: z.boolean().optional(),
    }),
    z.object({
      executionId: z.string(),
      runId: z.string().nullable(),
      statuses: z.array(PipelineNodeStatus),
      executed: z.array(z.string()),
      metrics: z.record(z.string(), z.number()),
      cancelled: z.boolean(),
      failedNode: z.string().nullable(),
    }),
    'Run a pipeline (all, one node, or up to a node), re-running only nodes whose inputs or params changed; per-node events while it runs.',
  ),
  'pipeline.cancel': method(z.object(pipelineRef), z.object({ cancelled: z.boolean() }), 'Cancel the running execution of a pipeline (training stops at once).'),
  'pipeline.status': method(z.object(pipelineRef), z.object({ running: z.boolean(), executionId: z.string().nullable(), statuses: z.array(PipelineNodeStatus) }), 'The node states of the last (or running) execution of a pipeline.'),
  'pipeline.output': method(
    z.object({ ...pipelineRef, nodeId: z.string().min(1), port: z.string().optional(), limit: z.number().int().min(0).max(10_000).default(200) }),
    PipelineOutput,
    'The output of a node from the last execution: table preview (Arrow IPC + row count), model summary, or metrics and plot data.',
  ),
  'pipeline.explainRow': method(
    z.object({ ...pipelineRef, nodeId: z.string().min(1), values: z.record(z.string(), z.union([z.number(), z.string(), z.null()])) }),
    z.object({ prediction: z.number(), output: z.number(), baseValue: z.number(), attributions: z.record(z.string(), z.number()), detail: z.array(z.object({ feature: z.string(), column: z.string(), value: z.number() })) }),
    'What-if: explain one row typed by the user with the Explain node of the last execution (same explainer as the node; baseValue + Σ attributions = output).',
  ),
  'pipeline.describeSql': method(
    z.object({ sql: z.string().min(1).max(1024 * 1024) }),
    z.object({ columns: z.array(ColumnInfo) }),
    'The columns a Source node\'s SQL gives (names and picker types), without running the pipeline or reading rows; cached per SQL text. Invalid SQL fails with DuckDB\'s message.',
  ),
  'pipeline.rerun': method(
    z.object({ runId: z.string().min(1) }),
    z.object({ runId: z.string(), identical: z.boolean(), storedBytes: z.number(), rebuiltBytes: z.number(), changedData: z.array(z.string()), failed: z.object({ nodeId: z.string(), message: z.string() }).optional() }),
    'Rebuild a run from its pipeline snapshot and the data; report whether model.onnx is identical byte for byte.',
  ),
} as const;

export const pipelineEvents = {
  'pipeline.nodeStatus': z.object({ path: z.string(), executionId: z.string(), status: PipelineNodeStatus }),
  'pipeline.nodeProgress': z.object({ path: z.string(), executionId: z.string(), nodeId: z.string(), done: z.number(), total: z.number(), message: z.string().optional(), step: TrainingStep.optional() }),
  'pipeline.trialFinished': z.object({ path: z.string(), executionId: z.string(), nodeId: z.string(), index: z.number(), total: z.number(), metric: z.number().nullable(), overrides: z.record(z.string(), z.unknown()), runId: z.string().optional(), error: z.string().optional() }),
  'pipeline.runFinished': z.object({ path: z.string(), executionId: z.string(), runId: z.string().nullable(), cancelled: z.boolean(), failedNode: z.string().nullable() }),
} as const;
