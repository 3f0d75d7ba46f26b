import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, snap, test } from './fixtures';
import { CanvasPage } from './pages/canvas';
import { WorkbenchPage } from './pages/workbench';

type Node = { id: string; kind: string; label?: string; params: Record<string, unknown>; position: { x: number; y: number } };

const at = (col: number, row: number) => ({ x: col * 240, y: row * 170 });
const wire = (from: string, fromPort: string, to: string, toPort: string) => ({ id: `${from}.${fromPort}->${to}.${toPort}`, from: { node: from, port: fromPort }, to: { node: to, port: toPort } });

/**
 * The census pipeline (fast: 3,000 rows, 10 boosting rounds) and four broken branches beside it:
 * a Scale fed a text column, a SQL source with no rows, a model whose target has one class, and an
 * imported ONNX file that is not ONNX.
 */
function badInputPipeline(): object {
  const numbers = ['age', 'fnlwgt', 'education_num', 'capital_gain', 'capital_loss', 'hours_per_week'];
  const nodes: Node[] = [
    { id: 'source', kind: 'source', label: 'Census', params: { from: 'sql', sql: 'SELECT * FROM adult LIMIT 3000' }, position: at(0, 0) },
    { id: 'split', kind: 'split', params: { method: 'stratified', column: 'income', testFraction: 0.2, seed: 42 }, position: at(1, 0) },
    { id: 'impute', kind: 'impute', params: { columns: numbers, strategy: 'median' }, position: at(2, 0) },
    { id: 'onehot', kind: 'oneHot', params: { columns: ['workclass', 'education', 'marital_status', 'occupation', 'relationship', 'race', 'sex', 'native_country'], handleUnknown: 'ignore' }, position: at(3, 0) },
    { id: 'scale', kind: 'scale', params: { columns: numbers, method: 'standard' }, position: at(4, 0) },
    { id: 'gbdt', kind: 'histGradientBoosting', label: 'Gradient boosting', params: { target: 'income', task: 'classification', maxIter: 10, seed: 0 }, position: at(5, 0) },
    { id: 'evaluate', kind: 'evaluate', params: {}, position: at(6, 0) },
    { id: 'textscale', kind: 'scale', label: 'Scale age + sex', params: { columns: ['age', 'sex'], method: 'standard' }, position: at(2, 1) },
    { id: 'empty', kind: 'source', label: 'Empty query', params: { from: 'sql', sql: 'SELECT * FROM adult WHERE false' }, position: at(0, 2) },
    { id: 'emptysplit', kind: 'split', params: { method: 'random', testFraction: 0.2, seed: 0 }, position: at(1, 2) },
    { id: 'oneclass', kind: 'source', label: 'Only <=50K', params: { from: 'sql', sql: "SELECT * FROM adult WHERE income = '<=50K' LIMIT 500" }, position: at(0, 3) },
    { id: 'logistic', kind: 'logisticRegression', label: 'One-class model', params: { target: 'income', features: ['age', 'hours_per_week'] }, position: at(1, 3) },
    { id: 'imported', kind: 'importedOnnx', label: 'Broken ONNX', params: { file: 'broken.onnx', target: 'income' }, position: at(4, 2) },
    { id: 'evaluate2', kind: 'evaluate', label: 'Evaluate imported', params: {}, position: at(5, 2) },
  ];
  const edges = [
    wire('source', 'data', 'split', 'data'), wire('split', 'train', 'impute', 'data'), wire('impute', 'data', 'onehot', 'data'), wire('onehot', 'data', 'scale', 'data'),
    wire('scale', 'data', 'gbdt', 'train'), wire('gbdt', 'model', 'evaluate', 'model'), wire('split', 'test', 'evaluate', 'data'),
    wire('split', 'train', 'textscale', 'data'), wire('empty', 'data', 'emptysplit', 'data'), wire('oneclass', 'data', 'logistic', 'train'),
    wire('imported', 'model', 'evaluate2', 'model'), wire('split', 'test', 'evaluate2', 'data'),
  ];
  return { edges, id: 'bad-input', name: 'Bad input', nodes, version: 1 };
}

test('bad input: a text column, an empty query, a one-class target and a broken ONNX file each fail on their node while the census branch trains', async ({ app, served }) => {
  test.setTimeout(120_000);
  await writeFile(join(served.workspace, 'broken.onnx'), 'this is not protobuf at all, just text');
  await writeFile(join(served.workspace, 'bad-input.pipeline.json'), `${JSON.stringify(badInputPipeline(), null, 2)}\n`);
  const wb = new WorkbenchPage(app);
  await wb.waitReady();
  await wb.openFile('bad-input.pipeline.json');
  const c = new CanvasPage(app);
  await expect(c.node('gbdt')).toBeVisible();
  await expect(app.locator('.pc-issue-count')).toHaveCount(0);

  await app.getByRole('button', { name: '▶ Run all' }).click();
  await expect(c.card('evaluate')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await c.fitView();

  const failures: [string, RegExp][] = [
    ['textscale', /Column "sex" holds text; this step needs numbers\./],
    ['empty', /The query has no rows, so there is nothing to train on\./],
    ['logistic', /The target "income" has only one class \("<=50K"\) in the training rows; a classifier needs at least two\./],
    ['imported', /"broken\.onnx": This file is not a valid ONNX model/],
  ];
  for (const [id, message] of failures) {
    await expect(c.card(id)).toHaveAttribute('data-status', 'failed');
    await expect(c.node(id).getByTestId('node-problem')).toHaveText(message);
  }
  // what depends on a failed node is blocked, not failed; the census branch is untouched
  await expect(c.card('emptysplit')).toHaveAttribute('data-status', 'blocked');
  await expect(c.card('evaluate2')).toHaveAttribute('data-status', 'blocked');
  for (const id of ['source', 'split', 'impute', 'onehot', 'scale', 'gbdt']) await expect(c.card(id)).toHaveAttribute('data-status', 'done');
  await snap(app, 'canvas-bad-input-all');

  for (const [id, message] of failures) {
    await c.select(id);
    await expect(c.output.getByRole('alert')).toHaveText(message);
    // zoom the canvas in around the node so its own message is readable in the screenshot
    const box = (await c.node(id).boundingBox())!;
    await app.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await app.mouse.wheel(0, -400);
    await expect(c.node(id).getByTestId('node-problem')).toBeInViewport();
    await snap(app, `canvas-bad-input-${id}`);
    await c.fitView();
  }
  await c.select('evaluate');
  const accuracy = Number(await c.output.locator('tr[data-metric="accuracy"] td').textContent());
  expect(accuracy).toBeGreaterThan(0.75);
  await snap(app, 'canvas-bad-input-census-trained');
});
