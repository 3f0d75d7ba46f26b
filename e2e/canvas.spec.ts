import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, snap, test } from './fixtures';
import { CanvasPage } from './pages/canvas';
import { WorkbenchPage } from './pages/workbench';

const PREPROCESS = ['source', 'split', 'impute', 'one-hot-encode', 'scale'];

test('build the census pipeline by clicks, train it with a progress bar, see metrics and curves; a new learning rate re-runs only the model and evaluation', async ({ app, served }) => {
  test.setTimeout(150_000);
  const wb = new WorkbenchPage(app);
  await wb.waitReady();
  await wb.openFile('adult-income.pipeline.json');
  const c = new CanvasPage(app);
  await expect(c.node('gbdt')).toBeVisible();

  // a new pipeline from the command palette
  await wb.runCommand('New Pipeline');
  await app.getByRole('dialog', { name: 'New pipeline' }).getByLabel('Name').fill('census canvas');
  await app.getByRole('dialog', { name: 'New pipeline' }).getByRole('button', { name: 'Create' }).click();
  await expect(wb.tab('census-canvas.pipeline.json')).toBeVisible();
  await expect(app.locator('.pc-empty')).toBeVisible();
  await app.keyboard.press('Control+B');

  // source and split dropped from the palette, wired by dragging between their handles
  await c.dropNode('Source', 60, 60);
  await expect(c.node('source')).toBeVisible();
  await c.select('source');
  await c.field('Dataset').selectOption('adult');
  await expect(c.card('source')).not.toHaveClass(/has-problem/);
  await c.dropNode('Split', 330, 60);
  await expect(c.node('split')).toBeVisible();
  // a wrong connection is refused: a table cannot feed nothing but a table input
  await c.connect(['source', 'data'], ['split', 'data']);
  await expect(c.canvas.locator('.react-flow__edge')).toHaveCount(1);
  await c.select('split');
  await c.field('Method').selectOption('stratified');
  await c.field('Column').selectOption('income');

  // the rest added with clicks after the selected node (auto-wired), settings in the form
  await c.addAfterSelected('Impute');
  await c.columns('columns').getByRole('button', { name: '+ numbers' }).click();
  await c.field('Strategy').selectOption('median');
  await c.addAfterSelected('One-hot encode');
  await c.columns('columns').getByRole('button', { name: '+ text' }).click();
  await c.columns('columns').getByLabel('Columns: income').uncheck();
  await c.addAfterSelected('Scale');
  await c.columns('columns').getByRole('button', { name: '+ numbers' }).click();
  await c.addAfterSelected('Gradient boosting');
  await expect(c.card('gradient-boosting')).toHaveClass(/has-problem/);
  await expect(c.node('gradient-boosting').getByTestId('node-problem')).toContainText('target');
  await c.field('Target').selectOption('income');
  await c.field('Iterations').fill('25');
  await expect(c.card('gradient-boosting')).not.toHaveClass(/has-problem/);
  await c.addAfterSelected('Evaluate');
  await expect(c.node('evaluate').getByTestId('node-problem')).toContainText('"data" input');
  await c.fitView();
  await c.connect(['split', 'test'], ['evaluate', 'data']);
  await expect(c.canvas.locator('.react-flow__edge')).toHaveCount(7);
  await expect(app.locator('.pc-issue-count')).toHaveCount(0);
  await c.fitView();
  await snap(app, 'canvas-built-light');

  // train: a progress bar while it runs, then metrics, confusion matrix and ROC curve
  await app.getByRole('button', { name: '▶ Run all' }).click();
  await expect(c.progress).toBeVisible();
  await snap(app, 'canvas-training-light');
  await expect(c.card('evaluate')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(c.progress).toHaveCount(0);
  await c.select('evaluate');
  await expect(c.output.getByRole('table', { name: 'Metrics' })).toContainText('accuracy');
  const accuracy = Number(await c.output.locator('tr[data-metric="accuracy"] td').textContent());
  expect(accuracy).toBeGreaterThan(0.8);
  await expect(c.output.getByTestId('confusion-matrix').locator('svg')).toBeVisible();
  await expect(c.output.getByTestId('roc-curve').locator('svg')).toBeVisible();
  await expect(c.output.getByTestId('roc-curve')).toContainText('AUC 0.9');
  await snap(app, 'canvas-metrics-light');

  await c.select('gradient-boosting');
  await expect(c.output.getByTestId('model-summary')).toContainText('income');
  await expect(c.output.getByTestId('loss-chart').locator('svg').last()).toBeVisible();
  await c.select('one-hot-encode');
  await expect(c.output.getByTestId('output-summary')).toContainText('rows');
  await snap(app, 'canvas-table-light');

  // change the learning rate and run again: upstream nodes come from the cache
  await c.select('gradient-boosting');
  await c.field('Learning rate').fill('0.3');
  await expect(app.getByTestId('save-state')).toHaveText('Saved');
  await app.getByRole('button', { name: '▶ Run all' }).click();
  await expect(c.card('evaluate')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(c.card('gradient-boosting')).toHaveAttribute('data-status', 'done');
  for (const id of PREPROCESS) await expect(c.card(id)).toHaveAttribute('data-status', 'cached');
  await c.select('evaluate');
  await expect(c.output.getByTestId('confusion-matrix').locator('svg')).toBeVisible();
  await snap(app, 'canvas-rerun-light');

  const saved = JSON.parse(await readFile(join(served.workspace, 'census-canvas.pipeline.json'), 'utf8')) as { nodes: { id: string; params: Record<string, unknown> }[]; edges: unknown[] };
  expect(saved.nodes.map((n) => n.id)).toEqual([...PREPROCESS, 'gradient-boosting', 'evaluate']);
  expect(saved.edges).toHaveLength(7);
  expect(saved.nodes.find((n) => n.id === 'gradient-boosting')!.params).toMatchObject({ learningRate: 0.3, maxIter: 25, target: 'income' });

  await wb.runCommand('Dark Theme');
  await snap(app, 'canvas-metrics-dark');
});

test('undo and redo edits with Ctrl+Z / Ctrl+Shift+Z; a type mismatch is refused', async ({ app }) => {
  const wb = new WorkbenchPage(app);
  await wb.waitReady();
  await wb.openFile('adult-income.pipeline.json');
  const c = new CanvasPage(app);
  await expect(c.node('gbdt')).toBeVisible();
  await c.select('impute');
  await c.field('Strategy').selectOption('mean');
  await expect(c.node('impute')).toContainText('mean');
  await c.canvas.click({ position: { x: 5, y: 5 } });
  await app.keyboard.press('Control+Z');
  await expect(c.node('impute')).toContainText('median');
  await app.keyboard.press('Control+Shift+Z');
  await expect(c.node('impute')).toContainText('mean');
  // a table output cannot feed a model input
  await c.connect(['scale', 'data'], ['evaluate', 'model']);
  await expect(c.canvas.locator('.react-flow__edge')).toHaveCount(7);
  await c.select('evaluate');
  await app.keyboard.press('Delete');
  await expect(c.node('evaluate')).toHaveCount(0);
  await c.canvas.click({ position: { x: 5, y: 5 } });
  await app.keyboard.press('Control+Z');
  await expect(c.node('evaluate')).toBeVisible();
  await expect(c.canvas.locator('.react-flow__edge')).toHaveCount(7);
});
