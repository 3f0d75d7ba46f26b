import { z } from 'zod';
import { aliasEntrySchema, modelVersionSchema } from '../../tracking/model-registry';
import { artifactSchema, paramValueSchema, runRecordSchema, runStatusSchema } from '../../tracking/run-model';
import { bytes, method } from '../spec';

/** Run ids as folder names (`runIdSchema` without the brand, so callers pass plain strings). */
const runId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'a run id is 1–64 letters, digits, _ or -');
const key = z.string().min(1).max(250);

/** How a metric column summarises a history: its last value, its minimum or its maximum. */
export const MetricAgg = z.enum(['last', 'min', 'max']);
export type MetricAgg = z.infer<typeof MetricAgg>;

/** A column of the runs table (`RunField` of app/tracking/run-query.ts). */
export const RunFieldSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('metric'), key, agg: MetricAgg.optional() }),
  z.object({ kind: z.literal('param'), key }),
  z.object({ kind: z.literal('tag'), key }),
  z.object({ kind: z.literal('attribute'), key: z.enum(['id', 'name', 'status', 'experiment', 'startTime', 'endTime', 'parentRunId']) }),
]);
export type RunFieldSchema = z.infer<typeof RunFieldSchema>;

const scalar = z.union([z.string().max(10_000), z.number()]);

/** One filter condition; the clauses of a list are joined by AND. */
export const RunFilterClause = z.object({
  field: RunFieldSchema,
  op: z.enum(['=', '!=', '>', '>=', '<', '<=', 'LIKE', 'ILIKE', 'IN', 'NOT IN']),
  value: z.union([scalar, z.array(scalar).max(1000)]),
});
export type RunFilterClause = z.infer<typeof RunFilterClause>;

export const RunSortKey = z.object({ field: RunFieldSchema, descending: z.boolean().default(false) });
export type RunSortKey = z.infer<typeof RunSortKey>;

/** A cell value of the table: null where the run lacks the field or the value is not finite. */
const cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** One row of `runs.list`: the run's attributes and one value per requested column. */
export const RunRow = z.object({
  id: z.string(),
  name: z.string(),
  experiment: z.string(),
  status: runStatusSchema,
  startTime: z.number(),
  endTime: z.number().nullable(),
  values: z.array(cell),
  /** The value of the group-by field (only when grouping). */
  group: cell.optional(),
});
export type RunRow = z.infer<typeof RunRow>;

/** A saved table layout: its columns, sort and grouping. */
export const RunsLayout = z.object({
  name: z.string().min(1).max(100),
  columns: z.array(RunFieldSchema).max(500),
  sort: z.array(RunSortKey).max(5).default([]),
  groupBy: RunFieldSchema.nullable().default(null),
});
export type RunsLayout = z.infer<typeof RunsLayout>;

/** A metric history for a chart: parallel arrays, in step order (null = NaN/±Infinity). */
export const MetricSeries = z.object({
  key: z.string(),
  steps: z.array(z.number()),
  values: z.array(z.number().nullable()),
  /** True when the history had more points than asked and was thinned evenly (last point kept). */
  thinned: z.boolean(),
});
export type MetricSeries = z.infer<typeof MetricSeries>;

export const MetricSummaryRow = z.object({
  key: z.string(),
  last: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  lastStep: z.number(),
  count: z.number(),
});
export type MetricSummaryRow = z.infer<typeof MetricSummaryRow>;

/** A registered model with its versions and aliases (current version + full history). */
export const RegisteredModel = z.object({
  name: z.string(),
  versions: z.array(modelVersionSchema),
  aliases: z.array(z.object({ alias: z.string(), version: z.number(), history: z.array(aliasEntrySchema) })),
});
export type RegisteredModel = z.infer<typeof RegisteredModel>;

const ids = z.array(runId).min(1).max(10_000);

