import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, snap, test } from './fixtures';
import { CanvasPage } from './pages/canvas';
import { ExplainPage } from './pages/explain';
import { WorkbenchPage } from './pages/workbench';

interface Doc { nodes: { id: string; kind: string; params: Record<string, unknown>; position: { x: number; y: number } }[]; edges: unknown[] }

/** The adult example with an Explain node on the boosted model and the test split (kept fast). */
async function writeExplainPipeline(workspace: string): Promise<void> {
  const doc = JSON.parse(await readFile(join(workspace, 'adult-income.pipeline.json'), 'utf8')) as Doc;
  doc.nodes.find((n) => n.id === 'gbdt')!.params['maxIter'] = 30;
  const evaluate = doc.nodes.find((n) => n.id === 'evaluate')!;
  doc.nodes.push({ id: 'explain', kind: 'explain', params: { maxRows: 300, repeats: 3, pdpColumns: 3, seed: 0 }, position: { x: evaluate.position.x, y: evaluate.position.y + 160 } });
  doc.edges.push({ id: 'gbdt.model->explain.model', from: { node: 'gbdt', port: 'model' }, to: { node: 'explain', port: 'model' } });
  doc.edges.push({ id: 'split.test->explain.data', from: { node: 'split', port: 'test' }, to: { node: 'explain', port: 'data' } });
  await writeFile(join(workspace, 'explain.pipeline.json'), `${JSON.stringify(doc, null, 2)}\n`);
}

test('train the census pipeline with an Explain node, see the beeswarm and a waterfall, and a what-if change moves the prediction', async ({ app, served }) => {
  test.setTimeout(150_000);
  await writeExplainPipeline(served.workspace);
  await app.setViewportSize({ width: 1600, height: 1000 });
  const wb = new WorkbenchPage(app);
  await wb.waitReady();
  await wb.openFile('explain.pipeline.json');
  const c = new CanvasPage(app);
  await expect(c.node('explain')).toBeVisible();
  await app.getByRole('button', { name: '▶ Run all' }).click();
  await expect(c.card('explain')).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  await c.select('explain');
  const ex = new ExplainPage(app);
  await expect(ex.beeswarm.locator('svg').first()).toBeVisible();
  await expect(ex.panel.getByTestId('ex-importance').locator('svg')).toBeVisible();
  await expect(ex.panel.getByTestId('ex-pdp').first().locator('svg')).toBeVisible();
  await ex.beeswarm.scrollIntoViewIfNeeded();
  await snap(app, 'explain-beeswarm');
  await ex.panel.getByTestId('ex-pdp').first().scrollIntoViewIfNeeded();
  await snap(app, 'explain-pdp');

  // a chosen test row: its waterfall and prediction
  await ex.row.fill('7');
  await expect(ex.waterfall).toContainText('row 7');
  const before = Number(await ex.prediction.textContent());
  const barsBefore = await ex.waterfallLabels();
  expect(barsBefore.length).toBeGreaterThan(3);
  await ex.waterfall.scrollIntoViewIfNeeded();
  await snap(app, 'explain-waterfall-row');

  // what-if: a large capital gain raises the predicted chance of a high income
  await ex.value('capital_gain').fill('20000');
  await expect(ex.waterfall).toContainText('what-if');
  await expect.poll(async () => Number(await ex.prediction.textContent()), { timeout: 15_000 }).not.toBe(before);
  const after = Number(await ex.prediction.textContent());
  expect(after).toBeGreaterThan(before);
  await expect.poll(() => ex.waterfallLabels()).not.toEqual(barsBefore);
  await ex.waterfall.scrollIntoViewIfNeeded();
  await snap(app, 'explain-what-if');
});
