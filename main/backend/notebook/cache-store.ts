import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { quoteLiteral, type Engine } from '../../../app/data/engine';
import { writeFileAtomic } from '../fs/atomic';

/** Where cell outputs are cached, relative to the workspace root (hidden from the file tree). */
export const CACHE_FOLDER = '.vajra/cache/notebook';

const keyPattern = /^[0-9a-f]{64}$/;

/** One cached cell output: its JSON text (a table's rows stay in DuckDB, never in the cache). */
export interface CacheEntry {
  key: string;
  output: string;
}

function jsonPath(root: string, key: string): string {
  if (!keyPattern.test(key)) throw new Error(`not a cache key: ${key}`);
  return join(root, CACHE_FOLDER, key.slice(0, 2), `${key}.json`);
}

/**
 * Cell outputs keyed by their content hash (`computeCellKeys`), one file per key, written
 * atomically. A key names its inputs exactly, so an entry never goes stale: it is only unused.
 */
export class NotebookCache {
  constructor(private readonly root: string) {}

  /** The entries of `keys` that exist (missing or unreadable ones are left out). */
  async read(keys: readonly string[]): Promise<CacheEntry[]> {
    const found: CacheEntry[] = [];
    for (const key of new Set(keys)) {
      if (!keyPattern.test(key)) continue;
      const output = await readFile(jsonPath(this.root, key), 'utf8').catch(() => undefined);
      if (output !== undefined) found.push({ key, output });
    }
    return found;
  }

  /** Stores one entry atomically. */
  async write(entry: CacheEntry): Promise<void> {
    const path = jsonPath(this.root, entry.key);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFileAtomic(path, entry.output);
  }
}

async function fileFingerprint(root: string, path: string): Promise<string> {
  const info = await stat(join(root, path)).catch(() => undefined);
  return info ? `file:${info.size}:${Math.floor(info.mtimeMs)}` : 'missing';
}

/**
 * Fingerprints of the data sets cells read, for cache keys: a file by size and modification time;
 * a workspace table or view by the file it was made from (vajra_meta.sources) or else its size.
 */
export async function fingerprints(engine: Engine, root: string, files: readonly string[], tables: readonly string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const file of files) if (!/^[a-z]+:\/\//i.test(file)) out[file] = await fileFingerprint(root, file);
  for (const table of tables) {
    const name = table.toLowerCase();
    const source = await engine.query(`SELECT path FROM vajra_meta.sources WHERE lower(name) = ${quoteLiteral(name)}`).catch(() => undefined);
    const path = source?.get(0)?.toJSON()['path'];
    if (typeof path === 'string') { out[name] = await fileFingerprint(root, path); continue; }
    const size = await engine.query(`SELECT estimated_size AS n, column_count AS c FROM duckdb_tables() WHERE schema_name = 'main' AND lower(table_name) = ${quoteLiteral(name)}`);
    const row = size.get(0)?.toJSON();
    out[name] = row ? `table:${String(row['n'])}:${String(row['c'])}` : 'missing';
  }
  return out;
}
