import { UserInputError } from '../base/errors';
import { createGraphBuilder } from '../onnx/builder';
import type { GraphBuilder } from '../onnx/builder';
import { attr } from '../onnx/types';
import type { FittedModel } from '../ml/types';
import { compileModel, modelFeatureCount } from './compile-model';
import type { ModelOutputInfo } from './compile-model';
import { compileStep } from './steps/index';
import { derivedColumnsSql } from './steps/window-sql';
import type { CompileContext, FittedStep, OnnxColumn } from './steps/types';

/** A raw input column of the pipeline: what a caller feeds, one [N, 1] tensor each. */
export interface InputColumn {
  name: string;
  type: 'number' | 'string';
  /**
   * Set for lag/rolling columns: they depend on neighbouring rows, so SQL derives them before the
   * graph (recorded in metadata `vajra.derived_sql`); the graph takes them as ordinary inputs.
   */
  derived?: { sql: string; stage: number };
}

/** Everything `compilePipeline` needs; all plain data. */
export interface CompilePipelineInput {
  pipelineId: string;
  /** Raw input columns in order (features only, never the target). */
  columns: readonly InputColumn[];
  /** Fitted preprocessing steps, applied in order. */
  steps: readonly FittedStep[];
  model: FittedModel;
  /** Extra metadata_props (for example run id, target name); keys are prefixed by the caller. */
  metadata?: Readonly<Record<string, string>>;
}

/** Metadata keys Vajra writes into every compiled model. */
export const METADATA_KEYS = {
  pipelineId: 'vajra.pipeline_id',
  columns: 'vajra.columns',
  features: 'vajra.features',
  modelKind: 'vajra.model_kind',
  outputs: 'vajra.outputs',
  /** DuckDB query adding the lag/rolling input columns to a table `input` of source rows (see derivedColumnsSql). */
  derivedSql: 'vajra.derived_sql',
} as const;

/**
 * Compiles preprocessing + model into ONE ONNX graph (IR 8, opsets '' 15, ai.onnx.ml 3, and
 * com.microsoft 1 only when a text vectorizer needs its Tokenizer or MurmurHash3; '' 16 only for
 * the hashing vectorizer's ScatterElements). Inputs: one per raw column, float32 [N, 1] for
 * numbers (NaN = missing) and string [N, 1] for text ('' = missing); lag/rolling columns are
 * inputs too, derived beforehand by the SQL in metadata `vajra.derived_sql`. Outputs as
 * `compileModel` documents. metadata_props hold the pipeline id, the input schema, the feature
 * names and the outputs as JSON. Throws UserInputError when text columns reach the model or the
 * feature count does not match the model.
 */
export function compilePipeline(input: CompilePipelineInput): Uint8Array {
  const { b, ctx, features } = compileFeatureGraph(input.columns, input.steps);
  const expected = modelFeatureCount(input.model);
  if (ctx.columns.length !== expected) throw new UserInputError(`The model was trained on ${expected} features, but the steps produce ${ctx.columns.length}.`);
  const outputs: ModelOutputInfo[] = compileModel(b, features, input.model);
  return finish(b, input, ctx.columns, outputs, input.model.kind);
}

/**
 * Compiles only the preprocessing steps: same inputs as `compilePipeline`, one output `features`
 * ([N, F] float32, the model's input). For parity checks and for showing transformed data.
 */
export function compileFeatures(input: Omit<CompilePipelineInput, 'model'>): Uint8Array {
  const { b, ctx, features } = compileFeatureGraph(input.columns, input.steps);
  b.addOutput(features, 'features', 'float', ['N', ctx.columns.length]);
  return finish(b, input, ctx.columns, [{ name: 'features', type: 'float', width: ctx.columns.length }], 'features');
}

function compileFeatureGraph(columns: readonly InputColumn[], steps: readonly FittedStep[]): { b: GraphBuilder; ctx: CompileContext; features: string } {
  const b = createGraphBuilder();
  const ctx: CompileContext = { builder: b, columns: columns.map((c): OnnxColumn => ({ name: c.name, type: c.type, tensor: b.addInput(c.name, c.type === 'number' ? 'float' : 'string', ['N', 1]), index: 0, width: 1 })) };
  for (const step of steps) compileStep(step, ctx);
  const text = ctx.columns.filter((c) => c.type === 'string').map((c) => `"${c.name}"`);
  if (text.length > 0) throw new UserInputError(`The model needs numbers, but ${text.join(', ')} still hold text. Add a One-hot, Ordinal or Text vectorizer step for them.`);
  return { b, ctx, features: featureMatrix(b, ctx.columns) };
}

function finish(b: GraphBuilder, input: Omit<CompilePipelineInput, 'model'>, features: readonly OnnxColumn[], outputs: readonly { name: string; type: string; width: number }[], kind: string): Uint8Array {
  const usesTokenizer = b.nodes().some((n) => n.domain === 'com.microsoft');
  const derivedSql = derivedColumnsSql(input.columns.flatMap((c) => (c.derived ? [{ name: c.name, ...c.derived }] : [])));
  // ScatterElements' reduction (hashing vectorizer) needs opset 16; nothing else changes from 15 to 16 that we use.
  const usesScatterAdd = b.nodes().some((n) => n.opType === 'ScatterElements');
  return b.build({
    graphName: `vajra_${input.pipelineId}`,
    opsets: { '': usesScatterAdd ? 16 : 15, 'ai.onnx.ml': 3, ...(usesTokenizer ? { 'com.microsoft': 1 } : {}) },
    metadata: {
      ...input.metadata,
      [METADATA_KEYS.pipelineId]: input.pipelineId,
      [METADATA_KEYS.columns]: JSON.stringify(input.columns.map((c) => ({ name: c.name, type: c.type }))),
      [METADATA_KEYS.features]: JSON.stringify(features.map((c) => c.name)),
      [METADATA_KEYS.modelKind]: kind,
      [METADATA_KEYS.outputs]: JSON.stringify(outputs),
      ...(derivedSql ? { [METADATA_KEYS.derivedSql]: derivedSql } : {}),
    },
  });
}

/** Concatenates the columns into [N, F] float, gathering only when a tensor is not used whole. */
function featureMatrix(b: GraphBuilder, columns: readonly OnnxColumn[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < columns.length) {
    const first = columns[i]!;
    let j = i + 1;
    while (j < columns.length && columns[j]!.tensor === first.tensor) j++;
    const group = columns.slice(i, j);
    const whole = group.length === first.width && group.every((c, k) => c.index === k);
    parts.push(whole ? first.tensor : b.op('Gather', [first.tensor, b.addInitializer('columns', { type: 'int64', dims: [group.length], values: group.map((c) => c.index) })], { axis: attr.int(1) }));
    i = j;
  }
  if (parts.length === 0) throw new UserInputError('No feature columns remain for the model.');
  return parts.length === 1 ? parts[0]! : b.op('Concat', parts, { axis: attr.int(1) });
}
