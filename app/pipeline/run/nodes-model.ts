import { z } from 'zod';
import { UserInputError } from '../../base/errors';
import type { FittedModel } from '../../ml/types';
import { readOnnxModel } from '../../onnx/reader';
import type { OnnxModelInfo } from '../../onnx/reader';
import { nodeSpec } from '../catalog';
import { compilePipeline } from '../compile';
import type { PipelineDoc, PipelineNode } from '../document';
import { stepSpecOf } from '../plan';
import { fitStep, transformStep } from '../steps/index';
import { getColumn } from '../steps/table';
import type { FittedStep, StepTarget } from '../steps/types';
import { featureMatrix } from './columns';
import { nodeName, requireTable } from './nodes-data';
import { taskOf } from './train';
import type { ModelJob, TrainableKind } from './train';
import type { ModelSummary, ModelTask, ModelValue, NodeOutputs, NodeValue, OnnxFeedSpec, RunEnv, TrainingProgress } from './types';

/** Fits a preprocessing node on its input table and extends the table's feature chain. */
export function runPreprocess(node: PipelineNode, inputs: Record<string, NodeValue>): NodeOutputs {
  const input = requireTable(inputs, 'data', node);
  const spec = stepSpecOf(node);
  if (!spec) throw new UserInputError(`${nodeSpec(node.kind).label} runs in SQL before the model; the canvas runner does not run it yet. Compute the column in the Source query instead.`);
  if (input.table.rows === 0) throw new UserInputError('The input table is empty, so this step has nothing to learn from.');
  const targetName = typeof node.params['target'] === 'string' ? node.params['target'] : '';
  let target: StepTarget | undefined;
  if (targetName !== '') {
    const column = getColumn(input.table, targetName);
    target = column.type === 'number' ? { type: 'number', values: column.values } : { type: 'string', values: column.values };
  }
  const fitted = fitStep(spec, input.table, target);
  return { data: { type: 'table', table: transformStep(fitted, input.table), chain: { columns: input.chain.columns, steps: [...input.chain.steps, fitted] } } };
}

/** Features of a model node: its `features` param, else every column but the target. */
function featureNames(params: Record<string, unknown>, columns: readonly string[], target: string | null): string[] {
  const given = Array.isArray(params['features']) ? params['features'].filter((f): f is string => typeof f === 'string') : [];
  const names = given.length > 0 ? given : columns.filter((c) => c !== target);
  if (names.length === 0) throw new UserInputError('No feature columns are left for the model.');
  return names;
}

/** Trains a model node on its `train` table (in a worker via `env.fitModel`) and compiles it with its preprocessing. */
export async function runModel(doc: PipelineDoc, node: PipelineNode, kind: TrainableKind, inputs: Record<string, NodeValue>, env: RunEnv, progress: (p: TrainingProgress) => void): Promise<NodeOutputs> {
  const input = requireTable(inputs, 'train', node);
  const { table, chain } = input;
  const params = nodeSpec(kind).params.parse(node.params);
  const task = taskOf(kind, params);
  const supervised = task === 'classification' || task === 'regression';
  const target = supervised ? String(params['target'] ?? '') : null;
  if (table.rows === 0) throw new UserInputError('The training table is empty, so there is nothing to learn from.');
  let y: ModelJob['y'] = null;
  if (target !== null) {
    const column = getColumn(table, target);
    y = column.type === 'number' ? column.values : [...column.values];
  }
  const features = featureNames(params, table.columns.map((c) => c.name), target);
  const x = featureMatrix(table, features, nodeName(node));
  const job: ModelJob = { kind, params, x, y, featureNames: features };
  const { model, history } = await env.fitModel(job, { ...(env.signal ? { signal: env.signal } : {}), progress });
  const columns = chain.columns.filter((c) => c.name !== target);
  const steps: FittedStep[] = [...chain.steps, { kind: 'selectColumns', keep: features }];
  const onnx = compilePipeline({ pipelineId: doc.id, columns, steps, model, metadata: { 'vajra.node': node.id, 'vajra.task': task, ...(target ? { 'vajra.target': target } : {}) } });
  const feeds: OnnxFeedSpec[] = columns.map((c) => ({ input: c.name, columns: [c.name], elemType: c.type === 'number' ? 'float' : 'string' }));
  const classes = model.kind === 'treeClassifier' || model.kind === 'logisticRegression' || model.kind === 'naiveBayes' ? model.classes : undefined;
  const value: ModelValue = {
    type: 'model', onnx, fitted: model, task, target, feeds, history, chain: { columns, steps },
    outputs: outputNames(task),
    ...(classes ? { classes } : {}),
    summary: summarize(model, task, target, columns.map((c) => c.name), features, onnx.length, history.length),
  };
  return { model: value };
}

