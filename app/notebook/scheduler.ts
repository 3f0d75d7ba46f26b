import { assertNever } from '../base/assert';
import { CancelledError, toErrorData, type ErrorData } from '../base/errors';
import type { CellId } from '../base/ids';
import type { CancelSignal } from '../base/signal';
import type { GraphError, NotebookGraph, Upstream } from './graph';

/**
 * Which cells to run: `cell` the given cells; `all` every cell; `above` the cells above the
 * first given cell (document order); `stale` the given stale cells (see `staleCells`). Every
 * mode adds the transitive dependents of what it picks, so nothing downstream is left stale.
 */
export type RunMode = 'cell' | 'all' | 'above' | 'stale';

/** One cell to run, with what it reads and any error that stops it before it starts. */
export interface PlanStep {
  id: CellId;
  upstream: Upstream[];
  errors: GraphError[];
}

/** Cells in an order where every cell comes after the cells it reads (cycles last, in document order). */
export interface RunPlan {
  steps: PlanStep[];
}

/** Options of `planRun`. */
export interface PlanOptions {
  /** Whether a cell outside the plan has a value to read; upstream cells without one join the plan. */
  isAvailable?: (id: CellId) => boolean;
}

/** Every cell reachable downstream from `ids`, `ids` included. */
export function withDependents(graph: NotebookGraph, ids: Iterable<CellId>): Set<CellId> {
  const out = new Set<CellId>();
  const todo = [...ids].filter((id) => graph.nodes[id]);
  while (todo.length > 0) {
    const id = todo.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    todo.push(...graph.nodes[id]!.downstream);
  }
  return out;
}

function addUpstream(graph: NotebookGraph, chosen: Set<CellId>, needs: (id: CellId) => boolean): void {
  const todo = [...chosen];
  while (todo.length > 0) {
    for (const up of graph.nodes[todo.pop()!]!.upstream) {
      if (!chosen.has(up.id) && needs(up.id)) { chosen.add(up.id); todo.push(up.id); }
    }
  }
}

/** Kahn's algorithm restricted to `chosen`, ties broken by document order; cycle members go last. */
export function topologicalOrder(graph: NotebookGraph, chosen: ReadonlySet<CellId>): CellId[] {
  const position = new Map(graph.order.map((id, i) => [id, i]));
  const pending = new Map<CellId, number>();
  for (const id of chosen) pending.set(id, new Set(graph.nodes[id]!.upstream.map((u) => u.id).filter((u) => chosen.has(u))).size);
  const ready = [...chosen].filter((id) => pending.get(id) === 0);
  const order: CellId[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => position.get(a)! - position.get(b)!);
    const id = ready.shift()!;
    order.push(id);
    for (const down of graph.nodes[id]!.downstream) {
      if (!chosen.has(down)) continue;
      const left = pending.get(down)! - 1;
      pending.set(down, left);
      if (left === 0) ready.push(down);
    }
  }
  const rest = graph.order.filter((id) => chosen.has(id) && !order.includes(id));
  return [...order, ...rest];
}

function pick(graph: NotebookGraph, ids: readonly CellId[], mode: RunMode): Set<CellId> {
  switch (mode) {
    case 'cell':
    case 'stale':
      return withDependents(graph, ids);
    case 'all':
      return new Set(graph.order);
    case 'above': {
      const first = Math.min(...ids.map((id) => graph.order.indexOf(id)).filter((i) => i >= 0));
      const above = new Set(graph.order.slice(0, Number.isFinite(first) ? first : 0));
      addUpstream(graph, above, () => true);
      return withDependents(graph, above);
    }
    default:
      return assertNever(mode, 'run mode');
  }
}

/**
 * Plans a run: the picked cells (see RunMode) and exactly their transitive dependents, each once,
 * in topological order; plus, when `isAvailable` says so, upstream cells that have no value yet.
 * Foreign cells never run. Cells with graph errors stay in the plan so `runPlan` reports them.
 */
