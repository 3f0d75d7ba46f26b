import type { Clock } from '../../base/clock';
import type { ErrorData } from '../../base/errors';
import type { CancelSignal, Progress, ProgressSink } from '../../base/signal';
import type { Engine } from '../../data/engine';
import type { ClassLabels, FittedModel } from '../../ml/types';
import type { InputColumn } from '../compile';
import type { ColumnTable, FittedStep } from '../steps/types';
import type { CrossValidationSummary } from './cross-validate-node';
import type { Evaluation } from './evaluate';
import type { ExplanationsValue } from './explain-types';
import type { ModelJob, ModelJobResult, TrainingStep } from './train';

/**
 * The fitted preprocessing a table has been through since its raw columns: what a model trained
 * on this table must compile in front of itself. Sources and splits start an empty chain.
 */
export interface FeatureChain {
  columns: InputColumn[];
  steps: FittedStep[];
}

/** A table flowing along an edge; `relation` is FROM-clause SQL when it comes straight from a source. */
export interface TableValue {
  type: 'table';
  table: ColumnTable;
  chain: FeatureChain;
  relation?: string;
}

/** What a model learns: a class label, a number, an anomaly score or a cluster. */
export type ModelTask = 'classification' | 'regression' | 'anomaly' | 'clustering';

/** Short, JSON-safe facts about a fitted model for the canvas' node panel. */
export interface ModelSummary {
  kind: string;
  task: ModelTask;
  target: string | null;
  inputs: string[];
  features: string[];
  classes?: (string | number)[];
  trees?: number;
  iterations?: number;
  /** Largest coefficients by magnitude (linear models), per output row. */
  coefficients?: { feature: string; value: number }[];
  onnxBytes: number;
  /** Extra facts (imported models: producer, opsets). */
  notes?: string[];
}

/**
 * A trained pipeline: the compiled ONNX bytes (preprocessing + model), and what scoring needs.
 * `fitted` is null for an imported ONNX model. `feeds` maps each graph input to the table columns
 * that fill it (one column → [N, 1]; several → [N, k]).
 */
export interface ModelValue {
  type: 'model';
  onnx: Uint8Array;
  fitted: FittedModel | null;
  task: ModelTask;
  target: string | null;
  classes?: ClassLabels;
  feeds: OnnxFeedSpec[];
  /** Names of the graph outputs that hold each kind of prediction. */
  outputs: { label?: string; probabilities?: string; value?: string; score?: string; distances?: string };
  history: TrainingStep[];
  summary: ModelSummary;
  /** The preprocessing compiled in front of the model (raw columns → features), for explainers. */
  chain?: FeatureChain;
}

/** One graph input and the columns that fill it, with the tensor element type it takes. */
export interface OnnxFeedSpec {
  input: string;
  columns: string[];
  elemType: 'float' | 'double' | 'int64' | 'string';
}

/** Evaluation results. */
export interface MetricsValue {
  type: 'metrics';
  evaluation: Evaluation;
  /** Sweeps: every trial and the best one (its evaluation is `evaluation`). */
  sweep?: SweepSummary;
  /** Cross-validate nodes: per-fold metrics and their mean ± std. */
  crossValidation?: CrossValidationSummary;
}

/** The trials of a sweep, in trial order, with the metric it optimised. */
export interface SweepSummary {
  metric: string;
  direction: 'max' | 'min';
  best: number;
  trials: { index: number; overrides: Record<string, unknown>; metric: number | null; runId?: string; error?: string }[];
}

/** Scored rows (target, prediction, probabilities or residuals). */
export interface PredictionsValue {
  type: 'predictions';
  table: ColumnTable;
}

/** Anything an output port carries. */
export type NodeValue = TableValue | ModelValue | MetricsValue | PredictionsValue | ExplanationsValue;

/** The values of one node's outputs, by port name. */
export type NodeOutputs = Record<string, NodeValue>;

/** A tensor fed to onnxruntime. `data` length = product of `dims`. */
export interface ScoreFeed {
  name: string;
  elemType: OnnxFeedSpec['elemType'];
  dims: number[];
  data: Float32Array | Float64Array | BigInt64Array | string[];
}

/** A graph output as plain data: numbers (int64 and bool widened to double) or strings. */
export interface ScoreOutput {
  dims: number[];
  data: Float64Array | string[];
}

/** Scores ONNX bytes (onnxruntime, one intra-op thread); errors are UserInputErrors in plain words. */
export type OnnxScorer = (onnx: Uint8Array, feeds: ScoreFeed[], signal?: CancelSignal) => Promise<Record<string, ScoreOutput>>;

/** Fits one model (in a worker thread in the backend; in-process in tests). */
export type ModelFitter = (job: ModelJob, ctx: { signal?: CancelSignal; progress?: (p: TrainingProgress) => void }) => Promise<ModelJobResult>;

/** Training progress from a fitter: overall progress and, for boosting, the latest curve point. */
export interface TrainingProgress extends Progress {
  step?: TrainingStep;
}

/** A finished sweep trial, handed to the host so it can be tracked as a child run. */
export interface TrialReport {
  sweepNodeId: string;
  index: number;
  overrides: Record<string, unknown>;
  metric: number | null;
  error?: ErrorData;
  evaluation?: Evaluation;
  model?: ModelValue;
  params: Record<string, unknown>;
}

/** Everything the runner needs from its host: all IO is injected, so the runner stays pure. */
export interface RunEnv {
  engine: Engine;
  score: OnnxScorer;
  fitModel: ModelFitter;
  /** Reads a workspace file (imported ONNX models, validation suites). */
  readFile(path: string): Promise<Uint8Array>;
  /** Content hash of bytes (hex); the data fingerprint of sources. */
  hash(bytes: Uint8Array): string;
  clock: Clock;
  /** How many sweep trials run at once (the worker pool size). */
  concurrency: number;
  /** Validation of a relation by a suite file; absent when app/validate is not wired in. */
  validate?(relation: string, suitePath: string, signal?: CancelSignal): Promise<ValidationOutcome>;
  /** Called when a sweep trial ends; returns the id of the run it was tracked as, if any. */
  onTrial?(trial: TrialReport): Promise<string | undefined>;
  onEvent?(event: RunEvent): void;
  signal?: CancelSignal;
  progress?: ProgressSink;
}

/** What a validate node learns from its suite. */
export interface ValidationOutcome {
  success: boolean;
  summary: string;
  counts: { passed: number; failed: number; warned: number; errored: number };
}

/** Status of a node in one execution. `cached` = output reused because nothing it depends on changed. */
export type NodeState = 'queued' | 'running' | 'done' | 'cached' | 'failed' | 'blocked' | 'skipped' | 'cancelled';

/** Per-node outcome of an execution, JSON-safe (what the canvas shows on the node). */
export interface NodeStatus {
  nodeId: string;
  state: NodeState;
  /** Content key of the node's output (params + upstream keys + data fingerprint). */
  key?: string;
  message?: string;
  error?: ErrorData;
  durationMs?: number;
}

/** Events of an execution, in order. */
export type RunEvent =
  | { type: 'node'; status: NodeStatus }
  | { type: 'progress'; nodeId: string; progress: Progress; step?: TrainingStep }
  | { type: 'trial'; nodeId: string; index: number; total: number; metric: number | null; overrides: Record<string, unknown>; runId?: string; error?: string };