export const runsMethods = {
  'runs.list': method(z.object({
    columns: z.array(RunFieldSchema).max(500).default([]),
    filter: z.array(RunFilterClause).max(50).default([]),
    /** Case-insensitive text found in the id, name, experiment, a param value or a tag. */
    search: z.string().max(500).default(''),
    sort: z.array(RunSortKey).max(5).default([]),
    groupBy: RunFieldSchema.nullable().default(null),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(5000).default(200),
  }), z.object({
    total: z.number(),
    rows: z.array(RunRow),
    /** Groups over all matching runs (not only this page), in display order. */
    groups: z.array(z.object({ value: cell, count: z.number() })),
  }), 'Runs of the workspace: filtered, searched, sorted and grouped on the server, one page of rows.'),
  'runs.columns': method(z.object({}), z.object({
    params: z.array(z.string()), metrics: z.array(z.string()), tags: z.array(z.string()), experiments: z.array(z.string()), count: z.number(),
  }), 'Every param, metric and tag key used by some run (for the column chooser).'),
  'runs.get': method(z.object({ id: runId, maxPoints: z.number().int().min(10).max(100_000).default(2000) }), z.object({
    record: runRecordSchema,
    metrics: z.array(MetricSummaryRow),
    series: z.array(MetricSeries),
  }), 'One run: its record (params, tags, artifacts, reproducibility, lineage), metric summaries and curves.'),
  'runs.compare': method(z.object({ ids: z.array(runId).min(2).max(20), maxPoints: z.number().int().min(10).max(20_000).default(1000) }), z.object({
    runs: z.array(z.object({ record: runRecordSchema, metrics: z.array(MetricSummaryRow), series: z.array(MetricSeries) })),
    /** Params that differ between the runs; `values[i]` belongs to `runs[i]` (null = missing). */
    paramDiff: z.array(z.object({ key: z.string(), values: z.array(paramValueSchema.nullable()) })),
    /** Metric keys that some run has, sorted. */
    metricKeys: z.array(z.string()),
  }), 'Compare 2–20 runs: param diff (only what differs), metric summaries and curves.'),
  'runs.artifact': method(z.object({ id: runId, path: artifactSchema.shape.path }), z.object({ bytes, mediaType: z.string() }), 'The bytes of one artifact of a run, with its media type.'),
  'runs.delete': method(z.object({ ids }), z.object({ deleted: z.number() }), 'Move runs to the trash (runs/.trash), restorable.'),
  'runs.restore': method(z.object({ ids }), z.object({ restored: z.number() }), 'Bring runs back from the trash.'),
  'runs.purge': method(z.object({ ids }), z.object({ purged: z.number() }), 'Delete runs for good (live or in the trash), freeing their disk space.'),
  'runs.trash': method(z.object({}), z.object({ runs: z.array(z.object({ id: z.string(), name: z.string(), experiment: z.string(), startTime: z.number() })) }), 'Runs in the trash.'),
  'runs.registerModel': method(z.object({
    runId,
    name: z.string().min(1).max(128),
    /** The model artifact; default: the run's first artifact of kind `model` (else an `.onnx` file). */
    artifactPath: z.string().min(1).optional(),
    alias: z.string().min(1).max(64).optional(),
    description: z.string().max(10_000).optional(),
  }), z.object({ version: modelVersionSchema, model: RegisteredModel }), 'Register a run\'s model as a new version of a named model, optionally pointing an alias at it.'),
  'runs.setAlias': method(z.object({ name: z.string().min(1), alias: z.string().min(1).max(64), version: z.number().int().positive() }), RegisteredModel, 'Point an alias (champion, challenger …) at a model version.'),
  'runs.rollbackAlias': method(z.object({ name: z.string().min(1), alias: z.string().min(1).max(64) }), RegisteredModel, 'Move an alias back to the version it had before.'),
  'runs.registry': method(z.object({}), z.object({ models: z.array(RegisteredModel) }), 'Every registered model with its versions and aliases.'),
  'runs.layouts': method(z.object({}), z.object({ layouts: z.array(RunsLayout) }), 'Saved column layouts of the runs table.'),
  'runs.saveLayout': method(RunsLayout, z.object({ layouts: z.array(RunsLayout) }), 'Save (or replace by name) a column layout.'),
  'runs.deleteLayout': method(z.object({ name: z.string().min(1) }), z.object({ layouts: z.array(RunsLayout) }), 'Delete a saved column layout.'),
} as const;

export const runsEvents = {
  /** Runs were created, logged to, changed or deleted; `ids` empty when unknown or many. */
  'runs.changed': z.object({ ids: z.array(z.string()) }),
} as const;
