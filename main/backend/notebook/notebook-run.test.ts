import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CellId } from '../../../app/base/ids';
import { applyNotebookOp } from '../../../app/notebook/ops';
import { createCellExecutor, type CellValue, type NotebookRuntime } from '../../../app/notebook/executor';
import { parseNotebook } from '../../../app/notebook/format';
import { buildGraph } from '../../../app/notebook/graph';
import { planRun, runPlan, type CellOutcome } from '../../../app/notebook/scheduler';
import type { NotebookDoc } from '../../../app/notebook/types';
import { NativeDatabase } from '../data/native-engine';
import { nodeRuntime, runNotebook } from './headless';
import { NotebookSql } from './sql-session';

const notebook = `---
title: people
---

# People

\`\`\`input name=min_age type=slider min=0 max=90 step=1 value=40
\`\`\`

\`\`\`sql name=people
SELECT * FROM read_csv('data/people.csv')
\`\`\`

\`\`\`sql name=older
SELECT name, age FROM people WHERE age >= $min_age ORDER BY age
\`\`\`

\`\`\`js name=ages
Array.from(older.getChild('age'), Number)
\`\`\`

\`\`\`js name=total
ages.reduce((a, b) => a + b, 0)
\`\`\`

There are \${ages.length} people aged \${min_age} or more; their ages add up to \${total}.

\`\`\`chart name=by_city
mark: bar
table: people
x: city
\`\`\`
`;

const csv = 'name,age,city\nAda,36,London\nAlan,41,London\nGrace,85,New York\nEdsger,72,Austin\nBarbara,52,Austin\n';

let dir: string;
let db: NativeDatabase;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vajra-notebook-'));
  await writeFile(join(dir, 'people.csv'), csv);
  await import('node:fs/promises').then((fs) => fs.mkdir(join(dir, 'data')));
  await writeFile(join(dir, 'data', 'people.csv'), csv);
  db = await NativeDatabase.open(':memory:', { file_search_path: dir });
});

