import { z } from 'zod';
import type { PortType } from './document';

/** An input or output port of a node kind. */
export interface PortSpec {
  name: string;
  type: PortType;
  /** Inputs only: validation reports a missing connection when true. */
  required?: boolean;
}

/** Where a node kind's work happens once trained: inside the ONNX graph, in SQL before it, or neither. */
export type NodeRuntime = 'onnx' | 'sql' | 'none';

/** A node kind: its label, category, ports and parameter schema. */
export interface NodeSpec {
  label: string;
  category: 'data' | 'preprocess' | 'model' | 'evaluate';
  runtime: NodeRuntime;
  inputs: PortSpec[];
  outputs: PortSpec[];
  params: z.ZodType<Record<string, unknown>>;
}

const column = z.string().min(1, 'pick a column');
const columns = z.array(column).min(1, 'pick at least one column');
const tableIn: PortSpec[] = [{ name: 'data', type: 'table', required: true }];
const tableOut: PortSpec[] = [{ name: 'data', type: 'table' }];
const trainIn: PortSpec[] = [{ name: 'train', type: 'table', required: true }];
const modelOut: PortSpec[] = [{ name: 'model', type: 'model' }];
const target = { target: column, features: z.array(column).default([]) };
const seed = z.number().int().min(0).default(0);

type Typed<P> = Omit<NodeSpec, 'params'> & { params: P };

function pre<P extends NodeSpec['params']>(label: string, params: P, runtime: NodeRuntime = 'onnx'): Typed<P> {
  return { label, category: 'preprocess', runtime, inputs: tableIn, outputs: tableOut, params };
}

function model<P extends NodeSpec['params']>(label: string, params: P): Typed<P> {
  return { label, category: 'model', runtime: 'onnx', inputs: trainIn, outputs: modelOut, params };
}

/**
 * Every node kind of the canvas. Parameter schemas fill defaults (`params.parse({ ...required })`).
 * Lag and rolling features depend on other rows, so they run as SQL (DuckDB window functions)
 * on a Source's rows, before the split and the ONNX steps; their outputs are ordinary input
 * columns of the compiled model, and the query that derives them is recorded in the model's
 * metadata `vajra.derived_sql` (over a table named `input`), so a batch scorer reproduces them
 * on the series it scores before feeding the graph.
 */
