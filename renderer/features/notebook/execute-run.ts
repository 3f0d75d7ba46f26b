import { assertNever } from '../../../app/base/assert';
import type { CellId } from '../../../app/base/ids';
import { createCellExecutor, type CellValue } from '../../../app/notebook/executor';
import { planRun, runPlan, type CellOutcome, type RunMode } from '../../../app/notebook/scheduler';
import type { Backend } from '../../bridge/connection';
import { outputOf, serializeCached } from './cell-output';
import type { NotebookState } from './notebook-store';
import { prunePlan, type CellRun, type SessionValues } from './run-state';
import { rendererRuntime } from './runtime';

/** What a run needs from its store. */
export interface RunContext {
  backend: Backend;
  path: string;
  session: SessionValues;
  get: () => NotebookState;
  set: (partial: Partial<NotebookState>) => void;
  signal: AbortSignal;
}

function patchRun(context: RunContext, id: CellId, patch: Partial<CellRun>, replace = false): void {
  const runs = context.get().runs;
  context.set({ runs: { ...runs, [id]: replace ? { status: 'idle', ...patch } : { ...(runs[id] ?? { status: 'idle' }), ...patch } } });
}

function settle(context: RunContext, id: CellId, outcome: CellOutcome<CellValue>, key: string | undefined, ms: number): void {
  switch (outcome.status) {
    case 'ok': {
      const output = outputOf(outcome.value);
      context.session.set(key, outcome.value, output, ms);
      patchRun(context, id, { status: 'ok', output, ms, ...(key ? { key } : {}) }, true);
      if (key) void context.backend.call('notebook.cacheWrite', { key, output: serializeCached({ output, ms }) }).catch(() => undefined);
      return;
    }
    case 'error':
      patchRun(context, id, { status: 'error', error: outcome.error, ms });
      return;
    case 'upstream-error':
      patchRun(context, id, { status: 'upstream-error', upstream: outcome.upstream });
      return;
    case 'cancelled':
      patchRun(context, id, { status: 'cancelled' });
      return;
    default:
      assertNever(outcome, 'cell outcome');
  }
}

/**
 * Runs `ids` (by `mode`) and exactly their transitive dependents, in dependency order, with the
 * shared executor on the renderer runtime. Upstream cells without a value for their current key
 * join the run; dependents that already hold a value for their new key are not run again.
 * Outputs land in the store as each cell settles and are written to the output cache.
 */
export async function executeRun(context: RunContext, ids: readonly CellId[], mode: RunMode): Promise<void> {
  const { doc, graph, keys } = context.get();
  const hasValue = (id: CellId) => context.session.value(keys[id]) !== undefined;
  const isTargeted = mode === 'cell' || mode === 'stale';
  const full = planRun(graph, ids, mode, { isAvailable: hasValue });
  const plan = isTargeted ? prunePlan(full, new Set(ids), hasValue) : full;
  const runs = { ...context.get().runs };
  for (const step of plan.steps) runs[step.id] = { ...(runs[step.id] ?? { status: 'idle' }), status: 'queued' };
  context.set({ runs });

  const execute = createCellExecutor(doc, rendererRuntime(context.backend, context.path), { keys });
  let started = performance.now();
  await runPlan<CellValue>(plan, (step, inputs, signal) => {
    started = performance.now();
    patchRun(context, step.id, { status: 'running' });
    return execute(step, inputs, signal);
  }, {
    signal: context.signal,
    currentValue: (id) => {
      const value = context.session.value(keys[id]);
      return value ? { value } : undefined;
    },
    onOutcome: (id, outcome) => settle(context, id, outcome, keys[id], performance.now() - started),
  });
}
