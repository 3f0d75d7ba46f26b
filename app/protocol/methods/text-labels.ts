import { z } from 'zod';
import { TextLf } from '../../labels/text/lf-file';
import { method } from '../spec';
import { LabelClass, LabelSetName } from './labels';
import { workspacePath } from './workspace';

/** Where a text set's documents live: a workspace data file (CSV/Parquet/JSON, or a CoNLL file) or a database table. */
export const TextSource = z
  .object({ file: workspacePath.optional(), table: z.string().min(1).max(256).optional() })
  .refine((s) => (s.file === undefined) !== (s.table === undefined), { message: 'give exactly one of file or table' });
export type TextSource = z.infer<typeof TextSource>;

const column = z.string().min(1).max(256);
const runIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'a run id');

/** `labels/<name>/textset.json`: the documents, the task and the classes of a text label set. */
export const TextSetMeta = z.object({
  format: z.literal(1),
  kind: z.literal('text'),
  id: z.string().min(1).max(100),
  name: LabelSetName,
  source: TextSource,
  /** The text column (ignored for CoNLL files: a sentence is a document). */
  textColumn: column,
  /** A column with stable row ids; without it a document is named by its row number. */
  idColumn: column.optional(),
  /** A column with known classes, used only to measure (learning curve, LF accuracy). */
  goldColumn: column.optional(),
  classes: z.array(LabelClass).max(9),
  docMode: z.enum(['single', 'multi', 'none']),
  spanClasses: z.array(LabelClass).max(9),
  tokenSnap: z.boolean(),
  allowOverlap: z.boolean(),
  /** The workspace LFs file of this set (e.g. `spam.lfs.json`). */
  lfsFile: workspacePath.optional(),
  /** Retrain the active-learning model after this many new document labels. */
  retrainEvery: z.number().int().min(1).max(10_000),
  model: z.enum(['logistic', 'naiveBayes']),
  /** Tagging scheme CoNLL exports write (set by a CoNLL import to the file's own scheme; default BIO). */
  tagScheme: z.enum(['BIO', 'IO']).optional(),
  /** Tracked runs whose compiled models vote for the `voteEntropy` queue (2–10; none = the set's own model committee). */
  committeeRuns: z.array(runIdSchema).min(2).max(10).optional(),
});
export type TextSetMeta = z.infer<typeof TextSetMeta>;

const id = z.string().min(1).max(300);
const note = z.string().max(10_000).optional();
const docLabel = z.object({ kind: z.literal('doc'), id, doc: z.string().max(1000), labels: z.array(z.string().max(100)).max(50), note });
const spanLabel = z.object({ kind: z.literal('span'), id, doc: z.string().max(1000), start: z.number().int().min(0), end: z.number().int().min(1), label: z.string().max(100), note });
/** A text label (app/labels/model.ts DocLabel | SpanLabel). */
export const TextLabel = z.discriminatedUnion('kind', [docLabel, spanLabel]);
export type TextLabel = z.infer<typeof TextLabel>;

/** One text label edit (the add/update/delete subset of app/labels/ops.ts LabelOp). */
export const TextLabelOp = z.discriminatedUnion('op', [
  z.object({ op: z.literal('add'), label: TextLabel }),
  z.object({ op: z.literal('update'), label: TextLabel }),
  z.object({ op: z.literal('delete'), id }),
]);
export type TextLabelOp = z.infer<typeof TextLabelOp>;

/** A pre-annotation of a document: the model's or the LFs' proposed class with its probability. */
const Prediction = z.object({ source: z.enum(['model', 'lf']), label: z.string(), p: z.number() });

/** One document as the panel shows it. */
export const TextDoc = z.object({
  row: z.number(),
  doc: z.string(),
  text: z.string(),
  gold: z.string().optional(),
  predictions: z.array(Prediction),
  /** Spans the source file itself carries (CoNLL tags), shown as pre-annotations. */
  fileSpans: z.array(z.object({ start: z.number(), end: z.number(), label: z.string() })).optional(),
});
export type TextDoc = z.infer<typeof TextDoc>;

const CurvePoint = z.object({ labels: z.number(), accuracy: z.number(), on: z.enum(['gold', 'cv']) });
const ModelInfo = z.object({ trainedOn: z.number(), seq: z.number(), curve: z.array(CurvePoint), training: z.boolean(), error: z.string().optional() });
export type ModelInfo = z.infer<typeof ModelInfo>;

const LfRow = z.object({
  name: z.string(),
  kind: z.string(),
  polarity: z.array(z.string()),
  coverage: z.number(),
  overlaps: z.number(),
  conflicts: z.number(),
  correct: z.number().optional(),
  incorrect: z.number().optional(),
  empiricalAccuracy: z.number().optional(),
  learnedAccuracy: z.number().optional(),
});
/** The LF analysis table over the whole dataset, with the pairwise conflict matrix (m×m row-major). */
export const LfAnalysisResult = z.object({
  rows: z.number(),
  lfs: z.array(LfRow),
  labelCoverage: z.number(),
  labelOverlap: z.number(),
  labelConflict: z.number(),
  conflictMatrix: z.array(z.number()),
  ms: z.number(),
});
export type LfAnalysisResult = z.infer<typeof LfAnalysisResult>;

const SpanScores = z.object({ precision: z.number(), recall: z.number(), f1: z.number(), tp: z.number(), fp: z.number(), fn: z.number() });
/** Agreement of two text sets (app/labels/agreement.ts textAgreement): document kappa, span F1 with A as reference. */
export const TextAgreementResult = z.object({ documents: z.number(), kappa: z.number().nullable(), exact: SpanScores, overlap: SpanScores, spansA: z.number(), spansB: z.number() });
export type TextAgreementResult = z.infer<typeof TextAgreementResult>;

