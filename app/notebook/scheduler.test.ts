import { describe, expect, it } from 'vitest';
import { CancelledError } from '../base/errors';
import type { CellId } from '../base/ids';
import { computeCellKeys } from './cache-key';
import { parseNotebook } from './format';
import { buildGraph } from './graph';
import { planRun, runPlan, staleCells, type ExecuteCell, type PlanStep } from './scheduler';
import type { NotebookDoc } from './types';

const js = (name: string, body: string) => `\`\`\`js name=${name}\n${body}\n\`\`\``;
const text = [
  '# Chain',
  '```input name=a type=number value=2\n```',
  js('b', 'a * 10'),
  js('c', 'b + 1'),
  js('d', 'c * 2'),
  js('e', 'a - 1'),
  js('f', '42'),
  'Result: ${d}',
  '```python foreign\nprint(1)\n```',
].join('\n\n') + '\n';

type Value = number | string;

/** A real executor: evaluates JS bodies with their inputs, reads inputs' values, renders Markdown. */
function executor(doc: NotebookDoc, log: string[], fail: ReadonlySet<string> = new Set()): ExecuteCell<Value> {
  const cells = new Map(doc.cells.map((c) => [c.id, c]));
  return async (step: PlanStep, inputs: Record<string, Value>) => {
    log.push(step.id);
    const cell = cells.get(step.id)!;
    if (fail.has(step.id)) throw new Error(`boom in ${step.id}`);
    if (cell.kind === 'input') return Number(cell.options['value']);
    if (cell.kind === 'markdown') return cell.source.replace(/\$\{(\w+)\}/g, (_, n: string) => String(inputs[n]));
    const names = Object.keys(inputs);
    const fn = new Function(...names, `return (${cell.source});`) as (...args: Value[]) => Value;
    return fn(...names.map((n) => inputs[n]!));
  };
}

const ids = (plan: { steps: PlanStep[] }) => plan.steps.map((s) => s.id);

