import type { ErrorData } from '../../../app/base/errors';
import type { CellId } from '../../../app/base/ids';
import type { CellValue } from '../../../app/notebook/executor';
import type { NotebookGraph } from '../../../app/notebook/graph';
import type { RunPlan } from '../../../app/notebook/scheduler';
import type { CellOutput } from './cell-output';

/** What the notebook shows for one cell: its last outcome and the output, with the key it was made from. */
export interface CellRun {
  status: 'idle' | 'queued' | 'running' | 'ok' | 'error' | 'upstream-error' | 'cancelled';
  output?: CellOutput;
  error?: ErrorData;
  upstream?: CellId;
  /** Cache key of the shown output: when it differs from the cell's current key, the cell is stale. */
  key?: string;
  ms?: number;
  isCached?: boolean;
}

/**
 * Values and outputs of this session, by cache key. A key names a cell's content and inputs, so a
 * JS or Markdown value under a key never changes. A SQL value is a table that the next run of
 * the cell replaces, so it counts only while its table still holds that key (`tableKeys`).
 */
export class SessionValues {
  private values = new Map<string, CellValue>();
  private outputs = new Map<string, { output: CellOutput; ms: number }>();
  private tableKeys = new Map<string, string>();

  value(key: string | undefined): CellValue | undefined {
    if (key === undefined) return undefined;
    const value = this.values.get(key);
    if (value?.kind === 'table' && this.tableKeys.get(value.relation) !== key) return undefined;
    return value;
  }

  output(key: string | undefined): { output: CellOutput; ms: number } | undefined {
    if (key === undefined) return undefined;
    const found = this.outputs.get(key);
    if (found?.output.kind === 'table' && this.tableKeys.get(found.output.relation) !== key) return undefined;
    return found;
  }

  /** Records a cell's new value; a table value makes every other value of that table void. */
  set(key: string | undefined, value: CellValue, output: CellOutput, ms: number): void {
    if (value.kind === 'table') this.tableKeys.set(value.relation, key ?? '');
    if (key === undefined) return;
    this.values.set(key, value);
    this.outputs.set(key, { output, ms });
  }

  /** A table found in the database under `key` (a previous session's run). */
  setTable(key: string, value: Extract<CellValue, { kind: 'table' }>, output: CellOutput): void {
    this.tableKeys.set(value.relation, key);
    this.values.set(key, value);
    this.outputs.set(key, { output, ms: this.outputs.get(key)?.ms ?? 0 });
  }

  /** An output read from the disk cache (no live value). */
  setCachedOutput(key: string, output: CellOutput, ms: number): void {
    if (!this.outputs.has(key)) this.outputs.set(key, { output, ms });
  }
}

/**
 * Drops from a plan the cells that need not run: not asked for, and already holding a value
 * for their current key. Their dependents read that value instead.
 */
export function prunePlan(plan: RunPlan, asked: ReadonlySet<CellId>, hasValue: (id: CellId) => boolean): RunPlan {
  return { steps: plan.steps.filter((step) => asked.has(step.id) || !hasValue(step.id)) };
}

/** Files and tables the notebook reads (for fingerprints), from its graph. */
export function dataSets(graph: NotebookGraph): { files: string[]; tables: string[] } {
  const files = new Set<string>();
  const tables = new Set<string>();
  for (const id of graph.order) {
    const node = graph.nodes[id]!;
    node.files.forEach((f) => files.add(f));
    node.unresolved.filter((r) => r.via === 'table').forEach((r) => tables.add(r.name.toLowerCase()));
  }
  return { files: [...files], tables: [...tables] };
}