/** A saved version of a text set: its content id (labelSetVersion), the seq it was taken at, when (epoch ms), an optional note. */
export const TextSetVersion = z.object({ version: z.string(), seq: z.number(), savedAt: z.number(), note: z.string().optional() });
export type TextSetVersion = z.infer<typeof TextSetVersion>;

const Strategy = z.enum(['leastConfident', 'margin', 'entropy', 'voteEntropy']);

export const textLabelsMethods = {
  'textLabels.create': method(
    TextSetMeta.omit({ format: true, kind: true, id: true }).partial({ idColumn: true, goldColumn: true, lfsFile: true, tokenSnap: true, allowOverlap: true, retrainEvery: true, model: true, spanClasses: true, docMode: true }),
    z.object({ meta: TextSetMeta }),
    'Create a text label set over a table or data file (document classes and/or span classes).',
  ),
  'textLabels.list': method(z.object({}), z.object({ items: z.array(z.object({ name: z.string(), source: TextSource, labels: z.number(), seq: z.number() })) }), 'The text label sets of the workspace.'),
  'textLabels.open': method(
    z.object({ name: LabelSetName }),
    z.object({ meta: TextSetMeta, seq: z.number(), rows: z.number(), labels: z.array(TextLabel), model: ModelInfo.nullable() }),
    'Open a text label set: meta, every label, the document count and the active-learning model state.',
  ),
  'textLabels.docs': method(
    z.object({ name: LabelSetName, rows: z.array(z.number().int().min(0)).max(1000) }),
    z.object({ docs: z.array(TextDoc) }),
    'Documents by row number, with the pre-annotations of the current model and of the LFs.',
  ),
  'textLabels.apply': method(
    z.object({ name: LabelSetName, ops: z.array(TextLabelOp).min(1).max(1000), baseSeq: z.number().int().min(0).optional() }),
    z.object({ seq: z.number(), retraining: z.boolean() }),
    'Apply label edits (fsynced when this returns); may start a background retrain of the model.',
  ),
  'textLabels.queue': method(
    z.object({ name: LabelSetName, strategy: Strategy.default('leastConfident'), limit: z.number().int().min(1).max(1000).default(50) }),
    z.object({ entries: z.array(z.object({ row: z.number(), score: z.number() })), trainedOn: z.number(), strategy: Strategy, committee: z.enum(['runs', 'models']).optional() }),
    'Unlabelled rows, most uncertain under the current model first (row order before any model). voteEntropy uses the tracked-run committee when the set has one.',
  ),
  'textLabels.retrain': method(z.object({ name: LabelSetName }), ModelInfo, 'Retrain the active-learning model now (in a worker thread) and return its state with the learning curve.'),
  'textLabels.lfs': method(z.object({ name: LabelSetName }), z.object({ path: z.string(), classes: z.array(z.string()), text: z.string(), lfs: z.array(TextLf) }), 'The LFs file of a set (an empty one when it has none yet).'),
  'textLabels.saveLfs': method(
    z.object({ name: LabelSetName, lfs: z.array(TextLf).max(500) }),
    z.object({ path: z.string() }),
    'Write the LFs of a set to its workspace LFs file (atomically).',
  ),
  'textLabels.analyze': method(z.object({ name: LabelSetName }), LfAnalysisResult, 'Run every LF over the whole table (DuckDB + JS sandbox) and return the LF analysis.'),
  'textLabels.labelModel': method(
    z.object({ name: LabelSetName, table: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,99}$/).optional() }),
    z.object({ table: z.string(), rows: z.number(), kept: z.number(), majorityAccuracy: z.number().optional(), labelModelAccuracy: z.number().optional(), analysis: LfAnalysisResult, labelSetVersion: z.string() }),
    'Fit the label model on the LF votes and write a training table (abstains filtered) with label and confidence columns; the set’s version (saved if new) is recorded as the table’s comment for run lineage.',
  ),
  'textLabels.setCommittee': method(
    z.object({ name: LabelSetName, runs: z.array(runIdSchema).max(10) }),
    z.object({ runs: z.array(z.string()), rows: z.number(), unanimous: z.number() }),
    'Choose 2–10 tracked runs (their compiled ONNX models, scored in the backend) as the vote-entropy committee, or none to use the set’s own models. Returns the share of rows all members agree on.',
  ),
  'textLabels.agreement': method(
    z.object({ a: LabelSetName, b: LabelSetName }),
    TextAgreementResult,
    "Agreement of two text label sets over the same documents: document-level Cohen's kappa and span F1 (exact and overlap).",
  ),
  'textLabels.saveVersion': method(
    z.object({ name: LabelSetName, note: z.string().max(1000).optional() }),
    z.object({ version: z.string(), seq: z.number() }),
    'Record the current content id (labelSetVersion) in versions.ndjson, for runs to cite as lineage.',
  ),
  'textLabels.versions': method(
    z.object({ name: LabelSetName }),
    z.object({ current: z.string(), items: z.array(TextSetVersion) }),
    'The content id of the labels as they are now, and the saved versions of a text set, oldest first.',
  ),
} as const;

export const textLabelsEvents = {
  /** The background model of a text set finished training (or failed). */
  'textLabels.modelUpdated': z.object({ name: z.string(), trainedOn: z.number(), seq: z.number() }),
} as const;
