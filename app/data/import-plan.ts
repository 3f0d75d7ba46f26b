import { assertNever } from '../base/assert';
import { quoteLiteral } from './engine';

/** Names starting with this are an import in progress: hidden from the catalog, never kept. */
export const TEMP_PREFIX = '__vajra_import_';

/** File formats a dataset can be imported from. `arrow` is Arrow IPC (file or stream format). */
export type FileFormat = 'csv' | 'tsv' | 'json' | 'ndjson' | 'parquet' | 'arrow';

const EXTENSIONS: Record<string, FileFormat> = {
  csv: 'csv', tsv: 'tsv', tab: 'tsv', json: 'json', ndjson: 'ndjson', jsonl: 'ndjson',
  parquet: 'parquet', pq: 'parquet', arrow: 'arrow', arrows: 'arrow', feather: 'arrow', ipc: 'arrow',
};

/** Compression suffixes DuckDB reads transparently (`data.csv.gz`). */
const COMPRESSED = /\.(gz|zst)$/i;

/** The file's base name without directories (either separator). */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** Format from the file name's extension (case-insensitive, `.gz`/`.zst` ignored), or null. */
export function detectFormat(path: string): FileFormat | null {
  const name = baseName(path).replace(COMPRESSED, '');
  const dot = name.lastIndexOf('.');
  if (dot < 0) return null;
  return EXTENSIONS[name.slice(dot + 1).toLowerCase()] ?? null;
}

/**
 * A table name from a file name: extensions dropped, lower-case, runs of anything but `[a-z0-9_]`
 * turned into `_`, a leading digit prefixed with `t_`; then `_2`, `_3` … until it is not in
 * `taken` (compared case-insensitively, as DuckDB does).
 */
export function deriveTableName(path: string, taken: Iterable<string>): string {
  const stem = baseName(path).replace(COMPRESSED, '').replace(/\.[^.]*$/, '');
  let base = stem.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (base === '') base = 'data';
  if (/^[0-9]/.test(base)) base = `t_${base}`;
  const used = new Set([...taken].map((name) => name.toLowerCase()));
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) {
    if (!used.has(`${base}_${n}`)) return `${base}_${n}`;
  }
}

/** Options of reading a text file. `header` defaults to true (a first row of names). */
export interface ReadOptions {
  header?: boolean;
}

/**
 * The DuckDB table function that reads `path` as `format`, e.g. `read_csv('a.csv', delim=',', …)`.
 * CSV/TSV fix the delimiter and header and read strictly, so a ragged row is an error instead of
 * a silently re-sniffed one-column table. Arrow IPC has no reader in DuckDB offline: null.
 */
export function readFunctionSql(format: FileFormat, path: string, options: ReadOptions = {}): string | null {
  const file = quoteLiteral(path);
  const header = (options.header ?? true) ? 'true' : 'false';
  switch (format) {
    case 'csv':
      return `read_csv(${file}, delim=',', header=${header}, strict_mode=true, skip=0)`;
    case 'tsv':
      return `read_csv(${file}, delim='\\t', header=${header}, strict_mode=true, skip=0)`;
    case 'json':
      return `read_json(${file})`;
    case 'ndjson':
      return `read_json(${file}, format='newline_delimited')`;
    case 'parquet':
      return `read_parquet(${file})`;
    case 'arrow':
      return null;
    default:
      return assertNever(format, 'file format');
  }
}
