import type { CellId } from '../base/ids';
import { parseInputSpec } from './cell-specs';
import { cellDefines, cellReferences, type CellRef } from './deps';
import { jsGlobals } from './js-refs';
import type { CellKind, NotebookDoc } from './types';

/** Why a cell cannot run, whatever its upstream does. */
export interface GraphError {
  kind: 'cycle' | 'duplicate-name' | 'invalid';
  message: string;
}

/** An upstream cell and the name through which it is read. */
export interface Upstream {
  id: CellId;
  name: string;
}

/** One cell in the dependency graph. */
export interface GraphNode {
  id: CellId;
  kind: CellKind;
  name: string | undefined;
  /** Cells this one reads, in first-reference order; one entry per (cell, name). */
  upstream: Upstream[];
  /** Cells that read this one, in document order. */
  downstream: CellId[];
  /** References no cell defines: data set tables, or variables that are not defined anywhere. */
  unresolved: CellRef[];
  /** Files the cell reads itself (for data fingerprints). */
  files: string[];
  errors: GraphError[];
  /** False for foreign cells, which never run. */
  isRunnable: boolean;
}

/** The notebook's dataflow: nodes by id plus the document order. Plain data (structured-clone safe). */
export interface NotebookGraph {
  order: CellId[];
  nodes: Record<CellId, GraphNode>;
}

function definers(doc: NotebookDoc): { exact: Map<string, CellId[]>; lower: Map<string, CellId[]> } {
  const exact = new Map<string, CellId[]>();
  const lower = new Map<string, CellId[]>();
  for (const cell of doc.cells) {
    for (const name of cellDefines(cell)) {
      exact.set(name, [...(exact.get(name) ?? []), cell.id]);
      lower.set(name.toLowerCase(), [...(lower.get(name.toLowerCase()) ?? []), cell.id]);
    }
  }
  return { exact, lower };
}

/** Strongly connected components (Tarjan); returns the ones that form a cycle. */
function cycles(order: readonly CellId[], nodes: Record<CellId, GraphNode>): CellId[][] {
  const index = new Map<CellId, number>();
  const low = new Map<CellId, number>();
  const stack: CellId[] = [];
  const onStack = new Set<CellId>();
  const found: CellId[][] = [];
  let next = 0;
  const visit = (v: CellId): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of nodes[v]!.downstream) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: CellId[] = [];
    let w: CellId;
    do { w = stack.pop()!; onStack.delete(w); component.push(w); } while (w !== v);
    if (component.length > 1 || nodes[v]!.downstream.includes(v)) found.push(order.filter((id) => component.includes(id)));
  };
  for (const id of order) if (!index.has(id)) visit(id);
  return found;
}

function ownErrors(doc: NotebookDoc, i: number, readError: string | undefined, lower: Map<string, CellId[]>): GraphError[] {
  const cell = doc.cells[i]!;
  const errors: GraphError[] = [];
  if (readError !== undefined) errors.push({ kind: 'invalid', message: readError });
  if (cell.kind === 'input') {
    if (cell.name === undefined) errors.push({ kind: 'invalid', message: 'an input cell needs a name' });
    const spec = parseInputSpec(cell);
    if (!spec.ok) errors.push({ kind: 'invalid', message: spec.message });
  }
  const name = cellDefines(cell)[0];
  if (name !== undefined && jsGlobals.has(name)) errors.push({ kind: 'invalid', message: `the name ${name} hides the JavaScript global of that name` });
  if (name !== undefined && lower.get(name.toLowerCase())!.length > 1) {
    errors.push({ kind: 'duplicate-name', message: `${lower.get(name.toLowerCase())!.length} cells define ${name} (names ignore case, as in SQL)` });
  }
  return errors;
}

/**
 * Builds the dependency graph: edges from every cell that defines a name to every cell that
 * reads it; errors per cell for duplicate names (on each definer), cycles (on every cell of the
 * cycle, self-references included) and unreadable code or specs. A reference to a duplicated
 * name links to all its definers, so the reader sees an upstream error rather than a wrong value.
 */
export function buildGraph(doc: NotebookDoc): NotebookGraph {
  const { exact, lower } = definers(doc);
  const nodes: Record<CellId, GraphNode> = {};
  const order = doc.cells.map((c) => c.id);
  doc.cells.forEach((cell, i) => {
    const reads = cellReferences(cell);
    const upstream: Upstream[] = [];
    const unresolved: CellRef[] = [];
    for (const ref of reads.refs) {
      const ids = ref.via === 'table' ? lower.get(ref.name.toLowerCase()) : exact.get(ref.name);
      if (!ids) { unresolved.push(ref); continue; }
      for (const id of ids) if (!upstream.some((u) => u.id === id && u.name === ref.name)) upstream.push({ id, name: ref.name });
    }
    nodes[cell.id] = {
      id: cell.id, kind: cell.kind, name: cell.name, upstream, downstream: [], unresolved, files: reads.files,
      errors: ownErrors(doc, i, reads.error, lower), isRunnable: cell.kind !== 'foreign',
    };
  });
  for (const id of order) {
    for (const up of nodes[id]!.upstream) {
      const down = nodes[up.id]!.downstream;
      if (!down.includes(id)) down.push(id);
    }
  }
  for (const id of order) nodes[id]!.downstream.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  for (const cycle of cycles(order, nodes)) {
    const names = cycle.map((id) => nodes[id]!.name ?? id);
    for (const id of cycle) nodes[id]!.errors.push({ kind: 'cycle', message: `cycle: ${[...names, names[0]].join(' → ')}` });
  }
  return { order, nodes };
}
