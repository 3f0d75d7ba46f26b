import { z } from 'zod';
import { assertNever } from '../../base/assert';
import { UserInputError } from '../../base/errors';
import type { CancelSignal, ProgressSink } from '../../base/signal';
import { encodeClasses } from '../../ml/check';
import { fitKMeans } from '../../ml/kmeans';
import { fitLinearRegression, fitRidge } from '../../ml/linear-regression';
import { fitLogisticRegression } from '../../ml/logistic-regression';
import { fitNaiveBayes } from '../../ml/naive-bayes';
import { fitDecisionTreeClassifier, fitDecisionTreeRegressor, fitRandomForestClassifier, fitRandomForestRegressor } from '../../ml/trees/forest';
import { fitHistGradientBoostingClassifier, fitHistGradientBoostingRegressor } from '../../ml/trees/hist-gbdt';
import { fitIsolationForest } from '../../ml/trees/isolation-forest';
import type { ClassLabels, FittedModel, Matrix, TrainContext } from '../../ml/types';
import { nodeCatalog } from '../catalog';
import type { ModelTask } from './types';

/** Node kinds that train a model from a table. */
export const TRAINABLE_KINDS = ['linearRegression', 'ridge', 'logisticRegression', 'decisionTree', 'randomForest', 'histGradientBoosting', 'kmeans', 'isolationForest', 'naiveBayes'] as const;
/** A node kind that trains a model. */
export type TrainableKind = (typeof TRAINABLE_KINDS)[number];

/** Narrows a node kind to a trainable one. */
export function isTrainableKind(kind: string): kind is TrainableKind {
  return (TRAINABLE_KINDS as readonly string[]).includes(kind);
}

/**
 * One training job as plain, structured-clonable data (what a worker thread receives). `params`
 * are the node's raw params (checked here again); `y` is null for unsupervised kinds.
 */
export interface ModelJob {
  kind: TrainableKind;
  params: Record<string, unknown>;
  x: Matrix;
  y: Float64Array | string[] | null;
  featureNames: string[];
}

/** One point of a training curve (boosting): mean loss after `iteration` (0 = baseline). */
export interface TrainingStep {
  iteration: number;
  trainLoss: number;
  validLoss?: number;
}

/** A fitted model with its training curve (empty for kinds without iterations). */
export interface ModelJobResult {
  model: FittedModel;
  history: TrainingStep[];
}

/** Extra gradient-boosting settings read from the node's params when present (beyond the catalog's). */
const boostingExtras = z.object({
  maxDepth: z.number().int().min(1).optional(),
  minSamplesLeaf: z.number().int().min(1).optional(),
  l2Regularization: z.number().min(0).optional(),
  earlyStopping: z.union([z.boolean(), z.literal('auto')]).optional(),
});

/** What a node of `kind` with `params` learns. */
export function taskOf(kind: TrainableKind, params: Record<string, unknown>): ModelTask {
  switch (kind) {
    case 'linearRegression':
    case 'ridge': return 'regression';
    case 'logisticRegression':
    case 'naiveBayes': return 'classification';
    case 'decisionTree':
    case 'randomForest':
    case 'histGradientBoosting': return params['task'] === 'regression' ? 'regression' : 'classification';
    case 'kmeans': return 'clustering';
    case 'isolationForest': return 'anomaly';
    default: return assertNever(kind, 'model kind');
  }
}

/** Sorted classes and each row's class index, refusing a target with fewer than two classes. */
export function classCodes(y: Float64Array | string[], target: string): { classes: ClassLabels; codes: Float64Array } {
  if (y.length === 0) throw new UserInputError(`The training table is empty, so there is nothing to learn "${target}" from.`);
  const { classes, codes } = encodeClasses(y instanceof Float64Array ? y : [...y]);
  if (classes.length < 2) throw new UserInputError(`The target "${target}" has only one class (${JSON.stringify(classes[0])}) in the training rows; a classifier needs at least two.`, { column: target });
  return { classes, codes: Float64Array.from(codes) };
}

function numericTarget(y: Float64Array | string[] | null, target: string): Float64Array {
  if (!(y instanceof Float64Array)) throw new UserInputError(`A regression needs a number target, but "${target}" holds text. Pick a number column, or set the task to classification.`, { column: target });
  return y;
}

function labelled(model: FittedModel, classes: ClassLabels): FittedModel {
  return model.kind === 'treeClassifier' ? { ...model, classes } : model;
}

/**
 * Fits the model a job describes. Deterministic: the same job (data, params, seed) gives the
 * same model, bit for bit. Cancellable where the trainer checks `signal`; progress per iteration.
 */
