import { z } from 'zod';
import { bytes, method } from '../spec';
import { workspacePath } from './workspace';

/** A label set's name: also its folder `labels/<name>/`, so only file-name-safe characters. */
export const LabelSetName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,99}$/, 'letters, digits, space, _ . - (up to 100)');

/** One class of a label set: its name, a CSS colour and an optional shortcut key 1–9. */
export const LabelClass = z.object({
  name: z.string().min(1).max(100),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  key: z.number().int().min(1).max(9).optional(),
});
export type LabelClass = z.infer<typeof LabelClass>;

/** Where a series lives: a workspace data file or a database table, its time column and channels. */
export const SeriesSource = z.object({
  file: workspacePath.optional(),
  table: z.string().min(1).max(256).optional(),
  timeColumn: z.string().min(1).max(256),
  valueColumns: z.array(z.string().min(1).max(256)).min(1).max(16),
}).refine((s) => (s.file === undefined) !== (s.table === undefined), { message: 'give exactly one of file or table' });
export type SeriesSource = z.infer<typeof SeriesSource>;

/** `labels/<name>/labelset.json`: what the set labels and with which classes. */
export const LabelSetMeta = z.object({
  format: z.literal(1),
  id: z.string().min(1).max(100),
  name: LabelSetName,
  classes: z.array(LabelClass).min(1).max(50),
  target: SeriesSource,
  /** The series key labels carry (`RangeLabel.series`), e.g. the file path or NAB key. */
  series: z.string().min(1).max(1000),
});
export type LabelSetMeta = z.infer<typeof LabelSetMeta>;

const finite = z.number().refine(Number.isFinite, 'must be finite');
const note = z.string().max(10_000).optional();
const id = z.string().min(1).max(300);

const rangeLabel = z.object({ kind: z.literal('range'), id, series: z.string().max(1000), start: finite, end: finite, label: z.string().max(100), note });
const pointLabel = z.object({ kind: z.literal('point'), id, series: z.string().max(1000), at: finite, label: z.string().max(100), note });
/** A time-series label (app/labels/model.ts RangeLabel | PointLabel). */
export const SeriesLabel = z.discriminatedUnion('kind', [rangeLabel, pointLabel]);
export type SeriesLabel = z.infer<typeof SeriesLabel>;

const suggestion = z.object({
  id,
  proposal: SeriesLabel,
  source: z.object({ type: z.enum(['model', 'lf', 'detector']), name: z.string().max(200), run: z.string().max(200).optional() }),
  score: z.number(),
});

/** One label edit (app/labels/ops.ts LabelOp, the time-series subset a client may send). */
export const SeriesLabelOp = z.discriminatedUnion('op', [
  z.object({ op: z.literal('add'), label: SeriesLabel }),
  z.object({ op: z.literal('update'), label: SeriesLabel }),
  z.object({ op: z.literal('delete'), id }),
  z.object({ op: z.literal('suggest'), suggestions: z.array(suggestion).max(10_000) }),
  z.object({ op: z.literal('acceptSuggestion'), id, label: SeriesLabel.optional() }),
  z.object({ op: z.literal('rejectSuggestion'), id }),
  z.object({ op: z.literal('clearSuggestions'), source: z.string().max(200).optional() }),
]);
export type SeriesLabelOp = z.infer<typeof SeriesLabelOp>;

/** A reviewed stretch of a series (x units, inclusive). */
export const ReviewedRange = z.object({ series: z.string(), start: finite, end: finite });
export type ReviewedRange = z.infer<typeof ReviewedRange>;

/** Review progress: share of the series' x span marked reviewed, and suggestions still open. */
export const ReviewProgress = z.object({ reviewedFraction: z.number(), openSuggestions: z.number(), resolvedSuggestions: z.number() });
export type ReviewProgress = z.infer<typeof ReviewProgress>;

const LabelSetSummary = z.object({ name: z.string(), path: z.string(), series: z.string(), labels: z.number(), suggestions: z.number(), seq: z.number() });

/** Everything the annotator needs to show a set: meta, current labels and suggestions, seq. */
const LabelSetOpened = z.object({
  meta: LabelSetMeta,
  seq: z.number(),
  labels: z.array(SeriesLabel),
  suggestions: z.array(suggestion),
  reviewed: z.array(ReviewedRange),
  progress: ReviewProgress,
  extent: z.object({ from: z.number(), to: z.number(), rows: z.number(), timeKind: z.enum(['timestamp', 'number']) }),
});

const windowRequest = z.object({
  source: SeriesSource,
  from: finite,
  to: finite,
  pixels: z.number().int().min(1).max(8192),
});

const exportFormat = z.enum(['csv', 'jsonl', 'labelstudio', 'nab', 'table']);

