import type { FileKind } from '../protocol/methods/workspace';

/** File extensions DuckDB can import or query in place. */
export const DATA_EXTENSIONS = ['csv', 'tsv', 'txt.gz', 'csv.gz', 'json', 'ndjson', 'jsonl', 'parquet', 'arrow', 'feather', 'ipc'] as const;

const TEXT_EXTENSIONS = new Set(['md', 'txt', 'yaml', 'yml', 'toml', 'sql', 'js', 'ts', 'py', 'html', 'css', 'log']);

/**
 * The kind of a workspace entry, from its path (relative, forward slashes) and whether it is a
 * folder. Runs, label sets and exports are folders directly under `runs/`, `labels/`, `exports/`.
 */
export function fileKind(path: string, isFolder: boolean): FileKind {
  const parts = path.split('/');
  const name = parts.at(-1) ?? '';
  if (isFolder) {
    if (parts.length === 2 && parts[0] === 'runs') return 'run';
    if (parts.length === 2 && parts[0] === 'labels') return 'labelset';
    if (parts.length === 2 && parts[0] === 'exports') return 'export';
    return 'folder';
  }
  const lower = name.toLowerCase();
  if (path === 'vajra.json') return 'text';
  // Bookkeeping of the run store (index, experiment numbering) is not a dataset of the user's.
  if (parts.length === 2 && parts[0] === 'runs') return 'other';
  if (lower.endsWith('.notebook.md')) return 'notebook';
  if (lower.endsWith('.pipeline.json')) return 'pipeline';
  if (lower.endsWith('.expectations.json')) return 'expectations';
  if (lower.endsWith('.lfs.json')) return 'text';
  if (DATA_EXTENSIONS.some((ext) => lower.endsWith(`.${ext}`))) return 'dataset';
  const ext = lower.includes('.') ? lower.slice(lower.lastIndexOf('.') + 1) : '';
  return TEXT_EXTENSIONS.has(ext) ? 'text' : 'other';
}

/** Folders whose contents the file tree does not list (each is one entry of its own kind). */
export function isOpaqueFolder(path: string): boolean {
  const parts = path.split('/');
  return parts.length === 2 && (parts[0] === 'runs' || parts[0] === 'labels' || parts[0] === 'exports');
}