export function fitModelJob(job: ModelJob, ctx: { signal?: CancelSignal; progress?: ProgressSink; onStep?: (step: TrainingStep) => void } = {}): ModelJobResult {
  const target = String(job.params['target'] ?? 'target');
  const seed = typeof job.params['seed'] === 'number' ? job.params['seed'] : 0;
  const train: TrainContext = { seed, ...(ctx.signal ? { signal: ctx.signal } : {}), ...(ctx.progress ? { progress: ctx.progress } : {}) };
  const names = { featureNames: job.featureNames };
  const classes = () => classCodes(job.y ?? [], target);
  switch (job.kind) {
    case 'linearRegression': return plain(fitLinearRegression(job.x, numericTarget(job.y, target), names));
    case 'ridge': return plain(fitRidge(job.x, numericTarget(job.y, target), { ...names, alpha: nodeCatalog.ridge.params.parse(job.params).alpha }));
    case 'logisticRegression': {
      const p = nodeCatalog.logisticRegression.params.parse(job.params);
      const { classes: labels, codes } = classes();
      return plain(labelled(fitLogisticRegression(job.x, codes, { ...names, C: p.C, maxIter: p.maxIter }, train), labels), labels);
    }
    case 'naiveBayes': {
      const { classes: labels, codes } = classes();
      return plain(fitNaiveBayes(job.x, codes, { ...names, alpha: nodeCatalog.naiveBayes.params.parse(job.params).alpha }), labels);
    }
    case 'decisionTree': {
      const p = nodeCatalog.decisionTree.params.parse(job.params);
      const tree = { maxDepth: p.maxDepth, minSamplesLeaf: p.minSamplesLeaf };
      if (p.task === 'regression') return plain(fitDecisionTreeRegressor(job.x, numericTarget(job.y, target), tree, train));
      const { classes: labels, codes } = classes();
      return plain(labelled(fitDecisionTreeClassifier(job.x, codes, tree, train), labels));
    }
    case 'randomForest': {
      const p = nodeCatalog.randomForest.params.parse(job.params);
      const forest = { nEstimators: p.nTrees, ...(p.maxDepth === undefined ? {} : { maxDepth: p.maxDepth }) };
      if (p.task === 'regression') return plain(fitRandomForestRegressor(job.x, numericTarget(job.y, target), forest, train));
      const { classes: labels, codes } = classes();
      return plain(labelled(fitRandomForestClassifier(job.x, codes, forest, train), labels));
    }
    case 'histGradientBoosting': return fitBoosting(job, train, target, ctx.onStep);
    case 'kmeans': return plain(fitKMeans(job.x, { ...names, k: nodeCatalog.kmeans.params.parse(job.params).k }, train));
    case 'isolationForest': {
      const p = nodeCatalog.isolationForest.params.parse(job.params);
      return plain(fitIsolationForest(job.x, { nEstimators: p.nTrees, maxSamples: p.sampleSize }, train));
    }
    default: return assertNever(job.kind, 'model kind');
  }
}

/** Logistic regression and naive Bayes were fitted on class codes: give them back their labels. */
function plain(model: FittedModel, labels?: ClassLabels): ModelJobResult {
  if (labels && (model.kind === 'logisticRegression' || model.kind === 'naiveBayes')) return { model: { ...model, classes: labels }, history: [] };
  return { model, history: [] };
}

function fitBoosting(job: ModelJob, train: TrainContext, target: string, onStep?: (step: TrainingStep) => void): ModelJobResult {
  const p = nodeCatalog.histGradientBoosting.params.parse(job.params);
  const extra = boostingExtras.parse(job.params);
  const params = {
    maxIter: p.maxIter, learningRate: p.learningRate, maxLeafNodes: p.maxLeafNodes,
    ...(extra.maxDepth === undefined ? {} : { maxDepth: extra.maxDepth }),
    ...(extra.minSamplesLeaf === undefined ? {} : { minSamplesLeaf: extra.minSamplesLeaf }),
    ...(extra.l2Regularization === undefined ? {} : { l2Regularization: extra.l2Regularization }),
    ...(extra.earlyStopping === undefined ? {} : { earlyStopping: extra.earlyStopping }),
    ...(onStep ? { onIteration: onStep } : {}),
  };
  if (p.task === 'regression') {
    const fit = fitHistGradientBoostingRegressor(job.x, numericTarget(job.y, target), params, train);
    return { model: fit.model, history: fit.history.map(copyStep) };
  }
  const { classes: labels, codes } = classCodes(job.y ?? [], target);
  const fit = fitHistGradientBoostingClassifier(job.x, codes, params, train);
  return { model: labelled(fit.model, labels), history: fit.history.map(copyStep) };
}

function copyStep(s: TrainingStep): TrainingStep {
  return { iteration: s.iteration, trainLoss: s.trainLoss, ...(s.validLoss === undefined ? {} : { validLoss: s.validLoss }) };
}
