import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Engine } from '../../../app/data/engine';
import { quoteIdent } from '../../../app/data/engine';
import { deriveTableName, detectFormat, readFunctionSql } from '../../../app/data/import-plan';

const VIEWABLE = new Set(['csv', 'tsv', 'json', 'ndjson', 'parquet']);

/**
 * Creates a view per data file in `<root>/data/` named as the workspace database names it
 * (`adult.csv` → `adult`), so a headless run resolves the same dataset names as the app. The
 * engine's `file_search_path` must be the workspace root (paths stay relative). Returns the names.
 */
export async function registerDataViews(engine: Engine, root: string): Promise<string[]> {
  const entries = await readdir(join(root, 'data'), { withFileTypes: true }).catch(() => []);
  const names: string[] = [];
  for (const entry of entries.filter((e) => e.isFile()).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const format = detectFormat(entry.name);
    if (!format || !VIEWABLE.has(format)) continue;
    const path = `data/${entry.name}`;
    const reader = readFunctionSql(format, path);
    if (!reader) continue;
    const name = deriveTableName(path, names);
    await engine.exec(`CREATE OR REPLACE VIEW ${quoteIdent(name)} AS SELECT * FROM ${reader}`);
    names.push(name);
  }
  return names;
}
