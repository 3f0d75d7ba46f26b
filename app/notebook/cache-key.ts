import type { CellId } from '../base/ids';
import type { NotebookGraph } from './graph';
import { sha256Hex } from '../base/sha256';
import { topologicalOrder } from './scheduler';
import type { NotebookCell, NotebookDoc } from './types';

/** Options that change only how a cell looks, never what it computes: not part of its key. */
export const displayOptions: ReadonlySet<string> = new Set(['hide', 'fold']);

const keyVersion = 'vajra-cell-key-v1';

function sortedEntries(record: Readonly<Record<string, string | true>>): Array<[string, string | true]> {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The cache key of a cell's result: SHA-256 (hex) over a canonical JSON encoding of its kind,
 * language, name, non-display options (sorted), source, the keys of the cells it reads (by the
 * name it reads them under, sorted) and the fingerprints of the data sets it reads (sorted).
 * The cell id is not part of it, so moving a cell or reloading the file keeps its key.
 */
export function cellCacheKey(cell: NotebookCell, upstreamKeys: Readonly<Record<string, string>>, datasetFingerprints: Readonly<Record<string, string>>): string {
  const options = sortedEntries(cell.options).filter(([key]) => !displayOptions.has(key));
  const encoding = JSON.stringify([
    keyVersion, cell.kind, cell.language ?? null, cell.name ?? null, options, cell.source,
    sortedEntries(upstreamKeys), sortedEntries(datasetFingerprints),
  ]);
  return sha256Hex(encoding);
}

/**
 * Keys of every runnable cell, computed in dependency order. `fingerprints` maps a data set —
 * a table name (lower case) or a file path as written in the SQL — to a content fingerprint; a
 * data set the map does not know is hashed as `unknown`. Cells with graph errors, and every cell
 * downstream of them, get no key (their results are never cached).
 */
export function computeCellKeys(doc: NotebookDoc, graph: NotebookGraph, fingerprints: Readonly<Record<string, string>>): Record<CellId, string | undefined> {
  const cells = new Map(doc.cells.map((c) => [c.id, c]));
  const keys: Record<CellId, string | undefined> = {};
  const runnable = new Set(graph.order.filter((id) => graph.nodes[id]!.isRunnable));
  for (const id of topologicalOrder(graph, runnable)) {
    const node = graph.nodes[id]!;
    const upstreamKeys: Record<string, string> = {};
    let isKeyed = node.errors.length === 0;
    for (const up of node.upstream) {
      const key = keys[up.id];
      if (key === undefined) isKeyed = false;
      else upstreamKeys[up.name] = key;
    }
    const datasets: Record<string, string> = {};
    for (const ref of node.unresolved) if (ref.via === 'table') datasets[`table:${ref.name.toLowerCase()}`] = fingerprints[ref.name.toLowerCase()] ?? 'unknown';
    for (const file of node.files) datasets[`file:${file}`] = fingerprints[file] ?? 'unknown';
    keys[id] = isKeyed ? cellCacheKey(cells.get(id)!, upstreamKeys, datasets) : undefined;
  }
  return keys;
}