export const nodeCatalog = {
  source: {
    label: 'Source', category: 'data', runtime: 'none', inputs: [], outputs: tableOut,
    params: z.discriminatedUnion('from', [
      z.object({ from: z.literal('dataset'), dataset: z.string().min(1, 'pick a dataset') }),
      z.object({ from: z.literal('sql'), sql: z.string().min(1, 'write a query') }),
    ]),
  },
  validate: { label: 'Validate', category: 'data', runtime: 'none', inputs: tableIn, outputs: tableOut, params: z.object({ suite: z.string().default(''), failOnError: z.boolean().default(true), reference: z.string().default('') }) },
  split: {
    label: 'Split', category: 'data', runtime: 'none', inputs: tableIn,
    outputs: [{ name: 'train', type: 'table' }, { name: 'test', type: 'table' }],
    params: z.object({
      method: z.enum(['random', 'stratified', 'time']).default('random'),
      testFraction: z.number().gt(0, 'must be above 0').lt(1, 'must be below 1').default(0.2),
      column: z.string().default(''), seed,
    }).refine((p) => p.method === 'random' || p.column !== '', { message: 'stratified and time splits need a column', path: ['column'] }),
  },
  impute: pre('Impute', z.object({ columns, strategy: z.enum(['mean', 'median', 'most_frequent', 'constant']).default('mean'), fillValue: z.union([z.number(), z.string()]).optional() })),
  scale: pre('Scale', z.object({ columns, method: z.enum(['standard', 'minmax', 'robust']).default('standard') })),
  oneHot: pre('One-hot encode', z.object({ columns, handleUnknown: z.enum(['ignore', 'error']).default('ignore'), maxCategories: z.number().int().min(1).optional() })),
  ordinal: pre('Ordinal encode', z.object({ columns })),
  bucketize: pre('Bucketize', z.object({ columns, bins: z.number().int().min(2, 'needs at least 2 bins').max(1000).default(5), strategy: z.enum(['quantile', 'uniform']).default('quantile') })),
  log1p: pre('Log (1 + x)', z.object({ columns })),
  cyclic: pre('Cyclic (sin/cos)', z.object({ columns, period: z.number().positive('must be above 0') })),
  // Lag/rolling: `<column>_lag<k>` and `<column>_roll<fn><window>` by DuckDB window functions (app/pipeline/steps/window-sql.ts).
  lag: pre('Lag features', z.object({ column, orderBy: column, partitionBy: z.string().default(''), lags: z.array(z.number().int().min(1, 'lags start at 1 row')).min(1, 'give at least one lag').default([1]) }), 'sql'),
  rolling: pre('Rolling window', z.object({ column, orderBy: column, partitionBy: z.string().default(''), window: z.number().int().min(2, 'a window needs at least 2 rows').default(7), fn: z.enum(['mean', 'sum', 'min', 'max', 'std']).default('mean') }), 'sql'),
  textVectorizer: pre('Text vectorizer', z.object({
    column, mode: z.enum(['tfidf', 'count', 'hashing']).default('tfidf'), lowercase: z.boolean().default(true),
    minTokenLength: z.number().int().min(1).default(2), maxFeatures: z.number().int().min(1).max(100_000).default(1000),
    ngramMax: z.union([z.literal(1), z.literal(2)]).default(1),
    // Hashing mode (scikit-learn's HashingVectorizer, l2 norm): no vocabulary, nFeatures columns, single words only.
    nFeatures: z.number().int().min(2, 'needs at least 2 features').max(65_536).default(1024), alternateSign: z.boolean().default(true),
  }).refine((p) => p.mode !== 'hashing' || p.ngramMax === 1, { message: 'hashing works on single words: set ngramMax to 1', path: ['ngramMax'] })),
  selectColumns: pre('Select columns', z.object({ columns, mode: z.enum(['keep', 'drop']).default('keep') })),
  featureSelect: pre('Feature selection', z.object({
    method: z.enum(['variance', 'kbest']).default('variance'), threshold: z.number().min(0).default(0),
    k: z.number().int().min(1).default(10), score: z.enum(['anova', 'mutual_info', 'chi2']).default('anova'), target: z.string().default(''),
  }).refine((p) => p.method !== 'kbest' || p.target !== '', { message: 'k best needs the target column', path: ['target'] })),
  linearRegression: model('Linear regression', z.object({ ...target })),
  ridge: model('Ridge regression', z.object({ ...target, alpha: z.number().min(0).default(1) })),
  logisticRegression: model('Logistic regression', z.object({ ...target, C: z.number().positive().default(1), maxIter: z.number().int().min(1).default(100) })),
  decisionTree: model('Decision tree', z.object({ ...target, task: z.enum(['classification', 'regression']).default('classification'), maxDepth: z.number().int().min(1).default(8), minSamplesLeaf: z.number().int().min(1).default(1), seed })),
  randomForest: model('Random forest', z.object({ ...target, task: z.enum(['classification', 'regression']).default('classification'), nTrees: z.number().int().min(1).max(2000).default(100), maxDepth: z.number().int().min(1).optional(), seed })),
  histGradientBoosting: model('Gradient boosting', z.object({
    ...target, task: z.enum(['classification', 'regression']).default('classification'), maxIter: z.number().int().min(1).default(100),
    learningRate: z.number().positive().default(0.1), maxLeafNodes: z.number().int().min(2).default(31),
    // Unset means the trainer's default (no depth limit, 20 samples per leaf, no L2, early stopping 'auto' as scikit-learn).
    maxDepth: z.number().int().min(1).optional(), minSamplesLeaf: z.number().int().min(1).optional(), l2Regularization: z.number().min(0).optional(),
    earlyStopping: z.union([z.boolean(), z.literal('auto')]).optional(), seed,
  })),
  kmeans: model('K-means', z.object({ features: z.array(column).default([]), k: z.number().int().min(1).default(8), seed })),
  isolationForest: model('Isolation forest', z.object({ features: z.array(column).default([]), nTrees: z.number().int().min(1).default(100), sampleSize: z.number().int().min(2).default(256), seed })),
  naiveBayes: model('Naive Bayes', z.object({ ...target, alpha: z.number().min(0).default(1) })),
  importedOnnx: {
    label: 'Imported ONNX model', category: 'model', runtime: 'onnx', inputs: [], outputs: modelOut,
    // `inputs`: graph input → column(s), default the column of the same name; target/task/classes tell Evaluate what the outputs mean.
    params: z.object({
      file: z.string().min(1, 'pick an .onnx file'),
      inputs: z.record(z.string(), z.union([z.string(), z.array(z.string()).min(1)])).default({}),
      target: z.string().optional(), task: z.enum(['classification', 'regression']).optional(),
      classes: z.array(z.union([z.string(), z.number()])).optional(),
    }),
  },
  evaluate: {
    label: 'Evaluate', category: 'evaluate', runtime: 'none',
    inputs: [{ name: 'model', type: 'model', required: true }, { name: 'data', type: 'table', required: true }],
    outputs: [{ name: 'metrics', type: 'metrics' }, { name: 'predictions', type: 'predictions' }],
    // With a label set, an anomaly detector is also scored as NAB does (app/pipeline/run/nab-evaluate.ts).
    params: z.object({
      metrics: z.array(z.string()).default([]),
      labelSet: z.string().optional(), labelClass: z.string().optional(), timeColumn: z.string().optional(),
      nabProfile: z.enum(['standard', 'reward_low_FP_rate', 'reward_low_FN_rate']).optional(),
      threshold: z.union([z.number(), z.string().regex(/^best$/, 'a number or "best"')]).optional(),
    }).refine((p) => !p.labelSet || !!p.timeColumn, { message: 'NAB scoring needs the time column', path: ['timeColumn'] }),
  },
  crossValidate: {
    label: 'Cross-validate', category: 'evaluate', runtime: 'none',
    // Refits the model's upstream chain on each fold's training rows; `data` is the table to fold (e.g. Split's train output).
    inputs: [{ name: 'model', type: 'model', required: true }, { name: 'data', type: 'table', required: true }],
    outputs: [{ name: 'metrics', type: 'metrics' }],
    params: z.object({ k: z.number().int().min(2, 'needs at least 2 folds').max(50).default(5), stratified: z.boolean().default(true), shuffle: z.boolean().default(true), seed }),
  },
  explain: {
    label: 'Explain', category: 'evaluate', runtime: 'none',
    inputs: [{ name: 'model', type: 'model', required: true }, { name: 'data', type: 'table', required: true }],
    outputs: [{ name: 'explanation', type: 'metrics' }],
    params: z.object({ maxRows: z.number().int().min(1).default(500), repeats: z.number().int().min(1).max(50).default(5), pdpColumns: z.number().int().min(0).max(20).default(4), seed }),
  },
  sweep: {
    label: 'Sweep', category: 'evaluate', runtime: 'none', inputs: trainIn, outputs: [...modelOut, { name: 'metrics', type: 'metrics' }],
    params: z.object({ space: z.record(z.string(), z.array(z.union([z.number(), z.string(), z.boolean()]))).default({}), method: z.enum(['grid', 'random']).default('grid'), trials: z.number().int().min(1).default(20), metric: z.string().default(''), seed }),
  },
} satisfies Record<string, NodeSpec>;

/** The kinds of pipeline node. */
export type NodeKind = keyof typeof nodeCatalog;

/** All node kinds, in catalog order (palette order). */
export const NODE_KINDS = Object.keys(nodeCatalog).filter(isNodeKind);

/** Narrows a string to a node kind. */
export function isNodeKind(kind: string): kind is NodeKind {
  return Object.prototype.hasOwnProperty.call(nodeCatalog, kind);
}

/** The catalog entry of a kind. */
export function nodeSpec(kind: NodeKind): NodeSpec {
  return nodeCatalog[kind];
}
