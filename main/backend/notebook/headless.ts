import type { ErrorData } from '../../../app/base/errors';
import type { CellId } from '../../../app/base/ids';
import type { CancelSignal } from '../../../app/base/signal';
import type { Engine } from '../../../app/data/engine';
import { computeCellKeys } from '../../../app/notebook/cache-key';
import { createCellExecutor, type CellValue, type NotebookRuntime } from '../../../app/notebook/executor';
import { parseNotebook } from '../../../app/notebook/format';
import { buildGraph, type NotebookGraph } from '../../../app/notebook/graph';
import { planRun, runPlan, type CellOutcome } from '../../../app/notebook/scheduler';
import type { NotebookDoc } from '../../../app/notebook/types';
import type { NativeDatabase } from '../data/native-engine';
import { fingerprints } from './cache-store';
import { NotebookSql } from './sql-session';

/** How one cell of a headless run ended, with its wall time in ms. */
export interface HeadlessCell {
  id: CellId;
  name: string | undefined;
  kind: string;
  status: CellOutcome<CellValue>['status'];
  ms: number;
  error?: ErrorData;
  upstream?: CellId;
  value?: CellValue;
}

/** The result of `runNotebook`: every planned cell in run order. */
export interface HeadlessRun {
  doc: NotebookDoc;
  cells: HeadlessCell[];
  failed: HeadlessCell[];
}

/** Node's runtime for the shared executor: native DuckDB for SQL, Node's AsyncFunction for JS. */
export function nodeRuntime(sql: NotebookSql): NotebookRuntime {
  return {
    runSql: (request, signal) => sql.run(request, signal),
    fetchRows: (query, limit, signal) => sql.fetchRows(query, limit, signal),
    builtins: {},
  };
}

/** Cache keys of every cell, with data-set fingerprints from the workspace. */
export async function notebookKeys(doc: NotebookDoc, graph: NotebookGraph, engine: Engine, root: string): Promise<Record<CellId, string | undefined>> {
  const files = new Set<string>();
  const tables = new Set<string>();
  for (const id of graph.order) {
    const node = graph.nodes[id]!;
    node.files.forEach((f) => files.add(f));
    node.unresolved.filter((r) => r.via === 'table').forEach((r) => tables.add(r.name));
  }
  return computeCellKeys(doc, graph, await fingerprints(engine, root, [...files], [...tables]));
}

/**
 * Runs every cell of a notebook in Node with the renderer's semantics (`createCellExecutor`):
 * SQL on the given workspace database (results stored in the notebook's schema), JS with Node's
 * AsyncFunction. Charts run their aggregation query; drawing them needs a DOM, so they are not
 * rendered here. `onCell` hears each cell as it settles.
 */
export async function runNotebook(options: {
  db: NativeDatabase;
  root: string;
  path: string;
  text: string;
  signal?: CancelSignal;
  onCell?: (cell: HeadlessCell) => void;
}): Promise<HeadlessRun> {
  const doc = parseNotebook(options.text);
  const graph = buildGraph(doc);
  const sql = await NotebookSql.open(options.db, options.path);
  const meta = await options.db.connect();
  try {
    const keys = await notebookKeys(doc, graph, meta, options.root);
    const execute = createCellExecutor(doc, nodeRuntime(sql), { keys });
    const plan = planRun(graph, [], 'all');
    const cells: HeadlessCell[] = [];
    let started = performance.now();
    const timed: typeof execute = (step, inputs, signal) => {
      started = performance.now();
      return execute(step, inputs, signal);
    };
    const byId = new Map(doc.cells.map((c) => [c.id, c]));
    await runPlan(plan, timed, {
      ...(options.signal ? { signal: options.signal } : {}),
      onOutcome: (id, outcome) => {
        const cell = byId.get(id)!;
        const entry: HeadlessCell = { id, name: cell.name, kind: cell.kind, status: outcome.status, ms: performance.now() - started };
        if (outcome.status === 'error') entry.error = outcome.error;
        if (outcome.status === 'upstream-error') entry.upstream = outcome.upstream;
        if (outcome.status === 'ok') entry.value = outcome.value;
        started = performance.now();
        cells.push(entry);
        options.onCell?.(entry);
      },
    });
    return { doc, cells, failed: cells.filter((c) => c.status !== 'ok') };
  } finally {
    await sql.close();
    await meta.close();
  }
}