export function planRun(graph: NotebookGraph, changedCellIds: readonly CellId[], mode: RunMode, options: PlanOptions = {}): RunPlan {
  const chosen = pick(graph, changedCellIds, mode);
  const isAvailable = options.isAvailable;
  if (isAvailable) addUpstream(graph, chosen, (id) => !isAvailable(id));
  for (const id of chosen) if (!graph.nodes[id]!.isRunnable) chosen.delete(id);
  const steps = topologicalOrder(graph, chosen).map((id): PlanStep => {
    const node = graph.nodes[id]!;
    return { id, upstream: node.upstream, errors: node.errors };
  });
  return { steps };
}

/**
 * Cells whose inputs changed since they last ran: their current cache key (`computeCellKeys`)
 * differs from the key of their last run, or they have none. Foreign cells are never stale.
 */
export function staleCells(graph: NotebookGraph, currentKeys: Readonly<Record<string, string | undefined>>, lastRunKeys: Readonly<Record<string, string | undefined>>): CellId[] {
  return graph.order.filter((id) => graph.nodes[id]!.isRunnable && (currentKeys[id] === undefined || currentKeys[id] !== lastRunKeys[id]));
}

/** What happened to one planned cell. `upstream` names the cell whose failure stopped this one. */
export type CellOutcome<V> =
  | { status: 'ok'; value: V }
  | { status: 'error'; error: ErrorData }
  | { status: 'upstream-error'; upstream: CellId }
  | { status: 'cancelled' };

/** Runs one cell: `inputs` maps each name the cell reads to its upstream value. */
export type ExecuteCell<V> = (step: PlanStep, inputs: Record<string, V>, signal: CancelSignal | undefined) => Promise<V>;

/** Options of `runPlan`. */
export interface RunPlanOptions<V> {
  signal?: CancelSignal;
  /** The current value of a cell outside the plan, or undefined when it has none. */
  currentValue?: (id: CellId) => { value: V } | undefined;
  /** Called as each cell settles, in plan order. */
  onOutcome?: (id: CellId, outcome: CellOutcome<V>) => void;
}

function gather<V>(step: PlanStep, outcomes: ReadonlyMap<CellId, CellOutcome<V>>, options: RunPlanOptions<V>): { inputs: Record<string, V> } | { blocked: CellOutcome<V> } {
  const inputs: Record<string, V> = {};
  for (const up of step.upstream) {
    const outcome = outcomes.get(up.id);
    if (outcome === undefined) {
      const current = options.currentValue?.(up.id);
      if (!current) return { blocked: { status: 'upstream-error', upstream: up.id } };
      inputs[up.name] = current.value;
    } else if (outcome.status === 'ok') inputs[up.name] = outcome.value;
    else if (outcome.status === 'cancelled') return { blocked: { status: 'cancelled' } };
    else return { blocked: { status: 'upstream-error', upstream: outcome.status === 'upstream-error' ? outcome.upstream : up.id } };
  }
  return { inputs };
}

/**
 * Runs a plan one cell at a time with any executor. A cell whose upstream failed (or has no
 * value) is never executed: it gets `upstream-error` naming the root failure. Cells with graph
 * errors fail without executing. After `signal` fires, the running cell sees it and every cell
 * not yet finished is `cancelled`. Never rejects; outcomes come back in plan order.
 */
export async function runPlan<V>(plan: RunPlan, execute: ExecuteCell<V>, options: RunPlanOptions<V> = {}): Promise<Map<CellId, CellOutcome<V>>> {
  const outcomes = new Map<CellId, CellOutcome<V>>();
  const settle = (id: CellId, outcome: CellOutcome<V>) => { outcomes.set(id, outcome); options.onOutcome?.(id, outcome); };
  for (const step of plan.steps) {
    if (options.signal?.aborted) { settle(step.id, { status: 'cancelled' }); continue; }
    const graphError = step.errors[0];
    if (graphError) {
      settle(step.id, { status: 'error', error: { name: 'NotebookGraphError', code: graphError.kind, message: graphError.message } });
      continue;
    }
    const gathered = gather(step, outcomes, options);
    if ('blocked' in gathered) { settle(step.id, gathered.blocked); continue; }
    try {
      settle(step.id, { status: 'ok', value: await execute(step, gathered.inputs, options.signal) });
    } catch (error) {
      const isCancel = error instanceof CancelledError || options.signal?.aborted === true;
      settle(step.id, isCancel ? { status: 'cancelled' } : { status: 'error', error: toErrorData(error) });
    }
  }
  return outcomes;
}
