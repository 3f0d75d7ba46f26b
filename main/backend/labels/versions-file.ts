import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { labelSetVersion } from '../../../app/labels/log';
import type { LabelSetState } from '../../../app/labels/model';
import { appendDurable } from '../fs/atomic';

/** The file, inside a label set's folder, that lists its saved versions. */
export const VERSIONS_FILE = 'versions.ndjson';

/** One saved version: the content id (labelSetVersion), the seq it was taken at, when (epoch ms), an optional note. */
export interface SavedVersion {
  version: string;
  seq: number;
  savedAt: number;
  note?: string;
}

/**
 * Appends the content id of `state` to `<dir>/versions.ndjson` (one fsynced line) and returns it.
 * Shared by the time-series and text label stores; callers serialise it with their other writes.
 */
export async function recordVersion(dir: string, state: LabelSetState, note?: string, now: () => number = Date.now): Promise<{ version: string; seq: number }> {
  const version = labelSetVersion(state);
  const entry: SavedVersion = { version, seq: state.seq, savedAt: now(), ...(note ? { note } : {}) };
  await appendDurable(join(dir, VERSIONS_FILE), `${JSON.stringify(entry)}\n`);
  return { version, seq: state.seq };
}

/** The saved versions of the set in `dir`, oldest first ([] when none were saved). */
export async function readVersions(dir: string): Promise<SavedVersion[]> {
  const rows = await readNdjson(join(dir, VERSIONS_FILE));
  return rows.flatMap((r) =>
    typeof r === 'object' && r !== null && 'version' in r && 'seq' in r && 'savedAt' in r && typeof r.version === 'string' && typeof r.seq === 'number' && typeof r.savedAt === 'number'
      ? [{ version: r.version, seq: r.seq, savedAt: r.savedAt, ...('note' in r && typeof r.note === 'string' ? { note: r.note } : {}) }]
      : [],
  );
}

/** Complete JSON lines of a file (a torn last line is skipped); [] when missing. */
export async function readNdjson(path: string): Promise<unknown[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const out: unknown[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // Only a torn final line can fail to parse (appends are whole lines); it was never acknowledged.
    }
  }
  return out;
}
