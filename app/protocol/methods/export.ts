import { z } from 'zod';
import { method } from '../spec';
import { workspacePath } from './workspace';

const runId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'a run id is 1–64 letters, digits, _ or -');

/** A curl command of the bundle's README (what "Copy curl command" puts on the clipboard). */
export const CurlExample = z.object({ title: z.string(), command: z.string() });
export type CurlExample = z.infer<typeof CurlExample>;

/** What `export.run` wrote: the bundle folder (workspace-relative), its files and curl examples. */
export const ExportRunResult = z.object({
  runId: z.string(),
  /** The bundle folder, relative to the workspace (e.g. `exports/adult-income`). */
  dir: z.string(),
  /** The same folder as an absolute path on the backend's machine. */
  absoluteDir: z.string(),
  files: z.array(z.string()),
  bytes: z.number(),
  /** The zip beside the folder (workspace-relative), when asked for. */
  zip: z.string().optional(),
  modelName: z.string(),
  curl: z.array(CurlExample),
});
export type ExportRunResult = z.infer<typeof ExportRunResult>;

/** One metric of a re-run: the recorded value and the rebuilt one (null where one side lacks it). */
export const RerunMetric = z.object({ key: z.string(), stored: z.number().nullable(), rebuilt: z.number().nullable() });
export type RerunMetric = z.infer<typeof RerunMetric>;

/** The verdict of re-creating a run from its record: same ONNX bytes, same metrics. */
export const RerunVerdict = z.object({
  runId: z.string(),
  /** model.onnx rebuilt byte for byte. */
  identical: z.boolean(),
  storedBytes: z.number(),
  rebuiltBytes: z.number(),
  /** Every recorded evaluation metric equals the rebuilt one exactly (and there is at least one). */
  metricsEqual: z.boolean(),
  metrics: z.array(RerunMetric),
  /** Datasets whose fingerprint changed since the run. */
  changedData: z.array(z.string()),
  failed: z.object({ nodeId: z.string(), message: z.string() }).optional(),
});
export type RerunVerdict = z.infer<typeof RerunVerdict>;

export const exportMethods = {
  'export.run': method(z.object({
    runId,
    /** Default: `exports/<run name or id>` (a free `-2`, `-3` … suffix when that folder is taken). */
    outDir: workspacePath.optional(),
    zip: z.boolean().default(false),
  }), ExportRunResult, 'Export a run with a compiled model to a serving bundle folder in the workspace.'),
  'runs.rerun': method(z.object({ runId }), RerunVerdict, 'Re-create a run from its record (pipeline snapshot + data) and compare the ONNX bytes and metrics.'),
} as const;

export const exportEvents = {} as const;