afterAll(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

/** The Node runtime, counting the SQL cells it runs. */
function counting(sql: NotebookSql): { runtime: NotebookRuntime; ran: string[] } {
  const base = nodeRuntime(sql);
  const ran: string[] = [];
  return { ran, runtime: { ...base, runSql: (request, signal) => { ran.push(request.table); return base.runSql(request, signal); } } };
}

async function run(doc: NotebookDoc, runtime: NotebookRuntime, changed: CellId[], mode: 'all' | 'cell', values = new Map<CellId, CellValue>()) {
  const graph = buildGraph(doc);
  const executed: string[] = [];
  const execute = createCellExecutor(doc, runtime);
  const outcomes = await runPlan<CellValue>(planRun(graph, changed, mode), (step, inputs, signal) => {
    executed.push(step.id);
    return execute(step, inputs, signal);
  }, { currentValue: (id) => (values.has(id) ? { value: values.get(id)! } : undefined) });
  for (const [id, outcome] of outcomes) if (outcome.status === 'ok') values.set(id, outcome.value);
  return { outcomes, executed, values };
}

function ok(outcome: CellOutcome<CellValue> | undefined): CellValue {
  if (outcome?.status !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(outcome)}`);
  return outcome.value;
}

describe('notebook execution over native DuckDB', () => {
  it('runPlan(all) with createCellExecutor stores SQL tables, binds $params, feeds JS, Markdown and charts', async () => {
    const sql = await NotebookSql.open(db, 'people.notebook.md');
    const { runtime } = counting(sql);
    const { outcomes } = await run(parseNotebook(notebook), runtime, [], 'all');
    const older = ok(outcomes.get('@older' as CellId));
    expect(older).toMatchObject({ kind: 'table', relation: '"nb_people"."older"', rowCount: 4 });
    expect(ok(outcomes.get('@total' as CellId))).toEqual({ kind: 'js', value: 41 + 85 + 72 + 52 });
    const markdown = ok(outcomes.get('markdown-2' as CellId));
    expect(markdown.kind === 'markdown' && markdown.html).toContain('There are 4 people aged 40 or more; their ages add up to 250.');
    const chart = ok(outcomes.get('@by_city' as CellId));
    expect(chart.kind === 'chart' && chart.rows).toEqual([
      { city: 'Austin', count: 2 }, { city: 'London', count: 2 }, { city: 'New York', count: 1 },
    ]);
    await sql.close();
  });

  it('moving the slider re-runs exactly its dependents, once each, and SQL sees the new $min_age', async () => {
    const sql = await NotebookSql.open(db, 'people.notebook.md');
    const { runtime, ran } = counting(sql);
    let doc = parseNotebook(notebook);
    const first = await run(doc, runtime, [], 'all');
    expect(ran).toEqual(['people', 'older']);
    ran.length = 0;
    const slider = doc.cells.find((c) => c.id === '@min_age')!;
    doc = applyNotebookOp(doc, { type: 'setOptions', id: slider.id, options: { ...slider.options, value: '70' } }).doc;
    const second = await run(doc, runtime, [slider.id], 'cell', first.values);
    expect(second.executed).toEqual(['@min_age', '@older', '@ages', '@total', 'markdown-2']);
    expect(ran).toEqual(['older']);
    expect(ok(second.outcomes.get('@total' as CellId))).toEqual({ kind: 'js', value: 85 + 72 });
    await sql.close();
  });

  it('a SQL error carries the cell line; dependents get upstream-error naming it and never run', async () => {
    const sql = await NotebookSql.open(db, 'broken.notebook.md');
    const text = '```sql name=a\nSELECT 1 AS x\n```\n\n```sql name=b\nSELECT x,\n  nope\nFROM a\n```\n\n```js name=c\nb.numRows\n```\n';
    const { outcomes, executed } = await run(parseNotebook(text), nodeRuntime(sql), [], 'all');
    const b = outcomes.get('@b' as CellId);
    expect(b?.status).toBe('error');
    if (b?.status === 'error') {
      expect(b.error.message).toMatch(/nope/);
      expect(b.error.detail?.['line']).toBe(2);
    }
    expect(outcomes.get('@c' as CellId)).toEqual({ status: 'upstream-error', upstream: '@b' });
    expect(executed).toEqual(['@a', '@b']);
    await sql.close();
  });

  it('a JS runtime error reports its line in the cell', async () => {
    const sql = await NotebookSql.open(db, 'js.notebook.md');
    const text = '```js name=a\nconst x = 1;\nnull.boom;\n```\n';
    const { outcomes } = await run(parseNotebook(text), nodeRuntime(sql), [], 'all');
    const a = outcomes.get('@a' as CellId);
    expect(a?.status === 'error' && a.error).toMatchObject({ name: 'TypeError', detail: { line: 2 } });
    await sql.close();
  });

  it('cancelling interrupts a running query; the cell and its dependents end cancelled', async () => {
    const sql = await NotebookSql.open(db, 'slow.notebook.md');
    const text = '```sql name=slow\nSELECT count(*) AS n FROM range(4000000000) a\n```\n\n```js name=after\nslow\n```\n';
    const doc = parseNotebook(text);
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 200);
    const outcomes = await runPlan(planRun(buildGraph(doc), [], 'all'), createCellExecutor(doc, nodeRuntime(sql)), { signal: controller.signal });
    expect(performance.now() - started).toBeLessThan(5000);
    expect([...outcomes.values()].map((o) => o.status)).toEqual(['cancelled', 'cancelled']);
    await sql.close();
  });

  it('runNotebook(file) runs every cell with real data and names the failing cell', async () => {
    const good = await runNotebook({ db, root: dir, path: 'people.notebook.md', text: notebook });
    expect(good.failed).toEqual([]);
    expect(good.cells.map((c) => c.id)).toEqual(['markdown-1', '@min_age', '@people', '@older', '@ages', '@total', 'markdown-2', '@by_city']);
    const bad = await runNotebook({ db, root: dir, path: 'bad.notebook.md', text: '```sql name=t\nSELECT * FROM missing_table\n```\n' });
    expect(bad.failed.map((c) => [c.name, c.status])).toEqual([['t', 'error']]);
    expect(bad.failed[0]!.error?.message).toMatch(/missing_table/);
  });

  it('NotebookSql.current(keys) finds only tables stored under the same cache key', async () => {
    const sql = await NotebookSql.open(db, 'keys.notebook.md');
    const key = 'a'.repeat(64);
    await sql.run({ cellId: '@k' as CellId, table: 'k', sql: 'SELECT 42 AS answer', params: {}, key });
    expect((await sql.current({ k: key })).map((t) => [t.table, t.rowCount])).toEqual([['k', 1]]);
    expect(await sql.current({ k: 'b'.repeat(64) })).toEqual([]);
    await sql.close();
  });
});
