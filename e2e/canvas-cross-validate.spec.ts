import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, snap, test } from './fixtures';
import { CanvasPage } from './pages/canvas';
import { WorkbenchPage } from './pages/workbench';

const SQL = 'SELECT age, education_num, hours_per_week, sex, income FROM adult LIMIT 2000';
const wire = (from: string, fromPort: string, to: string, toPort: string) => ({ id: `${from}.${fromPort}->${to}.${toPort}`, from: { node: from, port: fromPort }, to: { node: to, port: toPort } });

/** SQL source → split → scale (no columns picked yet) → logistic regression → evaluate, and a 5-fold Cross-validate of the train rows. */
function cvPipeline(): object {
  const nodes = [
    { id: 'source', kind: 'source', params: { from: 'sql', sql: SQL }, position: { x: 0, y: 100 } },
    { id: 'split', kind: 'split', params: { method: 'stratified', column: 'income', testFraction: 0.2, seed: 1 }, position: { x: 240, y: 100 } },
    { id: 'scale', kind: 'scale', params: { columns: [], method: 'standard' }, position: { x: 480, y: 100 } },
    { id: 'logistic', kind: 'logisticRegression', label: 'Logistic regression', params: { target: 'income', features: ['age', 'education_num', 'hours_per_week'], C: 1, maxIter: 200 }, position: { x: 720, y: 100 } },
    { id: 'evaluate', kind: 'evaluate', params: {}, position: { x: 960, y: 0 } },
    { id: 'cv', kind: 'crossValidate', label: 'Cross-validate', params: { k: 5, seed: 3 }, position: { x: 960, y: 220 } },
  ];
  const edges = [
    wire('source', 'data', 'split', 'data'), wire('split', 'train', 'scale', 'data'), wire('scale', 'data', 'logistic', 'train'),
    wire('logistic', 'model', 'evaluate', 'model'), wire('split', 'test', 'evaluate', 'data'), wire('logistic', 'model', 'cv', 'model'), wire('split', 'train', 'cv', 'data'),
  ];
  return { edges, id: 'cv', name: 'CV', nodes, version: 1 };
}

test('a SQL source offers its columns before any run and shows DuckDB\'s error for a bad query; Cross-validate shows folds, mean ± std and a chart', async ({ app, served }) => {
  test.setTimeout(120_000);
  await writeFile(join(served.workspace, 'cv.pipeline.json'), `${JSON.stringify(cvPipeline(), null, 2)}\n`);
  const wb = new WorkbenchPage(app);
  await wb.waitReady();
  await wb.openFile('cv.pipeline.json');
  const c = new CanvasPage(app);
  await expect(c.node('cv')).toBeVisible();

  // columns of the query, described by DuckDB without running anything
  await c.select('scale');
  const picker = c.columns('columns');
  for (const name of ['age', 'education_num', 'hours_per_week', 'sex', 'income']) await expect(picker.getByLabel(`Columns: ${name}`)).toBeVisible();
  await expect(c.node('source')).toContainText('SQL · 5 columns');
  await picker.getByRole('button', { name: '+ numbers' }).click();
  await expect(picker.getByLabel('Columns: age')).toBeChecked();
  await expect(picker.getByLabel('Columns: sex')).not.toBeChecked();
  for (const id of ['source', 'split', 'scale', 'logistic', 'cv']) await expect(c.card(id)).toHaveAttribute('data-status', 'idle');
  await snap(app, 'canvas-sql-columns');

  // a typo in the query: DuckDB's message on the source node, gone when fixed
  await c.select('source');
  await c.field('SQL query').fill('SELECT agee FROM adult');
  await expect(c.node('source').getByTestId('node-problem')).toContainText('DuckDB cannot run this query: Binder Error: Referenced column "agee" not found');
  await expect(c.inspector.getByTestId('sql-problem')).toContainText('Referenced column "agee" not found');
  await snap(app, 'canvas-sql-error');
  await c.field('SQL query').fill(SQL);
  await expect(c.node('source').getByTestId('node-problem')).toHaveCount(0);
  await expect(c.inspector.getByTestId('sql-columns')).toHaveText('5 columns: age, education_num, hours_per_week, sex, income');

  // cross-validation: five folds refitting Scale → Logistic regression
  await app.getByRole('button', { name: '▶ Run all' }).click();
  await expect(c.card('cv')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await c.select('cv');
  await expect(c.field('Stratified')).toBeChecked();
  await expect(c.field('Shuffle')).toBeChecked();
  const folds = c.output.getByRole('table', { name: 'Cross-validation folds' });
  await expect(folds).toContainText('5-fold cross-validation (stratified)');
  await expect(folds).toContainText('refits scale → Logistic regression on every fold');
  await expect(folds.locator('tr[data-fold]')).toHaveCount(5);
  await expect(c.output.getByTestId('cv-std')).toContainText('± std');
  await expect(c.output.getByTestId('cv-chart')).toContainText('accuracy by fold · mean 0.');
  await expect(c.output.getByTestId('cv-chart').locator('svg')).toBeVisible();
  await snap(app, 'canvas-cross-validate');
  await c.output.getByTestId('cv-chart').scrollIntoViewIfNeeded();
  await snap(app, 'canvas-cross-validate-chart');
});