export const labelsMethods = {
  'labels.list': method(z.object({}), z.object({ items: z.array(LabelSetSummary) }), 'The label sets of the workspace (folders under labels/).'),
  'labels.create': method(
    z.object({ name: LabelSetName, source: SeriesSource.optional(), file: workspacePath.optional(), classes: z.array(LabelClass).min(1).max(50).optional() }),
    z.object({ path: z.string(), meta: LabelSetMeta }),
    'Create a label set for a series (give a source, or just a data file to detect its time and value columns).',
  ),
  'labels.open': method(z.object({ name: LabelSetName }), LabelSetOpened, 'Open a label set: replay its log and return labels, suggestions, progress and the series extent.'),
  'labels.apply': method(
    z.object({ name: LabelSetName, op: SeriesLabelOp, baseSeq: z.number().int().min(0).optional() }),
    z.object({ seq: z.number(), duplicate: z.boolean() }),
    'Apply one label edit; it is on disk (fsynced) when this returns. With baseSeq a retried op is recognised, not applied twice.',
  ),
  'labels.query': method(
    z.object({ name: LabelSetName, from: finite, to: finite }),
    z.object({ labels: z.array(SeriesLabel), suggestions: z.array(suggestion) }),
    'Labels and suggestions that overlap [from, to] (x units).',
  ),
  'labels.suggest': method(
    z.object({
      name: LabelSetName, channel: z.number().int().min(0).default(0), window: z.number().int().min(2).max(100_000).default(50), threshold: z.number().positive().default(3), maxGap: z.number().int().min(1).default(1), label: z.string().optional(),
      detector: z.enum(['zscore', 'isolationForest', 'model']).default('zscore'),
      /** isolationForest/model: rows whose score is in the top (1 − quantile) become candidates. */
      quantile: z.number().gt(0).lt(1).default(0.99),
      /** model: a run id (its model.onnx) or a workspace .onnx file. */
      model: z.string().min(1).max(500).optional(),
    }),
    z.object({ seq: z.number(), added: z.number(), found: z.number(), source: z.string() }),
    'Run a detector over the series (rolling z-score in DuckDB; an isolation forest on lag/window features; or a model that outputs a score, through onnxruntime-node in chunks) and add its candidate ranges as suggestions. Reports progress; cancellable.',
  ),
  'labels.scoreModels': method(
    z.object({}),
    z.object({ items: z.array(z.object({ ref: z.string(), name: z.string(), kind: z.enum(['run', 'file']), output: z.string() })) }),
    'Models that output a score and can propose suggestions: tracked runs with a model.onnx and workspace .onnx files.',
  ),
  'labels.markReviewed': method(
    z.object({ name: LabelSetName, from: finite, to: finite }),
    ReviewProgress,
    'Mark [from, to] of the series as reviewed (durable) and return the new progress.',
  ),
  'labels.saveVersion': method(
    z.object({ name: LabelSetName, note: z.string().max(1000).optional() }),
    z.object({ version: z.string(), seq: z.number() }),
    'Record the current content id (labelSetVersion) in versions.ndjson, for runs to cite as lineage.',
  ),
  'labels.versions': method(z.object({ name: LabelSetName }), z.object({ items: z.array(z.object({ version: z.string(), seq: z.number(), savedAt: z.number(), note: z.string().optional() })) }), 'Saved versions of a label set, oldest first.'),
  'labels.export': method(
    z.object({ name: LabelSetName, format: exportFormat, table: z.string().min(1).max(256).optional() }),
    z.object({ text: z.string().optional(), table: z.string().optional(), rows: z.number() }),
    'Export: CSV of ranges, JSONL, Label Studio JSON or NAB windows as text; or a per-sample label column joined to the data as a DuckDB table.',
  ),
  'labels.import': method(
    z.object({ name: LabelSetName, format: z.enum(['labelstudio', 'nab', 'csv']), text: z.string().max(64 * 1024 * 1024), key: z.string().optional() }),
    z.object({ seq: z.number(), added: z.number() }),
    'Import labels into a set: Label Studio JSON, NAB windows (the entry `key`, default the set series) or ranges CSV.',
  ),
  'labels.agreement': method(
    z.object({ a: LabelSetName, b: LabelSetName }),
    z.object({ iou: z.number(), kappa: z.number(), samples: z.number() }),
    'Agreement of two label sets on the same series: range IoU and per-sample Cohen kappa.',
  ),
  'series.window': method(
    windowRequest,
    z.object({ bytes, from: z.number(), to: z.number(), rows: z.number() }),
    'M4-downsampled window of a series (first/last/min/max per pixel column, computed in DuckDB) as Arrow IPC.',
  ),
} as const;

export const labelsEvents = {
  /** A label set changed on the backend (another window, an import, the detector). */
  'labels.changed': z.object({ name: z.string(), seq: z.number() }),
} as const;
