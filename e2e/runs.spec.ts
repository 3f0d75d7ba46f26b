import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, snap, test } from './fixtures';
import { logRunsThroughMlflow, RunsPage, type LoggedRun } from './pages/runs';

const steps = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));
/** A ROC-like curve: TPR at FPR = step/20 for a classifier of strength k. */
const roc = (k: number) => steps(21, (i) => (i / 20) ** (1 / k));
const rocSvg = (k: number) => `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200" viewBox="0 0 1 1"><rect width="1" height="1" fill="#fff"/><path d="M0 1 L1 0" stroke="#bbb" stroke-width="0.01"/><polyline fill="none" stroke="#3a63d8" stroke-width="0.02" points="${roc(k).map((y, i) => `${i / 20},${1 - y}`).join(' ')}"/></svg>`;

const runs: LoggedRun[] = [
  { name: 'gbdt-shallow', params: { 'model.kind': 'gbdt', 'model.depth': '3', 'optim.lr': '0.3' }, metrics: { loss: steps(20, (i) => 0.7 * Math.exp(-i / 6) + 0.30), auc: [0.81], roc_tpr: roc(2) }, artifacts: { 'model/model.onnx': 'onnx-bytes-a', 'plots/roc.svg': rocSvg(2) } },
  { name: 'gbdt-deep', params: { 'model.kind': 'gbdt', 'model.depth': '8', 'optim.lr': '0.1' }, metrics: { loss: steps(20, (i) => 0.7 * Math.exp(-i / 4) + 0.18), auc: [0.93], roc_tpr: roc(5) }, artifacts: { 'model/model.onnx': 'onnx-bytes-b', 'plots/roc.svg': rocSvg(5) } },
  { name: 'logistic', params: { 'model.kind': 'logistic', 'model.depth': '0', 'optim.lr': '1' }, metrics: { loss: steps(20, (i) => 0.7 * Math.exp(-i / 8) + 0.40), auc: [0.74], roc_tpr: roc(1.4) }, artifacts: { 'model/model.onnx': 'onnx-bytes-c', 'plots/roc.svg': rocSvg(1.4) } },
];

test('runs logged through the MLflow REST API are sorted, compared and registered as champion', async ({ app, served, request }) => {
  const ids = await logRunsThroughMlflow(request, served.origin, served.token, 'churn', runs);
  const page = new RunsPage(app);
  await page.wb.waitReady();
  // A run folder in the sidebar opens the run's own view.
  await page.wb.treeItem('runs').click();
  await page.wb.treeItem(`runs/${ids[1]}`).click();
  const detail = app.getByLabel('Run gbdt-deep');
  await expect(detail).toContainText('model.depth');
  await expect(detail.locator('figure[data-metric="roc_tpr"] svg')).toBeVisible();
  await expect(detail.locator('figure[data-artifact="plots/roc.svg"] img')).toBeVisible();
  await snap(app, 'runs-detail-light');

  await page.openTable();
  await expect(page.rows).toHaveCount(3);
  await page.sortBy('auc');
  await expect.poll(() => page.runNames()).toEqual(['gbdt-deep', 'gbdt-shallow', 'logistic']);
  await expect(page.table.getByRole('columnheader', { name: /auc/ })).toHaveAttribute('aria-sort', 'descending');
  await snap(app, 'runs-table-light');

  await page.select('gbdt-deep');
  await page.select('gbdt-shallow');
  await page.toolbarButton('Compare').click();
  const compare = app.getByLabel('Run comparison');
  await expect(compare.getByRole('table').first()).toContainText('model.depth');
  await expect(compare.getByRole('table').first()).not.toContainText('model.kind');
  const rocChart = page.chart('roc_tpr');
  await expect(rocChart.locator('svg [aria-label="line"] path')).toHaveCount(2);
  await expect(page.chart('loss').locator('svg [aria-label="line"] path')).toHaveCount(2);
  await expect(compare.getByRole('img', { name: /Parallel coordinates/ })).toBeVisible();
  await expect(compare.locator('figure[data-artifact="plots/roc.svg"] img')).toHaveCount(2);
  await snap(app, 'runs-compare-light');
  await rocChart.scrollIntoViewIfNeeded();
  await snap(app, 'runs-compare-roc-light');
  await compare.getByRole('img', { name: /Parallel coordinates/ }).scrollIntoViewIfNeeded();
  await snap(app, 'runs-compare-parallel-light');
  await page.wb.runCommand('Dark Theme');
  await expect.poll(() => page.wb.theme()).toBe('dark');
  await snap(app, 'runs-compare-dark');
  await compare.getByRole('button', { name: '← Runs table' }).click();

  await page.setSelectionTo('gbdt-deep');
  await page.toolbarButton('Register model').click();
  const dialog = app.getByRole('dialog', { name: 'Register model' });
  await dialog.getByLabel('Model name').fill('churn');
  await dialog.getByLabel('Alias').selectOption('champion');
  await dialog.getByRole('button', { name: 'Register' }).click();
  await expect(app.getByText('Registered churn v1 as @champion.')).toBeVisible();
  await snap(app, 'runs-table-dark');
  await app.getByRole('tab', { name: 'Model registry' }).click();
  await expect(app.locator('[data-alias="champion"]')).toContainText('→ v1');
  await snap(app, 'runs-registry-dark');

  const version = JSON.parse(await readFile(join(served.workspace, 'models/churn/versions/1.json'), 'utf8')) as { runId: string; artifactPath: string };
  expect(version).toMatchObject({ runId: ids[1], artifactPath: 'model/model.onnx' });
  const aliases = JSON.parse(await readFile(join(served.workspace, 'models/churn/aliases.json'), 'utf8')) as { aliases: Record<string, { version: number }[]> };
  expect(aliases.aliases.champion!.at(-1)!.version).toBe(1);
});