describe('planRun / runPlan', () => {
  const doc = parseNotebook(text);
  const graph = buildGraph(doc);

  it('planRun(graph, [b], "cell") is b and exactly its transitive dependents in topological order', () => {
    expect(ids(planRun(graph, ['@b' as CellId], 'cell'))).toEqual(['@b', '@c', '@d', 'markdown-2']);
    expect(ids(planRun(graph, ['@a' as CellId], 'cell'))).toEqual(['@a', '@b', '@c', '@d', '@e', 'markdown-2']);
    expect(ids(planRun(graph, ['@f' as CellId], 'cell'))).toEqual(['@f']);
  });

  it('planRun(graph, ids, mode) for all, above and stale; foreign cells never run', () => {
    expect(ids(planRun(graph, [], 'all'))).toEqual(['markdown-1', '@a', '@b', '@c', '@d', '@e', '@f', 'markdown-2']);
    expect(ids(planRun(graph, ['@d' as CellId], 'above'))).toEqual(['markdown-1', '@a', '@b', '@c', '@d', '@e', 'markdown-2']);
    expect(ids(planRun(graph, ['@c' as CellId, '@f' as CellId], 'stale'))).toEqual(['@c', '@d', '@f', 'markdown-2']);
  });

  it('planRun(graph, [d], "cell", { isAvailable }) pulls in upstream cells that have no value', () => {
    const have = new Set(['@a']);
    expect(ids(planRun(graph, ['@d' as CellId], 'cell', { isAvailable: (id) => have.has(id) }))).toEqual(['@b', '@c', '@d', 'markdown-2']);
  });

  it('runPlan(plan, execute) executes each planned cell once with the values it reads', async () => {
    const log: string[] = [];
    const all = await runPlan(planRun(graph, [], 'all'), executor(doc, log));
    expect(log).toEqual(['markdown-1', '@a', '@b', '@c', '@d', '@e', '@f', 'markdown-2']);
    expect(all.get('markdown-2' as CellId)).toEqual({ status: 'ok', value: 'Result: 42' });
    const values = new Map([...all].map(([id, o]) => [id, o.status === 'ok' ? o.value : undefined]));
    log.length = 0;
    const again = await runPlan(planRun(graph, ['@c' as CellId], 'cell'), executor(doc, log), {
      currentValue: (id) => (values.has(id) ? { value: values.get(id)! } : undefined),
    });
    expect(log).toEqual(['@c', '@d', 'markdown-2']);
    expect(again.get('@d' as CellId)).toEqual({ status: 'ok', value: 42 });
  });

  it('runPlan(plan, execute) never runs a cell whose upstream failed and names the root failure', async () => {
    const log: string[] = [];
    const out = await runPlan(planRun(graph, [], 'all'), executor(doc, log, new Set(['@b'])));
    expect(log).toEqual(['markdown-1', '@a', '@b', '@e', '@f']);
    expect(out.get('@b' as CellId)).toMatchObject({ status: 'error', error: { message: 'boom in @b' } });
    for (const id of ['@c', '@d', 'markdown-2']) expect(out.get(id as CellId)).toEqual({ status: 'upstream-error', upstream: '@b' });
    expect(out.get('@e' as CellId)).toEqual({ status: 'ok', value: 1 });
  });

  it('runPlan(plan, execute) fails graph-error cells without executing them, and blocks on missing upstream values', async () => {
    const cyclic = parseNotebook(`${js('x', 'y')}\n\n${js('y', 'x')}\n\n${js('z', 'y + 1')}\n\n${js('w', '1')}\n`);
    const log: string[] = [];
    const out = await runPlan(planRun(buildGraph(cyclic), [], 'all'), executor(cyclic, log));
    expect(log).toEqual(['@w']);
    expect(out.get('@x' as CellId)).toMatchObject({ status: 'error', error: { code: 'cycle' } });
    expect(out.get('@z' as CellId)).toEqual({ status: 'upstream-error', upstream: '@y' });
    const missing = await runPlan(planRun(graph, ['@c' as CellId], 'cell'), executor(doc, log));
    expect(missing.get('@c' as CellId)).toEqual({ status: 'upstream-error', upstream: '@b' });
  });

  it('runPlan(plan, execute, { signal }) stops at cancel: the running cell sees it, the rest are cancelled', async () => {
    const controller = new AbortController();
    const log: string[] = [];
    const base = executor(doc, log);
    const out = await runPlan<Value>(planRun(graph, [], 'all'), async (step, inputs, signal) => {
      if (step.id === '@c') {
        controller.abort();
        if (signal?.aborted) throw new CancelledError();
      }
      return base(step, inputs, signal);
    }, { signal: controller.signal });
    expect(log).toEqual(['markdown-1', '@a', '@b']);
    expect(['@c', '@d', '@e', '@f', 'markdown-2'].map((id) => out.get(id as CellId)!.status)).toEqual(Array(5).fill('cancelled'));
  });

  it('staleCells(graph, keys, lastRun) marks an edited cell and its dependents stale, and clears when the edit is undone', () => {
    const keys = computeCellKeys(doc, graph, {});
    expect(staleCells(graph, keys, keys)).toEqual([]);
    const edited = parseNotebook(text.replace('c * 2', 'c * 3'));
    const editedKeys = computeCellKeys(edited, buildGraph(edited), {});
    expect(staleCells(graph, editedKeys, keys)).toEqual(['@d', 'markdown-2']);
    const slider = parseNotebook(text.replace('value=2', 'value=3'));
    expect(staleCells(graph, computeCellKeys(slider, buildGraph(slider), {}), keys)).toEqual(['@a', '@b', '@c', '@d', '@e', 'markdown-2']);
    const folded = parseNotebook(text.replace('```js name=f', '```js name=f fold hide=code'));
    expect(staleCells(graph, computeCellKeys(folded, buildGraph(folded), {}), keys)).toEqual([]);
  });
});
