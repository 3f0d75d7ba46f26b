import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunId } from '../../../app/base/ids';
import type { RunRecord, RunSummary } from '../../../app/tracking/run-model';
import { toRunSummary } from '../../../app/tracking/run-summary';
import { loadFolderSummary, readRecord, writeRecord, writeSummaryFile } from './run-folder';
import type { LoadedIndex } from './run-index';

/** What reconciling the index with the run folders found. */
export interface Reconciled {
  runs: Map<string, RunSummary>;
  /** Runs that were `running` with a dead writer, now `killed`. */
  recovered: RunId[];
  /** Number of index entries added, refreshed or dropped (0 = the index was exact). */
  changed: number;
}

interface ReconcileOptions {
  isWriterAlive: (writer: { pid: number; host: string }) => boolean;
}

async function runFolders(root: string): Promise<Set<string>> {
  const entries = await readdir(root, { withFileTypes: true });
  return new Set(entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name));
}

/**
 * Brings the loaded index in line with the folders, reading only what may have changed: runs
 * the journal marked dirty, runs still `running`, and folders the index does not know (a lost
 * snapshot thus rebuilds the index from the folders). A `running` run whose writer process is
 * gone is marked `killed` with the end time of its last metric; its acknowledged metrics stay.
 */
export async function reconcileIndex(root: string, loaded: LoadedIndex, options: ReconcileOptions): Promise<Reconciled> {
  const { runs } = loaded;
  const folders = await runFolders(root);
  let changed = 0;
  for (const id of [...runs.keys()]) {
    if (!folders.has(id)) {
      runs.delete(id);
      changed++;
    }
  }
  const toCheck = [...folders].filter((id) => loaded.dirty.has(id) || !runs.has(id) || runs.get(id)!.status === 'running');
  const recovered: RunId[] = [];
  const width = 16;
  for (let i = 0; i < toCheck.length; i += width) {
    await Promise.all(toCheck.slice(i, i + width).map(async (id) => {
      const summary = await revalidate(join(root, id), options, recovered);
      if (summary) runs.set(id, summary);
      else runs.delete(id);
      changed++;
    }));
  }
  return { runs, recovered, changed };
}

async function revalidate(dir: string, options: ReconcileOptions, recovered: RunId[]): Promise<RunSummary | undefined> {
  // A folder without run.json was never committed (crash inside createRun): not a run.
  const record = await readRecord(dir).catch(() => undefined);
  if (!record) return undefined;
  const orphaned = record.status === 'running' && (!record.writer || !options.isWriterAlive(record.writer));
  const folder = await loadFolderSummary(dir, orphaned || record.status !== 'running');
  if (!orphaned) {
    if (folder.recomputed && record.status !== 'running') await writeSummaryFile(dir, folder.metrics, folder.metricsBytes);
    return toRunSummary(record, folder.metrics);
  }
  let lastSeen = record.startTime;
  for (const s of Object.values(folder.metrics)) lastSeen = Math.max(lastSeen, s.lastTimestamp);
  const { writer: _writer, ...rest } = record;
  const killed: RunRecord = { ...rest, status: 'killed', endTime: lastSeen };
  await writeSummaryFile(dir, folder.metrics, folder.metricsBytes);
  await writeRecord(dir, killed);
  recovered.push(killed.id);
  return toRunSummary(killed, folder.metrics);
}
