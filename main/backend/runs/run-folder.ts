import { readFile, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic';
import { runRecordSchema, type MetricSummary, type RunRecord } from '../../../app/tracking/run-model';
import { summarizeMetrics } from '../../../app/tracking/run-summary';
import { isMissing, readMetricsFile } from './metrics-log';
import { decodeSummaries, encodeSummaries } from './run-index';

/**
 * One run folder, `runs/<id>/`:
 * - `run.json`       the record (truth), replaced atomically
 * - `metrics.ndjson` the metric history (truth), fsynced appends
 * - `summary.json`   derived metric summaries + the byte length of metrics.ndjson they cover;
 *                    stale when that length differs, then recomputed from the history
 * - `artifacts/`     the run's files
 */
export const RUN_FILE = 'run.json';
export const METRICS_FILE = 'metrics.ndjson';
export const SUMMARY_FILE = 'summary.json';
export const ARTIFACTS_DIR = 'artifacts';

/** Reads and validates `run.json`; undefined when the folder has none. */
export async function readRecord(dir: string): Promise<RunRecord | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, RUN_FILE), 'utf8');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  return runRecordSchema.parse(JSON.parse(text));
}

/** Writes `run.json` atomically (validated first: a bad record never reaches the disk). */
export async function writeRecord(dir: string, record: RunRecord): Promise<void> {
  await writeFileAtomic(join(dir, RUN_FILE), `${JSON.stringify(runRecordSchema.parse(record), null, 2)}\n`);
}

/** Writes `summary.json` for a history of `metricsBytes` bytes. */
export async function writeSummaryFile(dir: string, metrics: Record<string, MetricSummary>, metricsBytes: number): Promise<void> {
  await writeFileAtomic(join(dir, SUMMARY_FILE), JSON.stringify({ metricsBytes, metrics: encodeSummaries(metrics) }));
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if (isMissing(error)) return 0;
    throw error;
  }
}

/** Metric summaries of a run folder and the history size they cover. */
export interface FolderSummary {
  metrics: Record<string, MetricSummary>;
  metricsBytes: number;
  /** True when recomputed from the history (summary.json missing or stale). */
  recomputed: boolean;
}

/**
 * Summaries of a run folder: summary.json when it covers the whole history, else recomputed
 * from metrics.ndjson. A torn last line is cut off the file when `repair` is set, so that later
 * appends start on a fresh line.
 */
export async function loadFolderSummary(dir: string, repair: boolean): Promise<FolderSummary> {
  const size = await sizeOf(join(dir, METRICS_FILE));
  try {
    const saved = JSON.parse(await readFile(join(dir, SUMMARY_FILE), 'utf8')) as { metricsBytes: number; metrics: Record<string, unknown[]> };
    if (saved.metricsBytes === size) return { metrics: decodeSummaries(saved.metrics), metricsBytes: size, recomputed: false };
  } catch (error) {
    if (!isMissing(error) && !(error instanceof SyntaxError)) throw error;
  }
  const read = await readMetricsFile(join(dir, METRICS_FILE));
  if (read.hadTornTail && repair) await truncate(join(dir, METRICS_FILE), read.validBytes);
  return { metrics: summarizeMetrics(read.points), metricsBytes: read.validBytes, recomputed: true };
}
