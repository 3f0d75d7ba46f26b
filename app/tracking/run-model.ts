import { z } from 'zod';
import type { Clock } from '../base/clock';
import { asId, newId, type RunId } from '../base/ids';
import type { Rng } from '../base/rng';

/**
 * The run record of the tracker: one tracked pipeline run, sweep trial or notebook run. The
 * record is small (metadata, params, tags, artifacts, reproducibility, lineage); the metric
 * history lives beside it as `MetricPoint`s so that a record can be rewritten cheaply.
 */

/** Run ids are safe as a folder name and as an MLflow run id (`^[A-Za-z0-9][\w-]{0,63}$`). */
export const runIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'a run id is 1–64 letters, digits, _ or -')
  .transform((value) => asId<RunId>(value));

/** Lifecycle of a run. `killed` = stopped by the user or found orphaned after a crash. */
export const runStatusSchema = z.enum(['running', 'finished', 'failed', 'killed']);
export type RunStatus = z.infer<typeof runStatusSchema>;

/** A param value after flattening: one scalar per dotted key. */
export const paramValueSchema = z.union([z.string(), z.number(), z.boolean()]);
export type ParamValue = z.infer<typeof paramValueSchema>;

/** One logged metric value. `timestamp` in ms since epoch; `step` an integer (0 when unknown). */
export const metricPointSchema = z.object({
  key: z.string().min(1).max(250),
  value: z.number(),
  step: z.number().int(),
  timestamp: z.number().int(),
});
export type MetricPoint = z.infer<typeof metricPointSchema>;

/** What an artifact is, so the UI and the exporter can pick the model file or the plots. */
export const artifactKindSchema = z.enum(['model', 'plot', 'data', 'report', 'code', 'other']);
export type ArtifactKind = z.infer<typeof artifactKindSchema>;

/** A file stored under the run's `artifacts/` folder. `path` is relative, `/`-separated. */
export const artifactSchema = z.object({
  path: z
    .string()
    .min(1)
    .refine((p) => !p.startsWith('/') && !p.split('/').some((part) => part === '..' || part === '' || part === '.'), 'a relative path without . or ..'),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  kind: artifactKindSchema,
});
export type Artifact = z.infer<typeof artifactSchema>;

/** Everything needed to run it again and to know whether the inputs changed. */
export const reproSchema = z.object({
  datasets: z.array(z.object({ name: z.string(), fingerprint: z.string() })).default([]),
  seed: z.number().int().optional(),
  /** Snapshots of the code that ran (pipeline file, notebook), relative to the run folder. */
  codeSnapshots: z.array(z.object({ path: z.string(), kind: z.enum(['pipeline', 'notebook', 'script']) })).default([]),
  /** `vajra` and library versions, e.g. `{ vajra: '0.1.0', 'onnxruntime-node': '1.30.0' }`. */
  versions: z.record(z.string(), z.string()).default({}),
  gitCommit: z.string().optional(),
});
export type Repro = z.infer<typeof reproSchema>;

/** Where a run comes from and what it produced. */
export const lineageSchema = z.object({
  parentRunId: z.string().optional(),
  producedModel: z.object({ name: z.string(), version: z.number().int().positive() }).optional(),
  labelSetVersionIds: z.array(z.string()).default([]),
});
export type Lineage = z.infer<typeof lineageSchema>;

/** The process that writes a running run; used to find runs orphaned by a crash. */
export const writerSchema = z.object({ pid: z.number().int(), host: z.string() });

/** The stored run record (`run.json`). Times in ms since epoch; `endTime` null while running. */
export const runRecordSchema = z.object({
  format: z.literal(1),
  id: runIdSchema,
  experiment: z.string().min(1),
  name: z.string(),
  status: runStatusSchema,
  startTime: z.number().int(),
  endTime: z.number().int().nullable(),
  params: z.record(z.string(), paramValueSchema),
  tags: z.record(z.string(), z.string()),
  artifacts: z.array(artifactSchema),
  repro: reproSchema,
  lineage: lineageSchema,
  writer: writerSchema.optional(),
});
export type RunRecord = z.infer<typeof runRecordSchema>;

/** Per-key summary of a metric history. `last` is the value at the highest (step, timestamp). */
export interface MetricSummary {
  last: number;
  min: number;
  max: number;
  lastStep: number;
  lastTimestamp: number;
  count: number;
}

/** What a run list needs: the record without artifacts/repro, plus metric summaries. */
export interface RunSummary {
  id: RunId;
  experiment: string;
  name: string;
  status: RunStatus;
  startTime: number;
  endTime: number | null;
  params: Record<string, ParamValue>;
  tags: Record<string, string>;
  parentRunId?: string;
  metrics: Record<string, MetricSummary>;
}

/** A whole run as plain data: record, full metric history and (optionally) artifact bytes. */
export interface RunBundle {
  record: RunRecord;
  metrics: MetricPoint[];
  artifacts?: Map<string, Uint8Array | string>;
}

/** A new sortable run id (creation order = lexicographic order). */
export function newRunId(clock: Clock, rng: Rng): RunId {
  return asId<RunId>(newId(clock.now(), () => rng.next()));
}

/** Fields a caller gives to start a run; the rest gets defaults. */
export interface NewRunInput {
  experiment: string;
  name?: string;
  params?: Record<string, ParamValue>;
  tags?: Record<string, string>;
  repro?: Partial<Repro>;
  lineage?: Partial<Lineage>;
  writer?: { pid: number; host: string };
  /** Start time in ms since epoch (default: now). */
  startTime?: number;
}

/** Builds a `running` record started now; validates it so bad input fails here, not on disk. */
export function createRunRecord(input: NewRunInput, clock: Clock, rng: Rng): RunRecord {
  const id = newRunId(clock, rng);
  return runRecordSchema.parse({
    format: 1,
    id,
    experiment: input.experiment,
    name: input.name ?? id,
    status: 'running',
    startTime: input.startTime ?? clock.now(),
    endTime: null,
    params: input.params ?? {},
    tags: input.tags ?? {},
    artifacts: [],
    repro: input.repro ?? {},
    lineage: input.lineage ?? {},
    ...(input.writer ? { writer: input.writer } : {}),
  });
}