function outputNames(task: ModelTask): ModelValue['outputs'] {
  switch (task) {
    case 'classification': return { label: 'label', probabilities: 'probabilities' };
    case 'regression': return { value: 'variable' };
    case 'anomaly': return { score: 'score' };
    case 'clustering': return { label: 'label', distances: 'distances' };
  }
}

function summarize(model: FittedModel, task: ModelTask, target: string | null, inputs: string[], features: string[], onnxBytes: number, historyLength: number): ModelSummary {
  const summary: ModelSummary = { kind: model.kind, task, target, inputs, features, onnxBytes };
  if ('classes' in model) summary.classes = [...model.classes];
  if ('ensemble' in model) summary.trees = model.ensemble.trees.length;
  if (historyLength > 0) summary.iterations = historyLength - 1;
  if (model.kind === 'linearRegression' || model.kind === 'logisticRegression') {
    summary.coefficients = features
      .map((feature, j) => ({ feature, value: model.coef[j]! }))
      .sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || (a.feature < b.feature ? -1 : 1))
      .slice(0, 20);
  }
  return summary;
}

/** Extra params of an imported model: graph input → column(s), the target and task for evaluation. */
const importedExtras = z.object({
  inputs: z.record(z.string(), z.union([z.string(), z.array(z.string()).min(1)])).default({}),
  target: z.string().optional(),
  task: z.enum(['classification', 'regression']).optional(),
  classes: z.array(z.union([z.string(), z.number()])).optional(),
});

const FEEDABLE = new Set(['float', 'double', 'int64', 'string']);

function isFeedable(type: string): type is OnnxFeedSpec['elemType'] {
  return FEEDABLE.has(type);
}

/**
 * Loads an imported ONNX file: checks it decodes, maps each graph input to columns (by default the
 * column of the same name) and finds its label/probability/value outputs. ZipMap outputs are refused
 * with the fix, because onnxruntime cannot return them.
 */
export async function runImportedOnnx(node: PipelineNode, env: RunEnv): Promise<NodeOutputs> {
  const file = z.object({ file: z.string().min(1, 'pick an .onnx file') }).parse(node.params).file;
  const extras = importedExtras.parse(node.params);
  const bytes = await env.readFile(file).catch((error: unknown) => {
    throw new UserInputError(`Could not read "${file}": ${error instanceof Error ? error.message : String(error)}`);
  });
  let info: OnnxModelInfo;
  try {
    info = readOnnxModel(bytes);
  } catch (error) {
    throw new UserInputError(`"${file}": ${error instanceof Error ? error.message : String(error)}`);
  }
  const feeds = info.inputs.map((input): OnnxFeedSpec => {
    if (!isFeedable(input.elemType)) throw new UserInputError(`"${file}": input "${input.name}" takes ${input.elemType} values, which Vajra cannot feed from a table.`);
    const mapped = extras.inputs[input.name] ?? input.name;
    return { input: input.name, columns: typeof mapped === 'string' ? [mapped] : mapped, elemType: input.elemType };
  });
  const maps = info.outputs.filter((o) => o.elemType === 'map' || o.elemType === 'sequence');
  const tensors = info.outputs.filter((o) => !maps.includes(o));
  const label = tensors.find((o) => o.elemType === 'string' || o.elemType === 'int64');
  const floats = tensors.filter((o) => o.elemType === 'float' || o.elemType === 'double');
  const task: ModelTask = extras.task ?? (label ? 'classification' : 'regression');
  if (task === 'classification' && (!label || floats.length === 0)) {
    const hint = maps.length > 0 ? ' It outputs a ZipMap (a map per row), which onnxruntime cannot return: export it again without ZipMap (skl2onnx: options={"zipmap": False}).' : '';
    throw new UserInputError(`"${file}" has no label and probability tensors to evaluate as a classifier.${hint}`);
  }
  if (task === 'regression' && floats.length === 0) throw new UserInputError(`"${file}" has no number output to evaluate as a regression.`);
  const outputs: ModelValue['outputs'] = task === 'classification' ? { label: label!.name, probabilities: floats[0]!.name } : { value: floats[0]!.name };
  const value: ModelValue = {
    type: 'model', onnx: bytes, fitted: null, task, target: extras.target ?? null, feeds, history: [], outputs,
    ...(extras.classes ? { classes: extras.classes.every((c) => typeof c === 'number') ? extras.classes.map(Number) : extras.classes.map(String) } : {}),
    summary: {
      kind: 'importedOnnx', task, target: extras.target ?? null, inputs: feeds.map((f) => f.input), features: feeds.flatMap((f) => f.columns), onnxBytes: bytes.length,
      notes: [`producer ${info.producerName || 'unknown'}`, `IR ${info.irVersion}`, `opsets ${Object.entries(info.opsets).map(([d, v]) => `${d || 'ai.onnx'} ${v}`).join(', ')}`, `${info.nodeCount} nodes`],
    },
  };
  return { model: value };
}
